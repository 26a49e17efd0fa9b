/**
 * An experiment, not shipped: the `Transport` seam on node:http/https alone, to
 * measure what got's layers cost (its option normalisation per request, its duplex
 * stream over the `IncomingMessage`). The bench runs ollixir on it as
 * "ollixir node:http"; the library's Node default stays got (see BENCHMARKS.md for
 * why). It reads the `IncomingMessage` directly: one 'data' event per socket read.
 *
 * Left out on purpose, since nothing ships on it: gzip bodies (Ollama sends none)
 * and upload progress.
 */
import http from 'node:http'
import https from 'node:https'
import { Readable } from 'node:stream'
import type { BodyReader, RequestBody, ResponseBody, Transport, TransportRequest, TransportResponse } from '../src/transport/transport.js'

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
      const body = new NodeBody(req, res, () => signal.removeEventListener('abort', onAbort))
      const headers: Record<string, string> = {}
      for (const name in res.headers) {
        const value = res.headers[name]
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
      }
      resolve({ status: res.statusCode ?? 0, headers, body })
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

/** The `IncomingMessage` behind `ResponseBody`; holds what comes before `read`, like got-transport's. */
class NodeBody implements ResponseBody {
  readonly #req: http.ClientRequest
  readonly #res: http.IncomingMessage
  readonly #release: () => void
  #reader: BodyReader | undefined
  #held: Uint8Array[] = []
  #ending: { error: unknown } | true | undefined
  #over = false

  constructor(req: http.ClientRequest, res: http.IncomingMessage, release: () => void) {
    this.#req = req
    this.#res = res
    this.#release = release
    res.on('data', (bytes: Uint8Array) => {
      if (this.#over) return
      if (this.#reader) this.#reader.data(bytes)
      else this.#held.push(bytes)
    })
    res.once('end', () => this.#settle(true))
    res.on('error', (error) => this.#settle({ error }))
    req.on('error', (error) => this.#settle({ error }))
    res.once('close', () => {
      if (!res.complete) this.#settle({ error: Object.assign(new Error('The connection closed before the end of the body'), { code: 'EPREMATURECLOSE' }) })
    })
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
    this.#res.pause()
  }

  resume(): void {
    this.#res.resume()
  }

  cancel(): void {
    if (this.#over) return
    this.#over = true
    this.#release()
    if (!this.#res.complete) this.#req.destroy()
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
      this.#req.destroy()
      this.#reader!.error(ending.error)
    }
  }
}
