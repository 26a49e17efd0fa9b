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

/**
 * The call's setting wins: `false` disables retries, a policy enables them (over the
 * client's policy, if any, over the defaults) even on a client made with `retry: false`.
 */
export function resolveRetry(client: RetryOptions | false | undefined, call: RetryOptions | false | undefined): RetryPolicy | false {
  if (call === false || (call === undefined && client === false)) return false
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...(client ? withoutUndefined(client) : {}), ...(call ? withoutUndefined(call) : {}) }
  return policy.limit > 0 ? policy : false
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
