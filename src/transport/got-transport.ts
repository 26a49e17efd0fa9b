import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import got, { type Got, type Request as GotStream } from 'got'
import { flatHeaders, NodeStreamBody } from './node-stream-body.js'
import type { RequestBody, Transport, TransportRequest, TransportResponse } from './transport.js'

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
      const body = new NodeStreamBody({
        stream,
        destroy: () => stream.destroy(),
        complete: () => stream.readableEnded,
        release: () => signal.removeEventListener('abort', onAbort),
      })
      stream.off('error', onOpenError)
      resolve({ status: response.statusCode, headers: flatHeaders(response.headers), body })
    })
  })
}

function toGotBody(body: RequestBody | undefined): string | Buffer | Readable | undefined {
  if (body === undefined || typeof body === 'string') return body
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (typeof body === 'function') return Readable.from(body())
  return Readable.fromWeb(body.stream() as never)
}
