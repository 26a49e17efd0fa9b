import type { ErrorObject } from 'ajv'
import { OllixirError } from './OllixirError.js'

/**
 * The model's answer did not match the requested format: it is not JSON
 * (`code: 'EBADJSON'`) or breaks the schema (`code: 'ESCHEMA'`). Keeps the raw text
 * and ajv's errors, so a caller can log them or ask the model again.
 */
export class StructuredOutputError extends OllixirError {
  override name = 'StructuredOutputError'
  /** The text the model produced, untouched. */
  readonly raw: string
  /** ajv's errors when the JSON broke the schema; empty when it was not JSON at all. */
  readonly errors: ErrorObject[]

  constructor(message: string, options: { code: 'EBADJSON' | 'ESCHEMA'; raw: string; errors?: ErrorObject[]; cause?: unknown }) {
    super(message, { code: options.code, cause: options.cause })
    this.raw = options.raw
    this.errors = options.errors ?? []
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), raw: this.raw, errors: this.errors }
  }
}
