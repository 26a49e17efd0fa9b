import { OllixirError } from '../errors/OllixirError.js'
import { abortError, toOllixirError } from '../transport/map-error.js'
import { openRequest, type HttpCall, type OpenResponse } from '../transport/open-request.js'
import { retryDelay, sleep } from '../transport/retry.js'
import type { ResponseBody, Transport } from '../transport/transport.js'
import type { HostPool, Lease, RouteRequest } from './host-pool.js'

/** A prepared call the pool may send to any of its hosts. */
export interface RoutedCall {
  route: RouteRequest
  /** The call as sent to `host` (its URL, its key and headers). */
  callFor(host: string): HttpCall
}

/** A 2xx response and the host that sent it. */
export interface RoutedResponse extends OpenResponse {
  host: string
}

/**
 * Opens a call through the pool: a slot on the best host, then the request. A
 * failure before the first response byte that says the host is gone (refused, reset)
 * or busy (503) moves the call to the next suitable host at once, when the call's
 * retry policy would send it again (so a `create` that may have reached a server is
 * not sent to a second one); once every suitable host failed, the policy's backoff
 * applies and the hosts are tried again, up to its `limit`. Other failures follow the
 * policy as on one host. Nothing is moved once the response arrived: the slot is held
 * until its body ends, and a stream that breaks fails as it would on one host.
 */
export async function openRouted(pool: HostPool, transport: Transport, routed: RoutedCall, template: HttpCall): Promise<RoutedResponse> {
  const policy = template.retry
  const { signal } = template
  const failures = new Map<string, OllixirError>()
  let last: OllixirError | undefined
  for (let attempt = 0; ; ) {
    let lease: Lease
    try {
      lease = await pool.acquire({ ...routed.route, exclude: new Set(failures.keys()) }, signal, failures)
    } catch (error) {
      // Every suitable host failed this call: back off as the policy says, then try them all again.
      if (!last || !OllixirError.isInstance(error) || error.code !== 'EALLHOSTSDOWN' || !policy || attempt >= policy.limit || !policy.retryOn(last, attempt)) throw error
      await backOff(retryDelay(policy, attempt, last), signal, template.what)
      attempt++
      failures.clear()
      last = undefined
      continue
    }
    const call = routed.callFor(lease.host)
    try {
      const response = await openRequest(transport, { ...call, retry: false })
      pool.report(lease.host, { ok: true, conversation: routed.route.conversation, model: routed.route.model })
      return { ...response, host: lease.host, body: holdingLease(response.body, lease, (raw) => pool.report(lease.host, { error: toOllixirError(raw, lease.host, call.what) })) }
    } catch (raw) {
      lease.release()
      const failure = OllixirError.isInstance(raw) ? raw : toOllixirError(raw, lease.host, call.what)
      if (signal.aborted) throw failure
      const verdict = pool.report(lease.host, { error: failure })
      const resendable = policy !== false && policy.retryOn(failure, attempt)
      if ((verdict === 'down' || verdict === 'busy') && routed.route.pinned === undefined && resendable) {
        failures.set(lease.host, failure)
        last = failure
        continue
      }
      if (!policy || attempt >= policy.limit || !resendable) throw failure
      await backOff(retryDelay(policy, attempt, failure), signal, template.what)
      attempt++
    }
  }
}

async function backOff(ms: number, signal: AbortSignal, what: string): Promise<void> {
  try {
    await sleep(ms, signal)
  } catch {
    throw abortError(what, signal)
  }
}

/** The body, releasing the host's slot once it ends, fails or is cancelled (once). */
function holdingLease(body: ResponseBody, lease: Lease, onError: (raw: unknown) => void): ResponseBody {
  return {
    read: (reader) =>
      body.read({
        data: (bytes) => reader.data(bytes),
        end: () => {
          lease.release()
          reader.end()
        },
        error: (error) => {
          lease.release()
          onError(error)
          reader.error(error)
        },
      }),
    pause: () => body.pause(),
    resume: () => body.resume(),
    cancel: () => {
      lease.release()
      body.cancel()
    },
  }
}
