/**
 * FakeOllama: an in-process HTTP server on 127.0.0.1 that speaks Ollama's REST API.
 *
 * It follows the real server (ollama/ollama `server/routes.go`, `server/create.go`,
 * `api/types.go`, `docs/api.md`) in status codes, `{"error":"..."}` bodies, NDJSON
 * framing and field names; see the comments at the top of `handlers/*.ts`,
 * `writer.ts`, `decode.ts` and `ollama-errors.ts` for the behaviours reproduced.
 * It also answers ollama.com's hosted `/api/web_search` and `/api/web_fetch`
 * (`handlers/web.ts`), so it can stand in for `cloudHost` as well as `host`, and the
 * local server's sign-in routes and web proxies (`handlers/account.ts`).
 * Browser requests meet Ollama's CORS policy (`cors.ts`): the default origin allowlist plus
 * `options.origins` (Ollama's `OLLAMA_ORIGINS`), preflights, and a 403 for other origins.
 * On top of that it records every request, lets tests script replies per endpoint,
 * and injects faults (delays, split writes, error lines, dropped or stalled sockets).
 */
import { createServer, STATUS_CODES, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { OllamaCors } from './cors.js'
import { tryParseJson } from './decode.js'
import { ModelRegistry, sha256Hex } from './models.js'
import { matchRoute, type HandlerContext } from './routes.js'
import { FAKE_ACCOUNT } from './handlers/account.js'
import type { FakeEndpoint, FakeOllamaOptions, ModelSpec, RecordedRequest, Reply, UserResponse } from './types.js'
import { errorOutcome, respond, type Exchange, type Outcome } from './writer.js'

const DEFAULT_MODELS: ModelSpec[] = [{ name: 'llama3.2' }, { name: 'nomic-embed-text', capabilities: ['embedding'] }]
const DEFAULT_VERSION = '0.12.6'
const DEFAULT_WAIT_MS = 2000

interface Waiter {
  resolve(): void
  reject(err: Error): void
  timer: NodeJS.Timeout
}

/**
 * A fake Ollama server for tests.
 *
 * @example
 * ```ts
 * import { FakeOllama } from 'ollixir/testing'
 *
 * const fake = await FakeOllama.start()
 * fake.enqueue('chat', { text: 'Hi there', chunkDelayMs: 5 })
 * const res = await fetch(`${fake.url}/api/chat`, {
 *   method: 'POST',
 *   body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hello' }] }),
 * })
 * // res.body: NDJSON lines {"message":{"role":"assistant","content":"Hi"},...} ... {"done":true,...}
 * expect(fake.lastRequest('/api/chat')?.body).to.deep.include({ model: 'llama3.2' })
 * await fake.close()
 * ```
 */
export class FakeOllama {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  /** `127.0.0.1:<port>`, the form of `OLLAMA_HOST`. */
  readonly host: string
  readonly port: number
  /** Every request received, in arrival order (cleared by {@link reset}). */
  readonly requests: RecordedRequest[] = []

  private readonly models = new ModelRegistry()
  private readonly queues = new Map<FakeEndpoint, Reply[]>()
  private readonly sockets = new Set<Socket>()
  private readonly exchanges = new Set<AbortController>()
  private readonly waiters: Waiter[] = []
  private accepted = 0
  private clientCloses = 0
  /** Client closes not yet consumed by {@link waitForClientClose}. */
  private unclaimedCloses = 0
  private writing = 0
  private closing = false
  private readonly settings: HandlerContext['settings']

  private constructor(
    private readonly server: Server,
    options: FakeOllamaOptions,
    private readonly cors: OllamaCors,
  ) {
    const { port } = server.address() as AddressInfo
    this.port = port
    this.host = `127.0.0.1:${port}`
    this.url = `http://${this.host}`
    this.settings = {
      version: options.version ?? DEFAULT_VERSION,
      strictCapabilities: options.strictCapabilities ?? false,
      cloud: { account: options.account, disabledBy: options.cloudDisabled === true ? 'env' : options.cloudDisabled || 'none' },
    }
    for (const spec of options.models ?? DEFAULT_MODELS) this.models.add(spec)

    server.on('connection', (socket: Socket) => {
      this.accepted++
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
      // A client that resets the connection is part of the tests, not an error.
      socket.on('error', () => {})
    })
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // Nothing should throw here; if something does, cut the connection rather than crash the test run.
      this.handle(req, res).catch(() => res.destroy())
    })
  }

  /** Starts a fake listening on 127.0.0.1 (port 0, i.e. any free port, unless `options.port`). */
  static async start(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
    const cors = OllamaCors.fromOrigins(options.origins) // throws, as Ollama refuses to start, on a bad origin
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve()
      })
    })
    return new FakeOllama(server, options, cors)
  }

  /** Sockets currently open. */
  get openConnections(): number {
    return this.sockets.size
  }

  /** Sockets ever accepted (equal to the number of requests when every request used a new socket). */
  get totalConnections(): number {
    return this.accepted
  }

  /** Responses whose client went away before the fake had finished writing them. */
  get closedResponses(): number {
    return this.clientCloses
  }

  /** Responses being handled or written right now (stalled ones included). */
  get inFlight(): number {
    return this.writing
  }

  /** Adds (or replaces) a model; it shows up in `/api/tags` and can be chatted with. */
  addModel(spec: ModelSpec): this {
    this.models.add(spec)
    return this
  }

  /** Signs the fake server in to ollama.com as `account` (as `ollama signin` would); default {@link FAKE_ACCOUNT}. */
  signIn(account: UserResponse = FAKE_ACCOUNT): this {
    this.settings.cloud.account = account
    return this
  }

  /** Signs the fake server out, as `POST /api/signout` does. */
  signOut(): this {
    this.settings.cloud.account = undefined
    return this
  }

  /** The account the fake server is signed in with, if any. */
  get account(): UserResponse | undefined {
    return this.settings.cloud.account
  }

  /** Whether a model exists (`llama3.2` and `llama3.2:latest` are the same model). */
  hasModel(name: string): boolean {
    return this.models.get(name) !== undefined
  }

  /** Stores a blob as `POST /api/blobs/:digest` would and returns its digest (`sha256:<hex>`). */
  addBlob(content: string | Buffer): string {
    const data = typeof content === 'string' ? Buffer.from(content) : content
    const digest = `sha256:${sha256Hex(data)}`
    this.models.putBlob(digest, data)
    return digest
  }

  hasBlob(digest: string): boolean {
    return this.models.hasBlob(digest)
  }

  /**
   * Scripts the answer to a coming request on `endpoint` (FIFO). A reply is consumed by
   * the first request that passes validation; a reply with `status`/`error` is a fault
   * and answers the next request whatever it contains.
   *
   * Blobs have three queues: `'blobExists'` is read by `HEAD /api/blobs/:digest` only,
   * `'blobUpload'` by `POST /api/blobs/:digest` only, and `'blobs'` by either method, but
   * only while that method's own queue is empty. So a test that uses just `'blobs'` sees
   * its replies taken by whichever blob request comes next, as before.
   *
   * `'webSearch'` and `'webFetch'` script ollama.com's hosted `/api/web_search` and
   * `/api/web_fetch` and the local `/api/experimental/web_*` alike: `body` replaces the
   * whole answer (the 401 without a Bearer key or sign-in and the 400 for a missing
   * `query`/`url` come first and leave the queue untouched; faults still answer whatever
   * comes).
   *
   * @example
   * ```ts
   * fake.enqueue('chat', { thinking: 'Hmm', text: ['Hel', 'lo'], chunkDelayMs: 10 })
   * fake.enqueue('chat', { status: 429, error: 'too busy', retryAfter: 2 })
   * fake.enqueue('generate', { text: 'partial', dropAfter: 1 })
   * fake.enqueue('blobUpload', { status: 503 })   // the next POST fails, HEADs are unaffected
   * fake.enqueue('webSearch', { body: { results: [{ title: 'Ollama', url: 'https://ollama.com/', content: '...' }] } })
   * ```
   */
  enqueue(endpoint: FakeEndpoint, reply: Reply): this {
    const queue = this.queues.get(endpoint) ?? []
    queue.push(reply)
    this.queues.set(endpoint, queue)
    return this
  }

  /** The newest recorded request, optionally for one path (e.g. `'/api/chat'`). */
  lastRequest(path?: string): RecordedRequest | undefined {
    for (let i = this.requests.length - 1; i >= 0; i--) {
      const r = this.requests[i] as RecordedRequest
      if (path === undefined || r.path === path) return r
    }
    return undefined
  }

  /**
   * Resolves when a response is closed by the client before the fake finished writing it:
   * the next one, or one that already happened and was not waited for yet.
   * Rejects after `timeoutMs` (default 2000).
   */
  waitForClientClose(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    if (this.unclaimedCloses > 0) {
      this.unclaimedCloses--
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(new Error(`FakeOllama: no response was closed by the client within ${timeoutMs} ms`))
        }, timeoutMs),
      }
      waiter.timer.unref()
      this.waiters.push(waiter)
    })
  }

  /** Clears scripted replies and recorded requests; keeps models, blobs and counters. */
  reset(): void {
    this.queues.clear()
    this.requests.length = 0
    this.unclaimedCloses = 0
  }

  /** Stops the server: ends pending timers, destroys open sockets (stalled streams included). */
  async close(): Promise<void> {
    if (this.closing) return
    this.closing = true
    for (const controller of this.exchanges) controller.abort()
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(new Error('FakeOllama closed'))
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    const socketsClosed = [...this.sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)))
    this.server.closeAllConnections()
    for (const socket of this.sockets) socket.destroy()
    await Promise.all([closed, ...socketsClosed])
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const exchange = this.track(res)
    const raw = await readBody(req)
    if (raw === undefined || exchange.signal.aborted) return
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', this.url).pathname
    const parsed = tryParseJson(raw)
    this.requests.push({ method, path, headers: req.headers, body: parsed !== undefined ? parsed : raw, raw, at: Date.now() })
    // Ollama's CORS middleware runs before any route: a refused origin or a preflight ends here.
    if (this.cors.answer(req, res)) return
    const { outcome, reply } = this.answer(method, path, raw, req.headers)
    await respond(exchange, outcome, reply)
  }

  /** Follows one response: counts it in flight and notices when the client leaves before the end. */
  private track(res: ServerResponse): Exchange {
    const controller = new AbortController()
    let dropped = false
    this.exchanges.add(controller)
    this.writing++
    res.on('error', () => {})
    res.on('close', () => {
      this.writing--
      this.exchanges.delete(controller)
      const byClient = !res.writableFinished && !dropped && !this.closing
      controller.abort()
      if (byClient) this.noteClientClose()
    })
    return {
      res,
      signal: controller.signal,
      destroy: () => {
        dropped = true
        res.destroy()
      },
    }
  }

  /** Routes the request and picks the scripted reply that shapes the answer. */
  private answer(method: string, path: string, raw: Buffer, headers: IncomingHttpHeaders): { outcome: Outcome; reply: Reply } {
    const route = matchRoute(method, path)
    if (!route.found) return { outcome: route.outcome, reply: {} }
    const queue = this.queueFor(route.endpoint, route.fallback)

    const head = queue?.[0]
    if (head && isFault(head)) {
      queue?.shift()
      return {
        outcome: faultOutcome(head),
        reply: { headersDelayMs: head.headersDelayMs, chunkDelayMs: head.chunkDelayMs, writeBytes: head.writeBytes },
      }
    }

    let reply: Reply = {}
    const ctx: HandlerContext = {
      raw,
      headers,
      params: route.params,
      models: this.models,
      settings: this.settings,
      takeReply: () => (reply = queue?.shift() ?? {}),
    }
    try {
      const outcome = route.handler(ctx)
      return { outcome, reply }
    } catch (err) {
      // A bug in the fake should fail the test visibly, not crash the process.
      const message = `FakeOllama internal error: ${err instanceof Error ? err.message : String(err)}`
      return { outcome: errorOutcome(500, message), reply: {} }
    }
  }

  /** The endpoint's own queue when it holds a reply, otherwise the shared fallback queue. */
  private queueFor(endpoint: FakeEndpoint | undefined, fallback: FakeEndpoint | undefined): Reply[] | undefined {
    const own = endpoint ? this.queues.get(endpoint) : undefined
    if (own && own.length > 0) return own
    return (fallback ? this.queues.get(fallback) : undefined) ?? own
  }

  private noteClientClose(): void {
    this.clientCloses++
    const waiter = this.waiters.shift()
    if (waiter) {
      clearTimeout(waiter.timer)
      waiter.resolve()
    } else {
      this.unclaimedCloses++
    }
  }
}

function isFault(reply: Reply): boolean {
  return reply.status !== undefined || reply.error !== undefined
}

function faultOutcome(reply: Reply): Outcome {
  const status = reply.status ?? 500
  const message = reply.error ?? (STATUS_CODES[status] ?? 'error').toLowerCase()
  const headers = reply.retryAfter !== undefined ? { 'Retry-After': String(reply.retryAfter) } : undefined
  return errorOutcome(status, message, headers)
}

/** Reads the whole body; `undefined` when the client went away first. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = []
    req.on('data', (chunk: Buffer) => parts.push(chunk))
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', () => resolve(undefined))
    req.on('close', () => {
      if (!req.complete) resolve(undefined)
    })
  })
}
