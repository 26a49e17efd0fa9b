import { AbortError } from '../errors/AbortError.js'
import { ConnectionError, howToStartOllama } from '../errors/ConnectionError.js'
import { OllixirError } from '../errors/OllixirError.js'
import { RequestError } from '../errors/RequestError.js'

/** Could not reach the server at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/** undici (Node's fetch) names socket failures its own way. */
const UNDICI_CODES: Record<string, string> = {
  UND_ERR_SOCKET: 'ECONNRESET',
  UND_ERR_CLOSED: 'ECONNRESET',
  UND_ERR_CONNECT_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_BODY_TIMEOUT: 'ETIMEDOUT',
  UND_ERR_HEADERS_OVERFLOW: 'HPE_HEADER_OVERFLOW',
  ERR_STREAM_PREMATURE_CLOSE: 'EPREMATURECLOSE',
}

/**
 * Turns whatever a transport threw into an ollixir error that names the host and
 * keeps the real code. Only the network breaking is a `ConnectionError` (some of
 * which are retried); bytes that are not HTTP, not decompressible or not parseable
 * are the server's fault, a `RequestError` (never retried: the same server would
 * send the same garbage).
 */
export function toOllixirError(raw: unknown, host: string, what: string): OllixirError {
  if (OllixirError.isInstance(raw)) return raw
  const found = errorCode(raw)
  const code = found?.code
  // The message of whichever error carried the code says most ("Header overflow", not "fetch failed").
  const detail = found?.message ?? (raw instanceof Error ? raw.message : String(raw))
  if (code === undefined) {
    // A browser says nothing more than this about a refused connection or a CORS refusal.
    if (raw instanceof TypeError) return networkError(host, what, detail, raw)
    return new RequestError(`Ollama at ${host} sent a response to ${what} that could not be processed (${describe(raw)}).`, {
      code: 'EBADRESPONSE',
      cause: bareCause(raw, 'EBADRESPONSE', detail),
    })
  }
  const cause = bareCause(raw, code, detail)
  if (isProtocolGarbage(code)) {
    return new RequestError(`Ollama at ${host} sent a malformed response to ${what} (${code}: ${detail}).`, { code, cause })
  }
  if (UNREACHABLE.has(code)) {
    return new ConnectionError(`Could not connect to Ollama for ${what} (${code}). ${howToStartOllama(host)}`, { code, host, cause })
  }
  if (code === 'ETIMEDOUT') return new ConnectionError(`${what} to ${host} timed out (${detail}).`, { code, host, cause })
  return new ConnectionError(`The connection to Ollama at ${host} broke during ${what} (${code}: ${detail}).`, { code, host, cause })
}

/** HTTP parser errors (`HPE_*`), zlib and brotli failures: the bytes were wrong, not the network. */
function isProtocolGarbage(code: string): boolean {
  return code.startsWith('HPE_') || code.startsWith('Z_') || code.startsWith('ERR_ZLIB') || code.includes('BROTLI') || code.startsWith('ERR__ERROR_FORMAT')
}

/**
 * A fetch that failed with no reason given: in a browser, the server is down, or it
 * refused the page's origin (CORS), and the page cannot tell which.
 */
function networkError(host: string, what: string, detail: string, raw: unknown): ConnectionError {
  const page = (globalThis as { location?: { origin?: string } }).location?.origin
  const cors = page
    ? ` Or Ollama refused this page's origin (${page}): allow it by starting Ollama with OLLAMA_ORIGINS=${page} (comma-separated; see Ollama's FAQ on OLLAMA_ORIGINS).`
    : ''
  return new ConnectionError(`Could not reach Ollama for ${what} (${detail}). ${howToStartOllama(host)}${cors}`, {
    code: 'ENETWORK',
    host,
    cause: bareCause(raw, 'ENETWORK', detail),
  })
}

/**
 * got's errors carry the request options, headers included (an API key among
 * them), and loggers print a cause in full: keep only its name, code and message.
 */
function bareCause(raw: unknown, code: string, message: string): Error {
  const cause = new Error(message)
  cause.name = raw instanceof Error ? raw.name : 'Error'
  return Object.assign(cause, { code })
}

/** Wrappers (got's RequestError, fetch's TypeError) hold the useful code on themselves or a cause. */
function errorCode(error: unknown): { code: string; message: string | undefined } | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown }
    if (typeof code === 'string' && code !== 'ERR_GOT_REQUEST_ERROR' && code !== 'ERR_ASSERTION') {
      return { code: UNDICI_CODES[code] ?? code, message: typeof message === 'string' ? message : undefined }
    }
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function describe(raw: unknown): string {
  return raw instanceof Error ? `${raw.name}: ${raw.message}` : String(raw)
}

export function idleTimeoutError(host: string, what: string, ms: number): ConnectionError {
  return new ConnectionError(
    `No byte from Ollama at ${host} for ${ms} ms during ${what}: timed out. Raise \`timeout\` if the model needs longer to load.`,
    { code: 'ETIMEDOUT', host },
  )
}

export function abortError(what: string, signal: AbortSignal): AbortError {
  return new AbortError(what, signal.reason)
}
