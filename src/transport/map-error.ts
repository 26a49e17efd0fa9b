import { AbortError } from '../errors/AbortError.js'
import { ConnectionError, howToStartOllama } from '../errors/ConnectionError.js'
import { OllixirError } from '../errors/OllixirError.js'

/** Turns whatever the socket layer threw into an ollixir error that names the host. */
export function toConnectionError(raw: unknown, host: string, what: string): OllixirError {
  if (OllixirError.isInstance(raw)) return raw
  const code = socketCode(raw)
  const detail = raw instanceof Error ? raw.message : String(raw)
  const error = bareCause(raw, code, detail)
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new ConnectionError(`Could not connect to Ollama for ${what} (${code}). ${howToStartOllama(host)}`, { code, host, cause: error })
    case 'ETIMEDOUT':
      return new ConnectionError(`${what} to ${host} timed out (${detail}).`, { code, host, cause: error })
    default:
      return new ConnectionError(`The connection to Ollama at ${host} broke during ${what} (${code}: ${detail}).`, {
        code,
        host,
        cause: error,
      })
  }
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

/** got wraps socket errors; the useful code is on the error or on its cause. */
function socketCode(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code.startsWith('E') && code !== 'ERR_GOT_REQUEST_ERROR') {
      return code === 'ERR_STREAM_PREMATURE_CLOSE' ? 'EPREMATURECLOSE' : code
    }
    current = (current as { cause?: unknown }).cause
  }
  return 'ECONNRESET'
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
