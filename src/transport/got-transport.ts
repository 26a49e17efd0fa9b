import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import got, { type Got, type Request as GotStream } from 'got'
import type { BodyReader, RequestBody, ResponseBody, Transport, TransportRequest, TransportResponse } from './transport.js'

/**
 * Node's transport: got over keep-alive agents of its own. got's redirects,
 * retries, status errors and timeouts are all off; the layer above the seam owns
 * them, identically on every transport.
 */
export function createGotTransport(): Transport {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) }
  // Options fixed here are merged once, not on every request.
  const client = got.extend({
    agent: agents,
    retry: { limit: 0 },
    throwHttpErrors: false,
    // Never: a redirect would carry the key and the prompt to wherever it points.
    followRedirect: false,
    http2: false,
    decompress: true,
  })
  return {
    open: (request) => open(client, request),
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function open(client: Got, request: TransportRequest): Promise<TransportResponse> {
  const { signal } = request
  const stream = client.stream(request.url, {
    method: request.method,
    headers: request.headers,
    body: toGotBody(request.body),
  }) as GotStream

  return new Promise<TransportResponse>((resolve, reject) => {
    let opened = false
    const onAbort = () => {
      stream.destroy()
      if (!opened) reject(signal.reason)
    }
    // Stays attached until the body's own listener takes over: a second, late error
    // must never be an unhandled 'error' event.
    const onOpenError = (error: unknown) => {
      if (opened) return
      signal.removeEventListener('abort', onAbort)
      stream.destroy()
      reject(error)
    }
    stream.on('error', onOpenError)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    if (request.onUpload) {
      const onUpload = request.onUpload
      stream.on('uploadProgress', (progress: { transferred: number }) => onUpload(progress.transferred))
    }
    stream.once('response', (response: { statusCode: number; headers: http.IncomingHttpHeaders }) => {
      if (signal.aborted) return
      opened = true
      // The body's listeners go on in this same tick: an error or bytes that came in
      // the read that carried the headers are held for the reader, never dropped.
      const body = new GotBody(stream, () => signal.removeEventListener('abort', onAbort))
      stream.off('error', onOpenError)
      resolve({ status: response.statusCode, headers: flatHeaders(response.headers), body })
    })
  })
}

/**
 * got's response stream behind `ResponseBody`. Listens from the moment the response
 * exists and holds what arrives until `read`, then hands it on as it comes.
 */
class GotBody implements ResponseBody {
  readonly #stream: GotStream
  readonly #release: () => void
  #reader: BodyReader | undefined
  #held: Uint8Array[] = []
  /** How the body ended before a reader came: `true` for its end, else the error. */
  #ending: { error: unknown } | true | undefined
  #over = false

  constructor(stream: GotStream, release: () => void) {
    this.#stream = stream
    this.#release = release
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
    this.#stream.pause()
  }

  resume(): void {
    this.#stream.resume()
  }

  cancel(): void {
    if (this.#over) return
    this.#over = true
    this.#release()
    // Destroying a finished body is harmless; an unfinished one closes its socket.
    if (!this.#stream.readableEnded) this.#stream.destroy()
  }

  #settle(ending: { error: unknown } | true): void {
    if (this.#over || this.#ending !== undefined) return
    this.#ending = ending
    if (this.#reader) this.#finish(ending)
  }

  #finish(ending: { error: unknown } | true): void {
    if (this.#over) return
    this.#over = true
    this.#release()
    if (ending === true) this.#reader!.end()
    else {
      this.#stream.destroy()
      this.#reader!.error(ending.error)
    }
  }
}

function toGotBody(body: RequestBody | undefined): string | Buffer | Readable | undefined {
  if (body === undefined || typeof body === 'string') return body
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (typeof body === 'function') return Readable.from(body())
  return Readable.fromWeb(body.stream() as never)
}

/** Node gives repeated headers as arrays; the seam gives one string per name. */
function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
