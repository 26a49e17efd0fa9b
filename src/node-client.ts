import { Ollixir as FetchOllixir } from './client.js'
import type { ClientOptions, ResponseFormat } from './options.js'
import { nodePlatform } from './platform/node-platform.js'

/**
 * The client in Node: got as its transport (fetch when `fetch` is given), images and
 * blobs from file paths, streams spooled to temporary files, hashing with
 * `node:crypto`. Everything else is the runtime-neutral client it extends.
 */
export class Ollixir<F extends ResponseFormat = 'map'> extends FetchOllixir<F> {
  constructor(options: ClientOptions & { responseFormat?: F } = {}) {
    super(options, nodePlatform)
  }

  /** `Ollixir.init()`, `Ollixir.init('localhost:11434')` or `Ollixir.init({ host, … })`. */
  static override init<F extends ResponseFormat = 'map'>(options?: string | (ClientOptions & { responseFormat?: F })): Ollixir<F> {
    return new Ollixir<F>(typeof options === 'string' ? { host: options } : options)
  }
}
