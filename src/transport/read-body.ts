import { RequestError } from '../errors/RequestError.js'
import { IdleTimer } from './idle-timer.js'
import { abortError, idleTimeoutError, toOllixirError } from './map-error.js'
import type { HttpCall, OpenResponse } from './open-request.js'

/**
 * Reads a whole (non-streamed) body as text, under the same rules as a stream: the
 * idle timeout resets per byte, the signal aborts at any moment, and a body larger
 * than `maxBytes` is refused rather than held in memory (or, with `truncate`, cut
 * there: an error text needs only its start). A leading BOM is dropped.
 */
export function readBody(response: OpenResponse, call: HttpCall, maxBytes: number, options: { truncate?: boolean } = {}): Promise<string> {
  const { body } = response
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = []
    let size = 0
    let settled = false
    const settle = (error: unknown, text?: string) => {
      if (settled) return
      settled = true
      idle.stop()
      call.signal.removeEventListener('abort', onAbort)
      if (error === undefined) return resolve(text!)
      body.cancel()
      reject(error)
    }
    const finish = () => settle(undefined, decode(parts, size))
    const idle = new IdleTimer(call.timeout, () => settle(idleTimeoutError(call.host, call.what, call.timeout)))
    const onAbort = () => settle(abortError(call.what, call.signal))
    if (call.signal.aborted) return onAbort()
    call.signal.addEventListener('abort', onAbort, { once: true })
    body.read({
      data(bytes) {
        idle.touch()
        if (size + bytes.byteLength > maxBytes) {
          if (!options.truncate) {
            return settle(new RequestError(`The response to ${call.what} is larger than maxLineBytes (${maxBytes} bytes); refused.`, { code: 'ELINETOOLONG' }))
          }
          parts.push(bytes.subarray(0, maxBytes - size))
          size = maxBytes
          body.cancel()
          return finish()
        }
        parts.push(bytes)
        size += bytes.byteLength
      },
      end: finish,
      error: (error) => settle(toOllixirError(error, call.host, call.what)),
    })
  })
}

function decode(parts: Uint8Array[], size: number): string {
  if (parts.length === 1) return new TextDecoder().decode(parts[0])
  const whole = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    whole.set(part, offset)
    offset += part.byteLength
  }
  // TextDecoder drops a leading BOM, as ollama-js accepts one.
  return new TextDecoder().decode(whole)
}
