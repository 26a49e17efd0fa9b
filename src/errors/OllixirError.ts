/** Marks errors made by ollixir, so `OllixirError.isInstance` works across package copies. */
const OLLIXIR_ERROR = Symbol.for('ollixir.error')

export interface OllixirErrorOptions {
  /** A stable, machine-readable code: branch on it rather than on the message. */
  code?: string
  cause?: unknown
}

/**
 * The base of every error ollixir throws, rejects with, or sends in `ollixir.error`
 * events. `code` is stable; `message` is for people.
 */
export class OllixirError extends Error {
  readonly code: string

  constructor(message: string, options: OllixirErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    // Each subclass sets its `name` as a literal (minifiers rename classes); this covers the
    // base itself and subclasses written elsewhere.
    this.name = new.target === OllixirError ? 'OllixirError' : new.target.name
    this.code = options.code ?? 'EOLLIXIR'
    Object.defineProperty(this, OLLIXIR_ERROR, { value: true })
  }

  /** `instanceof` that also recognises errors from another copy of the package. */
  static isInstance(value: unknown): value is OllixirError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[OLLIXIR_ERROR] === true
  }

  /** Errors travel in events and snapshots: give inspectors and loggers something readable. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message }
  }
}
