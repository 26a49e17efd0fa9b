import { OllixirError } from './OllixirError.js'

/**
 * The conversation with Ollama broke: it could not be reached (`ECONNREFUSED`,
 * `ENOTFOUND`), the connection dropped (`ECONNRESET`, `EPREMATURECLOSE`), no byte came
 * within the timeout (`ETIMEDOUT`), or a stream closed before its final chunk
 * (`EINCOMPLETE`). The message names the host (never credentials).
 */
export class ConnectionError extends OllixirError {
  override name = 'ConnectionError'
  /** The base URL that was being talked to, credentials removed. */
  readonly host: string

  constructor(message: string, options: { code: string; host: string; cause?: unknown }) {
    super(message, options)
    this.host = options.host
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), host: this.host }
  }
}

/** What to tell a person who cannot reach the server. */
export function howToStartOllama(host: string): string {
  return `Is Ollama running at ${host}? Start it with \`ollama serve\` (or open the Ollama app), or set OLLAMA_HOST to where it listens.`
}
