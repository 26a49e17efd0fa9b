import { ConnectionError } from '../errors/ConnectionError.js'
import type { OllixirError } from '../errors/OllixirError.js'
import { ResponseError } from '../errors/ResponseError.js'

/** Codes that say the host itself is gone (not just this request). */
const HOST_GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EPREMATURECLOSE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETWORK'])

/**
 * What a failure says about the host that gave it:
 * - `down`: refused, reset or unreachable: mark it down and probe it;
 * - `busy`: 503 (Ollama's queue is full, or it is shutting down): pass it over a while;
 * - `stale`: 404, the pool's view of its models is out of date: refresh it;
 * - `undefined`: the request's own fault, or the model's: the host is fine.
 */
export type HostVerdict = 'down' | 'busy' | 'stale' | undefined

export function judgeHost(error: OllixirError): HostVerdict {
  if (error instanceof ConnectionError) return HOST_GONE.has(error.code) ? 'down' : undefined
  if (error instanceof ResponseError) return error.status === 503 ? 'busy' : error.status === 404 ? 'stale' : undefined
  return undefined
}
