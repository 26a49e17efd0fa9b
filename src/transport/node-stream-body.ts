import type { IncomingHttpHeaders } from 'node:http'
import type { Readable } from 'node:stream'
import type { BodyReader, ResponseBody } from './transport.js'

/** Where a Node response body comes from, and how to close its connection. */
export interface NodeBodySource {
  /** The bytes: got's response stream, or an `IncomingMessage`. */
  stream: Readable
  /** Closes the connection (a finished body's is left to keep-alive). */
  destroy(): void
  /** Whether the whole body has arrived. */
  complete(): boolean
  /** Forgets the caller's abort listener once the body is over. */
  release(): void
}

/**
 * A Node readable behind `ResponseBody`. Listens from the moment the response exists
 * and holds what arrives until `read`, then hands it on as it comes: bytes, the end
 * or an error that came with the headers are never dropped.
 */
export class NodeStreamBody implements ResponseBody {
  readonly #source: NodeBodySource
  #reader: BodyReader | undefined
  #held: Uint8Array[] = []
  /** How the body ended before a reader came: `true` for its end, else the error. */
  #ending: { error: unknown } | true | undefined
  #over = false

  constructor(source: NodeBodySource) {
    this.#source = source
    const { stream } = source
    stream.on('data', (bytes: Uint8Array) => {
      if (this.#over) return
      if (this.#reader) this.#reader.data(bytes)
      else this.#held.push(bytes)
    })
    stream.once('end', () => this.#settle(true))
    // Stays attached: a late socket error must never be an unhandled 'error' event.
    stream.on('error', (error: unknown) => this.#settle({ error }))
    // Closed without 'end' and without an error: the peer vanished mid-body.
    stream.once('close', () => this.#settle({ error: Object.assign(new Error('The connection closed before the end of the body'), { code: 'EPREMATURECLOSE' }) }))
  }

  /** Errors that reach the connection rather than the stream (a `ClientRequest`'s). */
  fail(error: unknown): void {
    this.#settle({ error })
  }

  read(reader: BodyReader): void {
    this.#reader = reader
    const held = this.#held
    this.#held = []
    for (const bytes of held) {
      if (this.#over) return
      reader.data(bytes)
    }
    if (this.#ending !== undefined) this.#finish(this.#ending)
  }

  pause(): void {
    this.#source.stream.pause()
  }

  resume(): void {
    this.#source.stream.resume()
  }

  cancel(): void {
    if (this.#over) return
    this.#over = true
    this.#source.release()
    if (!this.#source.complete()) this.#source.destroy()
  }

  #settle(ending: { error: unknown } | true): void {
    if (this.#over || this.#ending !== undefined) return
    this.#ending = ending
    if (this.#reader) this.#finish(ending)
  }

  #finish(ending: { error: unknown } | true): void {
    if (this.#over) return
    this.#over = true
    this.#source.release()
    if (ending === true) return this.#reader!.end()
    this.#source.destroy()
    this.#reader!.error(ending.error)
  }
}

/** Node gives repeated headers as arrays; the seam gives one string per name. */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
