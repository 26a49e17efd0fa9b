import type { BodyReader, RequestBody, ResponseBody, Transport, TransportRequest, TransportResponse } from './transport.js'

/** The `fetch` a transport calls: the global one, or the caller's (proxies, instrumentation). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

/**
 * The transport for browsers, Deno, Bun, workers, and Node when given a `fetch`.
 * Reading is pulled, one `reader.read()` at a time, so a paused body stops reading
 * and the runtime's stream (then TCP) holds the server back.
 */
export function createFetchTransport(fetchFunction?: FetchFunction): Transport {
  const send: FetchFunction = fetchFunction ?? ((input, init) => globalThis.fetch(input, init))
  return {
    open: (request) => open(send, request),
    // fetch pools its connections out of reach; there is nothing of ours to close.
    close() {},
  }
}

async function open(send: FetchFunction, request: TransportRequest): Promise<TransportResponse> {
  // Our own controller: cancelling the body must close the connection even when the
  // caller's signal never fires.
  const controller = new AbortController()
  const { signal } = request
  if (signal.aborted) throw signal.reason
  const onAbort = () => controller.abort(signal.reason)
  signal.addEventListener('abort', onAbort, { once: true })
  const release = () => signal.removeEventListener('abort', onAbort)
  const init: RequestInit & { duplex?: 'half' } = {
    method: request.method,
    headers: request.headers,
    signal: controller.signal,
    // Never: a redirect would carry the key and the prompt to wherever it points.
    redirect: 'manual',
  }
  const body = toFetchBody(request.body, request.onUpload)
  if (body !== undefined) init.body = body
  // A streamed upload (Node's fetch) must say so.
  if (body instanceof ReadableStream) init.duplex = 'half'
  let response: Response
  try {
    response = await send(request.url, init)
  } catch (error) {
    release()
    throw signal.aborted ? signal.reason : error
  }
  // Bytes and Blobs go up whole: their progress is known once the server answered.
  if (request.onUpload && body !== undefined && !(body instanceof ReadableStream)) request.onUpload(byteLength(request.body!))
  const headers: Record<string, string> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  // A browser hides a redirect behind `redirect: 'manual'`: status 0, type 'opaqueredirect'.
  const status = response.type === 'opaqueredirect' ? 0 : response.status
  return { status, headers, body: new FetchBody(response, controller, release) }
}

/** A `Response` body behind `ResponseBody`, pulled chunk by chunk while not paused. */
class FetchBody implements ResponseBody {
  readonly #response: Response
  readonly #controller: AbortController
  readonly #release: () => void
  #reader: BodyReader | undefined
  #source: ReadableStreamDefaultReader<Uint8Array> | undefined
  #paused = false
  #pulling = false
  #over = false

  constructor(response: Response, controller: AbortController, release: () => void) {
    this.#response = response
    this.#controller = controller
    this.#release = release
  }

  read(reader: BodyReader): void {
    this.#reader = reader
    const stream = this.#response.body
    if (stream === null) return this.#finish()
    this.#source = stream.getReader()
    void this.#pull()
  }

  pause(): void {
    this.#paused = true
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    if (this.#source) void this.#pull()
  }

  cancel(): void {
    if (this.#over) return
    this.#over = true
    this.#release()
    this.#controller.abort()
    this.#source?.cancel().catch(() => {})
  }

  async #pull(): Promise<void> {
    if (this.#pulling) return
    this.#pulling = true
    try {
      while (!this.#paused && !this.#over) {
        const { done, value } = await this.#source!.read()
        if (this.#over) return
        if (done) return this.#finish()
        if (value.byteLength > 0) this.#reader!.data(value)
      }
    } catch (error) {
      this.#finish(error)
    } finally {
      this.#pulling = false
    }
  }

  #finish(...error: [unknown?]): void {
    if (this.#over) return
    this.#over = true
    this.#release()
    if (error.length === 0) return this.#reader!.end()
    this.#controller.abort()
    this.#reader!.error(error[0])
  }
}

function toFetchBody(body: RequestBody | undefined, onUpload: ((transferred: number) => void) | undefined): RequestInit['body'] | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Blob) return body
  if (body instanceof Uint8Array) return body as Uint8Array<ArrayBuffer>
  return counted(body(), onUpload)
}

/** A re-readable source as a request stream, counting what goes out. */
function counted(source: AsyncIterable<Uint8Array>, onUpload: ((transferred: number) => void) | undefined): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]()
  let sent = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next()
      if (done) return controller.close()
      sent += value.byteLength
      onUpload?.(sent)
      controller.enqueue(value)
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}

function byteLength(body: RequestBody): number {
  if (typeof body === 'string') return new TextEncoder().encode(body).byteLength
  if (body instanceof Blob) return body.size
  return body instanceof Uint8Array ? body.byteLength : 0
}
