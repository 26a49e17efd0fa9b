import { OllixirError } from '../errors/OllixirError.js'
import { withHint } from '../errors/hints.js'
import { ResponseError } from '../errors/ResponseError.js'
import { stripBom } from '../protocol/bom.js'
import { quoteServerText, RAW_BODY_MAX_CHARS } from '../protocol/server-text.js'
import { IdleTimer } from './idle-timer.js'
import { abortError, idleTimeoutError, toOllixirError } from './map-error.js'
import { readBody } from './read-body.js'
import { retryDelay, sleep, type RetryPolicy } from './retry.js'
import type { HttpMethod, Transport, TransportRequest, TransportResponse } from './transport.js'

export type { HttpMethod }

/**
 * Everything needed to send one HTTP request, built by the client and used once: the
 * transport's request (its `signal` is the call's; each attempt gets its own) plus what
 * the layer above the seam needs.
 */
export interface HttpCall extends Omit<TransportRequest, 'signal'> {
  signal: AbortSignal
  /** Idle timeout in ms: the longest wait for the headers (from the start) and then for each next byte. */
  timeout: number
  retry: RetryPolicy | false
  /** Base URL without credentials, for messages. */
  host: string
  /** `POST /api/chat`, for messages. */
  what: string
}

/** A response whose status was 2xx; its body is unread, held until read. Whoever reads it owns it: it must read or cancel it, and keep an idle timer of its own. */
export type OpenResponse = TransportResponse

/** Error bodies are small; a server that sends more is not sending an error text. */
const MAX_ERROR_BODY_BYTES = 64 * 1024

/**
 * Sends the request and resolves once a 2xx status arrives. Retries (per policy) only
 * while no response byte has reached the caller, so nothing is ever replayed.
 * Rejects with `ResponseError` for other statuses (a redirect included: it is never
 * followed), `ConnectionError` for network failures and timeouts, `RequestError` for
 * bytes that are not HTTP, and `AbortError` when the signal fires.
 */
export async function openRequest(transport: Transport, call: HttpCall): Promise<OpenResponse> {
  const policy = call.retry
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(transport, call)
    } catch (error) {
      const failure = OllixirError.isInstance(error) ? error : toOllixirError(error, call.host, call.what)
      if (call.signal.aborted || !policy || attempt >= policy.limit || !policy.retryOn(failure, attempt)) throw failure
      try {
        await sleep(retryDelay(policy, attempt, failure), call.signal)
      } catch {
        throw abortError(call.what, call.signal)
      }
    }
  }
}

async function openOnce(transport: Transport, call: HttpCall): Promise<OpenResponse> {
  const { signal } = call
  if (signal.aborted) throw abortError(call.what, signal)
  // One attempt's own controller: the idle timer ends the attempt without aborting the call.
  const attempt = new AbortController()
  const forward = () => attempt.abort(signal.reason)
  signal.addEventListener('abort', forward, { once: true })
  let idleFired = false
  const idle = new IdleTimer(call.timeout, () => {
    idleFired = true
    attempt.abort()
  })
  const onUpload = (transferred: number) => {
    idle.touch()
    call.onUpload?.(transferred)
  }
  const failure = (raw: unknown) =>
    signal.aborted ? abortError(call.what, signal) : idleFired ? idleTimeoutError(call.host, call.what, call.timeout) : toOllixirError(raw, call.host, call.what)
  try {
    let response
    try {
      response = await transport.open({
        method: call.method,
        url: call.url,
        headers: call.headers,
        ...(call.body === undefined ? {} : { body: call.body }),
        signal: attempt.signal,
        onUpload,
      })
    } catch (raw) {
      throw failure(raw)
    }
    const { status, headers, body } = response
    if (status >= 200 && status < 300) return { status, headers, body }
    if (status === 0 || (status >= 300 && status < 400)) {
      body.cancel()
      throw redirectError(status, headers.location, call)
    }
    idle.touch()
    const text = await readBody({ status, headers, body }, { ...call, signal: attempt.signal }, MAX_ERROR_BODY_BYTES, { truncate: true }).catch((raw: unknown) => {
      throw failure(raw)
    })
    throw responseError(status, text, headers, call.what)
  } finally {
    idle.stop()
    signal.removeEventListener('abort', forward)
  }
}

/**
 * Ollama never redirects its API. Following one would send the key, the headers and
 * the prompt to wherever it points (an https → http one included), so it is refused.
 */
function redirectError(status: number, location: string | undefined, call: HttpCall): ResponseError {
  const where = location ? ` to "${quoteServerText(withoutCredentials(location), 200)}"` : ''
  const shown = status === 0 ? 'a redirect' : `${status}, a redirect,`
  return new ResponseError(
    `Ollama at ${call.host} answered ${call.what} with ${shown}${where}. ollixir does not follow redirects (they could carry your key and prompt elsewhere): point \`host\` at the final address.`,
    status,
  )
}

function withoutCredentials(location: string): string {
  return location.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
}

/**
 * Ollama answers errors as `{"error": "…"}`; proxies and Go's mux answer plain text
 * or whole HTML pages. The message quotes a bounded, printable part of it; `body`
 * keeps the raw start.
 */
export function responseError(status: number, text: string, headers: Record<string, string>, what = ''): ResponseError {
  let message = stripBom(text).trim()
  let signinUrl: string | undefined
  // Only what looks like an object is parsed: no exception for a proxy's page.
  if (message.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(message)
      if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') {
        message = (parsed as { error: string }).error
        // A server not signed in to ollama.com says where to sign in (api.AuthorizationError).
        const url = (parsed as { signin_url?: unknown }).signin_url
        if (typeof url === 'string') signinUrl = url
      }
    } catch {
      // not JSON after all: quote the text as it came
    }
  }
  return new ResponseError(withHint(quoteServerText(message), what) || `HTTP ${status}`, status, {
    retryAfter: parseRetryAfter(headers['retry-after']),
    ...(signinUrl === undefined ? {} : { signinUrl }),
    body: text.slice(0, RAW_BODY_MAX_CHARS),
  })
}

/** `Retry-After` is seconds or an HTTP date. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000)
}
