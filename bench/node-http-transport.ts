/**
 * An experiment, not shipped: the `Transport` seam on node:http/https alone, to
 * measure what got's layers cost (its option normalisation per request, its duplex
 * stream over the `IncomingMessage`). The bench runs ollixir on it as
 * "ollixir node:http"; the library's Node default stays got (see BENCHMARKS.md for
 * why). It reads the `IncomingMessage` directly (one 'data' event per socket read), through
 * the same `NodeStreamBody` as got-transport.
 *
 * Left out on purpose, since nothing ships on it: gzip bodies (Ollama sends none)
 * and upload progress.
 */
import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import { flatHeaders, NodeStreamBody } from '../src/transport/node-stream-body.js'
import type { RequestBody, Transport, TransportRequest, TransportResponse } from '../src/transport/transport.js'

export function createNodeHttpTransport(): Transport {
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) }
  return {
    open: (request) => open(agents, request),
    close() {
      agents.http.destroy()
      agents.https.destroy()
    },
  }
}

function open(agents: { http: http.Agent; https: https.Agent }, request: TransportRequest): Promise<TransportResponse> {
  const { signal } = request
  return new Promise((resolve, reject) => {
    const secure = request.url.startsWith('https:')
    const send = secure ? https.request : http.request
    const req = send(request.url, { method: request.method, headers: request.headers, agent: secure ? agents.https : agents.http })
    let opened = false
    const onAbort = () => {
      req.destroy()
      if (!opened) reject(signal.reason)
    }
    req.on('error', (error) => {
      if (opened) return
      signal.removeEventListener('abort', onAbort)
      reject(error)
    })
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, { once: true })
    req.once('response', (res) => {
      if (signal.aborted) return
      opened = true
      const body = new NodeStreamBody({
        stream: res,
        destroy: () => req.destroy(),
        complete: () => res.complete,
        release: () => signal.removeEventListener('abort', onAbort),
      })
      req.on('error', (error) => body.fail(error))
      resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res.headers), body })
    })
    writeBody(req, request.body)
  })
}

function writeBody(req: http.ClientRequest, body: RequestBody | undefined): void {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return void req.end(body)
  const source = typeof body === 'function' ? Readable.from(body()) : Readable.fromWeb(body.stream() as never)
  source.on('error', (error) => req.destroy(error))
  source.pipe(req)
}
