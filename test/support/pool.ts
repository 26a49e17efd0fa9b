import { FakeOllama, type FakeOllamaOptions } from '../../src/testing/index.js'
import { Ollixir, parseHost, type ClientOptions } from '../../src/index.js'

/** Several fake servers and one client over all of them, for one test. */
export interface PoolRig {
  fakes: FakeOllama[]
  /** Base URLs as the client names them (`http://127.0.0.1:port`), in `hosts` order. */
  hosts: string[]
  client: Ollixir
}

/**
 * Starts `servers.length` FakeOllama instances (each with its options) before each
 * test and a client over them (`retry: false` unless `options` says otherwise);
 * closes everything after it.
 */
export function usePool(servers: FakeOllamaOptions[], options: ClientOptions = {}): PoolRig {
  const rig = {} as PoolRig
  beforeEach(async () => {
    rig.fakes = await Promise.all(servers.map((server) => FakeOllama.start(server)))
    rig.hosts = rig.fakes.map((fake) => parseHost(fake.host))
    rig.client = Ollixir.init({ retry: false, ...options, hosts: rig.hosts })
  })
  afterEach(async () => {
    rig.client.close()
    await Promise.all(rig.fakes.map((fake) => fake.close()))
  })
  return rig
}

/** How many requests on `path` each fake received. */
export function requestsPerFake(rig: PoolRig, path: string): number[] {
  return rig.fakes.map((fake) => fake.requests.filter((request) => request.path === path).length)
}

/** A reply that streams for a while: `words` chunks, `delayMs` apart. */
export const slowReply = (words = 20, delayMs = 20) => ({ text: Array.from({ length: words }, (_, i) => `w${i} `), chunkDelayMs: delayMs })
