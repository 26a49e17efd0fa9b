import { OllixirError } from './OllixirError.js'

/**
 * The request was invalid before anything was sent (`EINVALID`, the message names the
 * field), or the server's bytes were not valid NDJSON (`EBADLINE`, the message quotes
 * the line), or a line exceeded `maxLineBytes` (`ELINETOOLONG`), or a whole answer
 * was not JSON (`EBADJSON`) or not the reply the method expects (`EBADANSWER`: a 204,
 * an empty body, `42`, `null`, an array…; the message quotes it).
 */
export class RequestError extends OllixirError {
  override name = 'RequestError'
  /** Where in the request the problem is, e.g. `messages[0].role`, when known. */
  readonly field: string | undefined

  constructor(message: string, options: { code?: string; field?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'EINVALID', cause: options.cause })
    this.field = options.field
  }

  override toJSON(): Record<string, unknown> {
    return this.field === undefined ? super.toJSON() : { ...super.toJSON(), field: this.field }
  }
}
