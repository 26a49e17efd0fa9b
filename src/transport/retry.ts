import { ConnectionError } from '../errors/ConnectionError.js'
import type { OllixirError } from '../errors/OllixirError.js'
import { ResponseError } from '../errors/ResponseError.js'
import type { RetryOptions } from '../options.js'

export type RetryPolicy = Required<RetryOptions>

const RETRYABLE_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EPREMATURECLOSE'])

/** Refused or reset connections, 408 (the server gave up waiting for us) and the `retryable` statuses. */
export function defaultRetryOn(error: OllixirError): boolean {
  if (error instanceof ResponseError) return error.retryable || error.status === 408
  return error instanceof ConnectionError && RETRYABLE_CONNECTION_CODES.has(error.code)
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 2, baseDelay: 250, maxDelay: 10_000, retryOn: defaultRetryOn }

/** Failures that prove the request never reached the server: sending it again cannot do anything twice. */
const NOTHING_SENT_CODES = new Set(['ECONNREFUSED'])

export function nothingWasSent(error: OllixirError): boolean {
  return error instanceof ConnectionError && NOTHING_SENT_CODES.has(error.code)
}

/**
 * The call's setting wins: `false` disables retries, a policy enables them (over the
 * client's policy, if any, over the defaults) even on a client made with `retry: false`.
 *
 * A call that is not idempotent (create, copy, delete, push: `ENDPOINTS[m].idempotent`)
 * is retried under the client's policy only when nothing was sent (a refused
 * connection): after a 5xx or a reset the server may have acted on it. A call that
 * passes its own `retry` policy asked for retries, and gets them as it wrote them.
 */
export function resolveRetry(client: RetryOptions | false | undefined, call: RetryOptions | false | undefined, options: { idempotent?: boolean } = {}): RetryPolicy | false {
  if (call === false || (call === undefined && client === false)) return false
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(client ? withoutUndefined(client) : {}), ...(call ? withoutUndefined(call) : {}) }
  if (policy.limit <= 0) return false
  if (options.idempotent === false && call === undefined) {
    const retryOn = policy.retryOn
    return { ...policy, retryOn: (error, attempt) => nothingWasSent(error) && retryOn(error, attempt) }
  }
  return policy
}

/** Exponential backoff with full jitter; a server's `Retry-After` wins when it is larger. */
export function retryDelay(policy: RetryPolicy, attempt: number, error: OllixirError): number {
  const exponential = Math.min(policy.maxDelay, policy.baseDelay * 2 ** attempt)
  const jittered = exponential / 2 + Math.random() * (exponential / 2)
  const retryAfter = error instanceof ResponseError && error.retryAfter !== undefined ? error.retryAfter * 1000 : 0
  return Math.min(policy.maxDelay, Math.max(jittered, retryAfter))
}

/** Waits `ms`, or rejects as soon as the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
