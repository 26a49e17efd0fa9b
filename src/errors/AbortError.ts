import { OllixirError } from './OllixirError.js'

/**
 * The request was aborted by its caller: an `AbortSignal`, `client.abort()` or
 * `stream.abort()`. Named `AbortError` like fetch's, so `err.name === 'AbortError'`
 * checks keep working; `cause` is the signal's reason.
 */
export class AbortError extends OllixirError {
  override name = 'AbortError'
  constructor(what: string, cause?: unknown) {
    super(`${what} was aborted`, { code: 'ABORT_ERR', cause })
  }
}
