import { OllixirError } from './OllixirError.js'

/** Statuses worth another try: the server may answer differently in a moment. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/**
 * Ollama answered with an error: an HTTP status outside 2xx, or an `{"error": …}` line
 * in the middle of a stream (then `status` is the stream's own status, usually 200).
 * `message` is Ollama's `error` text, unchanged.
 */
export class ResponseError extends OllixirError {
  readonly status: number
  /** True for 429, 500, 502, 503 and 504. */
  readonly retryable: boolean
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfter: number | undefined
  /**
   * Where to sign this server in to ollama.com, from the `signin_url` of a 401 that a
   * server not signed in answers `me()`, `webSearch`/`webFetch` through it, or a cloud model.
   */
  readonly signinUrl: string | undefined

  constructor(message: string, status: number, options: { retryAfter?: number; signinUrl?: string; code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? `HTTP_${status}`, cause: options.cause })
    this.status = status
    this.retryable = RETRYABLE_STATUSES.has(status)
    this.retryAfter = options.retryAfter
    this.signinUrl = options.signinUrl
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, retryable: this.retryable, ...(this.signinUrl === undefined ? {} : { signinUrl: this.signinUrl }) }
  }
}
