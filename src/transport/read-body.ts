import { RequestError } from '../errors/RequestError.js'
import { IdleTimer } from './idle-timer.js'
import { abortError, idleTimeoutError, toConnectionError } from './map-error.js'
import type { HttpCall, OpenResponse } from './open-request.js'

/**
 * Reads a whole (non-streamed) body as text, under the same rules as a stream: the
 * idle timeout resets per byte, the signal aborts at any moment, and a body larger
 * than `maxBytes` is refused rather than held in memory.
 */
export function readBody(response: OpenResponse, call: HttpCall, maxBytes: number): Promise<string> {
  const { body } = response
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    let size = 0
    let settled = false
    const settle = (error: unknown, text?: string) => {
      if (settled) return
      settled = true
      idle.stop()
      call.signal.removeEventListener('abort', onAbort)
      if (error === undefined) return resolve(text!)
      body.destroy()
      reject(error)
    }
    const idle = new IdleTimer(call.timeout, () => settle(idleTimeoutError(call.host, call.what, call.timeout)))
    const onAbort = () => settle(abortError(call.what, call.signal))
    call.signal.addEventListener('abort', onAbort, { once: true })
    body.on('data', (part: Buffer) => {
      idle.touch()
      size += part.length
      if (size > maxBytes) {
        return settle(new RequestError(`The response to ${call.what} is larger than maxLineBytes (${maxBytes} bytes); refused.`, { code: 'ELINETOOLONG' }))
      }
      parts.push(part)
    })
    body.once('end', () => settle(undefined, Buffer.concat(parts, size).toString('utf8')))
    body.on('error', (error: unknown) => settle(toConnectionError(error, call.host, call.what)))
    body.once('close', () => settle(toConnectionError(Object.assign(new Error('closed before the end of the body'), { code: 'EPREMATURECLOSE' }), call.host, call.what)))
  })
}
