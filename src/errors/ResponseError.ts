import { OllixirError } from './OllixirError.js'

/** Statuses worth another try: the server may answer differently in a moment. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/**
 * Ollama answered with an error: an HTTP status outside 2xx, or an `{"error": …}` line
 * in the middle of a stream (then `status` is the stream's own status, usually 200).
 * `message` is Ollama's `error` text, unchanged when it is a short printable text as
 * Ollama's are; anything else (a proxy's HTML page, a megabyte of text, control
 * characters) is quoted in part (see `quoteServerText`), and the raw start of the
 * body is kept in `body`.
 */
export class ResponseError extends OllixirError {
  override name = 'ResponseError'
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
  // Private and read through a getter: up to 64 KiB that loggers and inspectors should not print.
  readonly #body: string | undefined

  constructor(message: string, status: number, options: { retryAfter?: number; signinUrl?: string; code?: string; cause?: unknown; body?: string } = {}) {
    super(message, { code: options.code ?? `HTTP_${status}`, cause: options.cause })
    this.status = status
    this.retryable = RETRYABLE_STATUSES.has(status)
    this.retryAfter = options.retryAfter
    this.signinUrl = options.signinUrl
    this.#body = options.body
  }

  /**
   * The start of the response body as it came (at most 64 KiB, as text), when the
   * error was made from one: what the message quotes only in part. Not in `toJSON()`.
   */
  get body(): string | undefined {
    return this.#body
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status, retryable: this.retryable, ...(this.signinUrl === undefined ? {} : { signinUrl: this.signinUrl }) }
  }
}
