import got, { type Agents, type Got, type Request as GotStream } from 'got'
import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import { OllixirError } from '../errors/OllixirError.js'
import { ResponseError } from '../errors/ResponseError.js'
import { IdleTimer } from './idle-timer.js'
import { abortError, idleTimeoutError, toConnectionError } from './map-error.js'
import { retryDelay, sleep, type RetryPolicy } from './retry.js'

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'HEAD'

/** Everything needed to send one HTTP request; built by the client, used once. */
export interface HttpCall {
  method: HttpMethod
  url: string
  headers: Record<string, string>
  /** A string, bytes, or a factory that opens the body afresh for each attempt (a file). */
  body?: string | Uint8Array | (() => Readable)
  /** Idle timeout in ms: the longest wait for the next byte. */
  timeout: number
  signal: AbortSignal
  retry: RetryPolicy | false
  /** Base URL without credentials, for messages. */
  host: string
  /** `POST /api/chat`, for messages. */
  what: string
  /** Told the bytes of the body sent so far (blob uploads report progress with it). */
  onUpload?: (transferred: number) => void
}

/** A response whose status was 2xx; its body is still paused and unread. */
export interface OpenResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Whoever reads it owns it: attach listeners at once, and keep an idle timer of its own. */
  body: GotStream
}

/**
 * The got instance a client sends through: its own keep-alive agents, and none of
 * got's status handling or retries (openRequest does both). Options fixed here are
 * merged once, not on every request.
 */
export function createGot(agents: Agents): Got {
  return got.extend({ agent: agents, retry: { limit: 0 }, throwHttpErrors: false, http2: false, decompress: true })
}

/** Error bodies are small; a server that sends more is not sending an error text. */
const MAX_ERROR_BODY_BYTES = 64 * 1024

/**
 * Sends the request and resolves once a 2xx status arrives. `got` must be made with
 * `throwHttpErrors: false` and `retry: { limit: 0 }` (see `createGot`): statuses and
 * retries are handled here, where the rules about streams are known. Retries (per policy) only
 * while no response byte has reached the caller, so nothing is ever replayed.
 * Rejects with `ResponseError` for other statuses, `ConnectionError` for socket
 * failures and timeouts, and `AbortError` when the signal fires.
 */
export async function openRequest(got: Got, call: HttpCall): Promise<OpenResponse> {
  const policy = call.retry
  for (let attempt = 0; ; attempt++) {
    try {
      return await openOnce(got, call)
    } catch (error) {
      const failure = OllixirError.isInstance(error) ? error : toConnectionError(error, call.host, call.what)
      if (call.signal.aborted || !policy || attempt >= policy.limit || !policy.retryOn(failure, attempt)) throw failure
      try {
        await sleep(retryDelay(policy, attempt, failure), call.signal)
      } catch {
        throw abortError(call.what, call.signal)
      }
    }
  }
}

function openOnce(got: Got, call: HttpCall): Promise<OpenResponse> {
  const { signal } = call
  if (signal.aborted) return Promise.reject(abortError(call.what, signal))
  const body = typeof call.body === 'function' ? call.body() : call.body
  const stream = got.stream(call.url, {
    method: call.method,
    headers: call.headers,
    body: typeof body === 'string' || body === undefined || isReadable(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
  }) as GotStream

  return new Promise<OpenResponse>((resolve, reject) => {
    let settled = false
    const fail = (error: OllixirError) => {
      if (settled) return
      settled = true
      cleanup()
      idle.stop()
      stream.destroy()
      reject(error)
    }
    const idle = new IdleTimer(call.timeout, () => fail(idleTimeoutError(call.host, call.what, call.timeout)))
    const onAbort = () => fail(abortError(call.what, signal))
    const onError = (error: unknown) => fail(toConnectionError(error, call.host, call.what))
    const onUpload = (progress: { transferred: number }) => {
      idle.touch()
      call.onUpload?.(progress.transferred)
    }
    // The error listener stays: a late socket error must never be an unhandled 'error' event.
    const cleanup = () => {
      signal.removeEventListener('abort', onAbort)
      stream.off('uploadProgress', onUpload)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    stream.on('error', onError)
    // A large upload (a blob) counts as activity too.
    if (typeof call.body === 'function' || call.onUpload) stream.on('uploadProgress', onUpload)

    stream.once('response', (response: { statusCode: number; headers: IncomingHttpHeaders }) => {
      idle.touch()
      const status = response.statusCode
      if (status >= 200 && status < 300) {
        if (settled) return
        settled = true
        cleanup()
        idle.stop()
        resolve({ status, headers: response.headers, body: stream })
        return
      }
      readErrorBody(stream).then(
        (text) => fail(responseError(status, text, response.headers)),
        (error) => fail(toConnectionError(error, call.host, call.what)),
      )
    })
  })
}

function isReadable(value: unknown): value is Readable {
  return typeof value === 'object' && value !== null && typeof (value as Readable).pipe === 'function'
}

async function readErrorBody(stream: GotStream): Promise<string> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of stream as AsyncIterable<Buffer>) {
    parts.push(part)
    size += part.length
    if (size >= MAX_ERROR_BODY_BYTES) break
  }
  return Buffer.concat(parts).toString('utf8', 0, Math.min(size, MAX_ERROR_BODY_BYTES))
}

/** Ollama answers errors as `{"error": "…"}`; proxies and Go's mux answer plain text. */
export function responseError(status: number, text: string, headers: IncomingHttpHeaders): ResponseError {
  let message = text.trim()
  let signinUrl: string | undefined
  try {
    const parsed: unknown = JSON.parse(message)
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { error?: unknown }).error === 'string') {
      message = (parsed as { error: string }).error
      // A server not signed in to ollama.com says where to sign in (api.AuthorizationError).
      const url = (parsed as { signin_url?: unknown }).signin_url
      if (typeof url === 'string') signinUrl = url
    }
  } catch {
    // not JSON: keep the text as it came
  }
  if (message === '') message = `HTTP ${status}`
  return new ResponseError(message, status, { retryAfter: parseRetryAfter(headers['retry-after']), signinUrl })
}

/** `Retry-After` is seconds or an HTTP date. */
function parseRetryAfter(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000)
}
