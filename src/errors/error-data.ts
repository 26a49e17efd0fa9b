import { OllixirError } from './OllixirError.js'

/**
 * An error as plain data, for machine contexts and persisted snapshots (which must be
 * JSON): what `OllixirError#toJSON` gives. The live error travels in events instead.
 */
export interface OllixirErrorData {
  name: string
  code: string
  message: string
  /** `ResponseError`: the HTTP status (the stream's own status for a mid-stream error line). */
  status?: number
  /** `ResponseError`: 429, 500, 502, 503 or 504. */
  retryable?: boolean
  /** `ConnectionError`: the base URL that was being talked to. */
  host?: string
  /** `RequestError`: where in the request the problem is. */
  field?: string
}

/** Any thrown value as `OllixirErrorData`; errors not made by ollixir keep name and message. */
export function toErrorData(reason: unknown): OllixirErrorData {
  const json: Record<string, unknown> = OllixirError.isInstance(reason) ? reason.toJSON() : {}
  const error = reason as { name?: unknown; code?: unknown; message?: unknown } | undefined
  const data: OllixirErrorData = {
    name: String(json.name ?? error?.name ?? 'Error'),
    code: String(json.code ?? error?.code ?? 'EOLLIXIR'),
    message: String(json.message ?? error?.message ?? reason),
  }
  if (typeof json.status === 'number') data.status = json.status
  if (typeof json.retryable === 'boolean') data.retryable = json.retryable
  if (typeof json.host === 'string') data.host = json.host
  if (typeof json.field === 'string') data.field = json.field
  return data
}
