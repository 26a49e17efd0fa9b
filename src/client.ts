import { ChunkStream } from '../actors/chunk-stream.js'
import { Mailbox } from '../actors/mailbox.js'
import { Task } from '../actors/task.js'
import type { AnyStreamed, Call, ChatFields, CreateFields, FormatChoice, Shape, StreamCall, StreamOff, StreamToParent, StreamTrue } from './call-types.js'
import { whenAborted } from './abort-group.js'
import { AbortError } from './errors/AbortError.js'
import { OllixirError } from './errors/OllixirError.js'
import { RequestError } from './errors/RequestError.js'
import { ResponseError } from './errors/ResponseError.js'
import { DEFAULT_HOST, isOllamaCloud, parseHost } from './host.js'
import { INTERNALS, type ClientInternals, type PreparedCall } from './internals.js'
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_TIMEOUT_MS, type CallOptions, type ClientOptions, type ResponseFormat, type RetryOptions } from './options.js'
import { ENDPOINTS, isStreamMethod, type Endpoint, type EndpointName, type StreamMethod } from './protocol/endpoints.js'
import { readAnswer } from './protocol/check-answer.js'
import { BLOB_DIGEST, type BlobSource } from './protocol/create-files.js'
import { buildBody } from './protocol/request-body.js'
import { fetchPlatform } from './platform/fetch-platform.js'
import type { Platform } from './platform/platform.js'
import { fanOut, mergeModels } from './pool/fan-out.js'
import { HostPool } from './pool/host-pool.js'
import { modelKey } from './pool/model-name.js'
import { openRouted, type RoutedCall } from './pool/open-routed.js'
import { poolMembers, type PoolMember } from './pool/pool-members.js'
import { POOL_DEFAULTS } from './pool/pool-options.js'
import { markServedBy } from './pool/served-by.js'
import { openRequest, type HttpCall, type HttpMethod, type OpenResponse } from './transport/open-request.js'
import { readBody } from './transport/read-body.js'
import { resolveRetry } from './transport/retry.js'
import type { Transport } from './transport/transport.js'
import * as S from './types/structs.js'
import type * as W from './types/wire.js'

const DEFAULT_CLOUD_HOST = 'https://ollama.com'
const DEFAULT_HIGH_WATER_MARK = 1024

export type { Call, ChatCall, CreateCall, GenerateCall, PullCall, PushCall, StreamCall, StreamParent, StreamTarget } from './call-types.js'

/**
 * copy and delete answer with an empty body; like ollama-js, they resolve to this.
 * With `hosts`, a model-management call without `host` went to every host: `hosts`
 * says which answered (a failure on any rejects with `EFANOUT`).
 */
export interface StatusResponse {
  status: 'success'
  hosts?: Array<{ host: string; status: string }>
}

/** Model-management calls that go to every host when a pool call names none. */
const FAN_OUT_METHODS = new Set<EndpointName>(['pull', 'create', 'copy', 'delete'])
let nextCallNumber = 1

export type { BlobSource }

/**
 * A client for one Ollama server, or for several (`hosts`: see the README's "Several servers").
 *
 * @example
 * const client = Ollixir.init()                       // OLLAMA_HOST, else http://127.0.0.1:11434
 * const reply = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] })
 * for await (const chunk of await client.chat({ model, messages, stream: true })) write(chunk.message.content)
 * const task = await client.chat({ model, messages, stream: self })  // inside an XState machine
 */
export class Ollixir<F extends ResponseFormat = 'map'> {
  /** Normalised base URL, e.g. `http://127.0.0.1:11434`; with `hosts`, the host of the last call. */
  declare readonly host: string
  // Private fields: never enumerable, never in JSON, never in an inspector.
  /** The host of the last call (with one host, always that host). */
  #host: string
  /** With `hosts`: the servers, their keys and headers, and the pool that routes between them. */
  readonly #members: ReadonlyMap<string, PoolMember> | undefined
  readonly #pool: HostPool | undefined
  readonly #headers: Record<string, string>
  readonly #apiKey: string | undefined
  readonly #cloudKey: string | undefined
  readonly #cloudHost: string
  readonly #timeout: number
  readonly #retry: RetryOptions | false | undefined
  readonly #responseFormat: ResponseFormat
  readonly #maxLineBytes: number
  readonly #validate: boolean
  readonly #inflight = new Set<AbortController>()
  readonly #platform: Platform
  readonly #transport: Transport
  readonly #internals: ClientInternals
  /** Per-client constants computed on first use, not per request: header sets and retry policies. */
  readonly #headerCache = new Map<string, Readonly<Record<string, string>>>()
  readonly #retryCache = new Map<boolean, ReturnType<typeof resolveRetry>>()

  /**
   * `platform` is given by the Node entry (got, file paths, `node:crypto`); without
   * it the client runs on fetch alone, as in browsers, Deno, Bun and workers.
   */
  constructor(options: ClientOptions & { responseFormat?: F } = {}, /** @internal */ platform: Platform = fetchPlatform) {
    this.#platform = platform
    this.#headers = { ...options.headers }
    this.#apiKey = options.apiKey
    if (options.hosts !== undefined && options.hosts.length > 0) {
      const settings = { ...POOL_DEFAULTS, ...withoutUndefined(options.pool ?? {}) }
      const members = poolMembers(options.hosts, { apiKey: options.apiKey, headers: this.#headers, slots: settings.slots })
      this.#members = new Map(members.map((member) => [member.host, member]))
      this.#pool = new HostPool(members, settings, { probe: (host) => this.#probe(host), view: (host) => this.#view(host) }, options.inspect)
      this.#host = members[0]!.host
    } else {
      this.#members = undefined
      this.#pool = undefined
      this.#host = parseHost(options.host ?? platform.env('OLLAMA_HOST') ?? DEFAULT_HOST)
    }
    this.#cloudKey = options.apiKey ?? platform.env('OLLAMA_API_KEY') ?? undefined
    this.#cloudHost = parseHost(options.cloudHost ?? DEFAULT_CLOUD_HOST)
    this.#timeout = options.timeout ?? DEFAULT_TIMEOUT_MS
    this.#retry = options.retry
    this.#responseFormat = options.responseFormat ?? 'map'
    this.#maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
    this.#validate = options.validate ?? true
    this.#transport = platform.createTransport(options.fetch)
    const client = this
    this.#internals = {
      transport: this.#transport,
      inspect: options.inspect,
      highWaterMark: options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK,
      responseFormat: this.#responseFormat,
      track: (signal) => this.#track(signal),
      prepare: (method, request, stream, signal, onProgress) => this.#prepare(method, request, stream, signal, onProgress),
      open: (prepared, request) => this.#open(prepared, request),
      get host() {
        return client.#host
      },
      pooled: this.#pool !== undefined,
    }
    // An own enumerable property, as it always was (`Object.keys(client)` is `['host']`), that follows the pool.
    Object.defineProperty(this, 'host', { get: () => this.#host, enumerable: true })
  }

  /**
   * With `hosts`: the pool, to inspect (`views()`, the router `actor` whose children are
   * the host actors) or refresh. `undefined` for a client of one host.
   */
  get pool(): Pick<HostPool, 'hosts' | 'views' | 'refresh' | 'actor' | 'waiting'> | undefined {
    return this.#pool
  }

  /** `Ollixir.init()`, `Ollixir.init('localhost:11434')` or `Ollixir.init({ host, … })`. */
  static init<F extends ResponseFormat = 'map'>(options?: string | (ClientOptions & { responseFormat?: F })): Ollixir<F> {
    return new Ollixir<F>(typeof options === 'string' ? { host: options } : options)
  }

  /** @internal The request actor's way in; not part of the public API. */
  get [INTERNALS](): ClientInternals {
    return this.#internals
  }

  // ---- inference -------------------------------------------------------------------

  /** POST /api/chat. `stream: true` → ChunkStream; `stream: parent` → Task; else the reply. */
  chat<X extends ResponseFormat = F>(request: Call<ChatFields> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ChatResponse, S.ChatResponse>, Shape<X, W.ChatResponse, S.ChatResponse>>>
  chat<X extends ResponseFormat = F>(request: Call<ChatFields> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ChatResponse, S.ChatResponse>, Shape<X, W.ChatResponse, S.ChatResponse>>>
  chat<X extends ResponseFormat = F>(request: Call<ChatFields> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ChatResponse, S.ChatResponse>>
  chat<X extends ResponseFormat = F>(request: StreamCall<ChatFields> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ChatResponse, S.ChatResponse>>>
  chat(request: StreamCall<ChatFields>): Promise<unknown> {
    return this.#streamable('chat', request)
  }

  /** POST /api/generate. `stream: true` → ChunkStream; `stream: parent` → Task; else the reply. */
  generate<X extends ResponseFormat = F>(request: Call<W.GenerateRequest> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.GenerateResponse, S.GenerateResponse>, Shape<X, W.GenerateResponse, S.GenerateResponse>>>
  generate<X extends ResponseFormat = F>(request: Call<W.GenerateRequest> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.GenerateResponse, S.GenerateResponse>, Shape<X, W.GenerateResponse, S.GenerateResponse>>>
  generate<X extends ResponseFormat = F>(request: Call<W.GenerateRequest> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.GenerateResponse, S.GenerateResponse>>
  generate<X extends ResponseFormat = F>(request: StreamCall<W.GenerateRequest> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.GenerateResponse, S.GenerateResponse>>>
  generate(request: StreamCall<W.GenerateRequest>): Promise<unknown> {
    return this.#streamable('generate', request)
  }

  /** Alias of `generate`, as in the Elixir client. */
  completion<X extends ResponseFormat = F>(request: Call<W.GenerateRequest> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.GenerateResponse, S.GenerateResponse>, Shape<X, W.GenerateResponse, S.GenerateResponse>>>
  completion<X extends ResponseFormat = F>(request: Call<W.GenerateRequest> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.GenerateResponse, S.GenerateResponse>, Shape<X, W.GenerateResponse, S.GenerateResponse>>>
  completion<X extends ResponseFormat = F>(request: Call<W.GenerateRequest> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.GenerateResponse, S.GenerateResponse>>
  completion<X extends ResponseFormat = F>(request: StreamCall<W.GenerateRequest> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.GenerateResponse, S.GenerateResponse>>>
  completion(request: StreamCall<W.GenerateRequest>): Promise<unknown> {
    return this.generate(request)
  }

  /** POST /api/embed: embeddings for one input or many. */
  embed<X extends ResponseFormat = F>(request: Call<W.EmbedRequest> & FormatChoice<X>): Promise<Shape<X, W.EmbedResponse, S.EmbedResponse>> {
    return this.#call('embed', request)
  }

  /** POST /api/embeddings (legacy, one prompt). Prefer `embed`. */
  embeddings<X extends ResponseFormat = F>(request: Call<W.EmbeddingsRequest> & FormatChoice<X>): Promise<Shape<X, W.EmbeddingsResponse, S.EmbeddingsResponse>> {
    return this.#call('embeddings', request)
  }

  // ---- models ------------------------------------------------------------------------

  /** GET /api/tags: the models on the server. */
  list<X extends ResponseFormat = F>(options?: CallOptions & FormatChoice<X>): Promise<Shape<X, W.ListResponse, S.ListResponse>> {
    return this.#call('list', options ?? {})
  }

  /** Alias of `list`. */
  listModels<X extends ResponseFormat = F>(options?: CallOptions & FormatChoice<X>): Promise<Shape<X, W.ListResponse, S.ListResponse>> {
    return this.list(options)
  }

  /** POST /api/show: details, template, parameters and capabilities of a model. */
  show<X extends ResponseFormat = F>(request: Call<W.ShowRequest> & FormatChoice<X>): Promise<Shape<X, W.ShowResponse, S.ShowResponse>> {
    return this.#call('show', request)
  }

  /** Alias of `show`. */
  showModel<X extends ResponseFormat = F>(request: Call<W.ShowRequest> & FormatChoice<X>): Promise<Shape<X, W.ShowResponse, S.ShowResponse>> {
    return this.show(request)
  }

  /** GET /api/ps: the models loaded in memory. */
  ps<X extends ResponseFormat = F>(options?: CallOptions & FormatChoice<X>): Promise<Shape<X, W.ProcessResponse, S.ProcessResponse>> {
    return this.#call('ps', options ?? {})
  }

  /** Alias of `ps`. */
  listRunning<X extends ResponseFormat = F>(options?: CallOptions & FormatChoice<X>): Promise<Shape<X, W.ProcessResponse, S.ProcessResponse>> {
    return this.ps(options)
  }

  /**
   * POST /api/create; streams progress like `pull`. `files`/`adapters` may hold
   * bytes, file paths or streams instead of digests: each is uploaded as a blob first
   * (HEAD, then POST only when missing). Streamed, the uploads report progress as
   * chunks too: `{ status: 'uploading model.gguf', digest, total, completed }`.
   */
  create<X extends ResponseFormat = F>(request: Call<CreateFields> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  create<X extends ResponseFormat = F>(request: Call<CreateFields> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  create<X extends ResponseFormat = F>(request: Call<CreateFields> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ProgressResponse, S.ProgressResponse>>
  create<X extends ResponseFormat = F>(request: StreamCall<CreateFields> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  create(request: StreamCall<CreateFields>): Promise<unknown> {
    return this.#streamable('create', request)
  }

  /** Alias of `create`. */
  createModel<X extends ResponseFormat = F>(request: Call<CreateFields> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  createModel<X extends ResponseFormat = F>(request: Call<CreateFields> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  createModel<X extends ResponseFormat = F>(request: Call<CreateFields> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ProgressResponse, S.ProgressResponse>>
  createModel<X extends ResponseFormat = F>(request: StreamCall<CreateFields> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  createModel(request: StreamCall<CreateFields>): Promise<unknown> {
    return this.create(request)
  }

  /** POST /api/copy. */
  async copy(request: Call<W.CopyRequest>): Promise<StatusResponse> {
    return statusOf(await this.#call('copy', request))
  }

  copyModel(request: Call<W.CopyRequest>): Promise<StatusResponse> {
    return this.copy(request)
  }

  /** DELETE /api/delete. */
  async delete(request: Call<W.DeleteRequest>): Promise<StatusResponse> {
    return statusOf(await this.#call('delete', request))
  }

  deleteModel(request: Call<W.DeleteRequest>): Promise<StatusResponse> {
    return this.delete(request)
  }

  /** POST /api/pull; `stream: true` gives progress chunks (see `trackProgress`). */
  pull<X extends ResponseFormat = F>(request: Call<W.PullRequest> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pull<X extends ResponseFormat = F>(request: Call<W.PullRequest> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pull<X extends ResponseFormat = F>(request: Call<W.PullRequest> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ProgressResponse, S.ProgressResponse>>
  pull<X extends ResponseFormat = F>(request: StreamCall<W.PullRequest> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pull(request: StreamCall<W.PullRequest>): Promise<unknown> {
    return this.#streamable('pull', request)
  }

  /** Alias of `pull`. */
  pullModel<X extends ResponseFormat = F>(request: Call<W.PullRequest> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pullModel<X extends ResponseFormat = F>(request: Call<W.PullRequest> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pullModel<X extends ResponseFormat = F>(request: Call<W.PullRequest> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ProgressResponse, S.ProgressResponse>>
  pullModel<X extends ResponseFormat = F>(request: StreamCall<W.PullRequest> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pullModel(request: StreamCall<W.PullRequest>): Promise<unknown> {
    return this.pull(request)
  }

  /** POST /api/push. */
  push<X extends ResponseFormat = F>(request: Call<W.PushRequest> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  push<X extends ResponseFormat = F>(request: Call<W.PushRequest> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  push<X extends ResponseFormat = F>(request: Call<W.PushRequest> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ProgressResponse, S.ProgressResponse>>
  push<X extends ResponseFormat = F>(request: StreamCall<W.PushRequest> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  push(request: StreamCall<W.PushRequest>): Promise<unknown> {
    return this.#streamable('push', request)
  }

  /** Alias of `push`. */
  pushModel<X extends ResponseFormat = F>(request: Call<W.PushRequest> & StreamTrue & FormatChoice<X>): Promise<ChunkStream<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pushModel<X extends ResponseFormat = F>(request: Call<W.PushRequest> & StreamToParent & FormatChoice<X>): Promise<Task<Shape<X, W.ProgressResponse, S.ProgressResponse>, Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pushModel<X extends ResponseFormat = F>(request: Call<W.PushRequest> & StreamOff & FormatChoice<X>): Promise<Shape<X, W.ProgressResponse, S.ProgressResponse>>
  pushModel<X extends ResponseFormat = F>(request: StreamCall<W.PushRequest> & FormatChoice<X>): Promise<AnyStreamed<Shape<X, W.ProgressResponse, S.ProgressResponse>>>
  pushModel(request: StreamCall<W.PushRequest>): Promise<unknown> {
    return this.push(request)
  }

  /** GET /api/version. */
  version<X extends ResponseFormat = F>(options?: CallOptions & FormatChoice<X>): Promise<Shape<X, W.VersionResponse, S.VersionResponse>> {
    return this.#call('version', options ?? {})
  }

  // ---- blobs -------------------------------------------------------------------------

  /** HEAD /api/blobs/:digest — whether the server already has this blob. */
  async blobExists(digest: string, options: CallOptions = {}): Promise<boolean> {
    // Several hosts: the blob exists when every one has it (create may run on any of them).
    if (this.#pool && options.host === undefined) {
      const answers = await Promise.all(this.#pool.hosts.map((host) => this.blobExists(digest, { ...options, host })))
      return answers.every(Boolean)
    }
    try {
      await this.#blob('HEAD', digest, undefined, options)
      return true
    } catch (error) {
      if (error instanceof ResponseError && error.status === 404) return false
      throw error
    }
  }

  /**
   * Uploads a blob and resolves with its digest (`sha256:<hex>`), for `create`'s
   * `files`/`adapters`. The digest is computed here; the upload is skipped when the
   * server already has the blob. A readable stream is spooled to a temporary file
   * while it is hashed, so memory stays flat however large it is.
   */
  createBlob(data: BlobSource, options: CallOptions = {}): Promise<string> {
    if (this.#pool && options.host === undefined) {
      return fanOut('createBlob', this.#pool.hosts, (host) => this.#createBlob(data, 'data', { ...options, host })).then((results) => results[0]!.ok)
    }
    return this.#createBlob(data, 'data', options)
  }

  // ---- cloud -------------------------------------------------------------------------

  /**
   * A web search. With a cloud key (`apiKey` or `OLLAMA_API_KEY`): POST
   * https://ollama.com/api/web_search with it. Without one: POST
   * /api/experimental/web_search on this client's server, which forwards it to
   * ollama.com with its own sign-in (`ollama signin`); a server not signed in answers
   * 401 with `signinUrl` on the ResponseError.
   */
  webSearch<X extends ResponseFormat = F>(request: Call<W.WebSearchRequest> & FormatChoice<X>): Promise<Shape<X, W.WebSearchResponse, S.WebSearchResponse>> {
    return this.#call('webSearch', request)
  }

  /** A web page's text and links: ollama.com's /api/web_fetch with a cloud key, else the server's /api/experimental/web_fetch (as `webSearch`). */
  webFetch<X extends ResponseFormat = F>(request: Call<W.WebFetchRequest> & FormatChoice<X>): Promise<Shape<X, W.WebFetchResponse, S.WebFetchResponse>> {
    return this.#call('webFetch', request)
  }

  // ---- server and account ------------------------------------------------------------

  /** GET /api/status: the server's settings that concern clients (whether cloud features are off). */
  status(options?: CallOptions): Promise<W.ServerStatus> {
    return this.#call('status', options ?? {})
  }

  /**
   * POST /api/me: the ollama.com account this server is signed in with. A server not
   * signed in answers 401: a ResponseError whose `signinUrl` is where to sign it in.
   */
  me(options?: CallOptions): Promise<W.UserResponse> {
    return this.#call('me', options ?? {})
  }

  /** POST /api/signout: signs this server out of ollama.com (401 when it was not signed in). */
  async signout(options?: CallOptions): Promise<StatusResponse> {
    await this.#call('signout', options ?? {})
    return { status: 'success' }
  }

  // ---- lifecycle ---------------------------------------------------------------------

  /** Aborts every request of this client in flight: streams, tasks and plain calls. */
  abort(reason?: unknown): void {
    for (const controller of [...this.#inflight]) controller.abort(reason ?? new AbortError('Request (client.abort())'))
  }

  /** Aborts what is in flight and closes idle keep-alive sockets. The client stays usable. */
  close(): void {
    this.abort()
    this.#pool?.stop()
    this.#transport.close()
  }

  /** A client serialises to its host (and its hosts): no key, no headers. */
  toJSON(): { host: string; hosts?: readonly string[] } {
    return this.#pool ? { host: this.host, hosts: this.#pool.hosts } : { host: this.host }
  }

  // ---- internals ---------------------------------------------------------------------

  #streamable(method: StreamMethod, request: StreamCall<object>): Promise<any> {
    const target = request.stream
    if (this.#pool && target && FAN_OUT_METHODS.has(method) && request.host === undefined) {
      return Promise.reject(
        new RequestError(`${method}: with several hosts, a streamed ${method} needs \`host\` (which server to stream from); without \`stream\` it goes to every host.`, { field: 'host' }),
      )
    }
    if (target === true) return this.#enumerable(method, request)
    if (target && typeof target === 'object') return Promise.resolve(new Task(this, method, request, target))
    return this.#call(method, request)
  }

  /** `stream: true`: a Task feeding a mailbox; resolves once the response status is known. */
  async #enumerable(method: StreamMethod, request: object): Promise<ChunkStream> {
    const mailbox = new Mailbox(this.#internals.highWaterMark)
    const task = new Task(this, method, request, mailbox)
    mailbox.flowControl = (pause) => task.flow(pause)
    await new Promise<void>((resolve) => {
      const subscription = task.actor.subscribe({
        next: (snapshot) => {
          if (snapshot.context.phase !== 'connecting' || snapshot.status !== 'active') {
            subscription?.unsubscribe()
            resolve()
          }
        },
        complete: () => resolve(),
      })
      if (task.actor.getSnapshot().context.phase !== 'connecting') resolve()
    })
    const snapshot = task.actor.getSnapshot()
    // No status ever arrived (refused, HTTP error, timeout, abort): reject, as a plain call would.
    if (snapshot.output && 'error' in snapshot.output && snapshot.context.httpStatus === undefined) {
      mailbox.clear()
      throw snapshot.output.error
    }
    return new ChunkStream(task, mailbox)
  }

  /** A call whose whole response is one JSON body. */
  async #call(method: EndpointName, request: object): Promise<any> {
    const options = request as CallOptions & Record<string, unknown>
    if (this.#pool && options.host === undefined) {
      if (FAN_OUT_METHODS.has(method)) return this.#fanOut(method, options, this.#pool)
      if (method === 'list' || method === 'ps') return this.#merged(method, options, this.#pool)
    }
    const stream = isStreamMethod(method) ? false : undefined
    const { controller, release } = this.#track(options.signal)
    try {
      const prepared = await this.#prepare(method, options, stream, controller.signal)
      const { body, host } = await this.#sendPrepared(prepared)
      const kind = (ENDPOINTS[method] as Endpoint).struct
      if (body === undefined || !kind) return body
      return markServedBy(prepared.responseFormat === 'struct' ? S.toStruct(kind, body) : body, host)
    } finally {
      release()
    }
  }

  async #sendPrepared(prepared: PreparedCall): Promise<{ body: Record<string, unknown> | undefined; host: string }> {
    const response = await this.#open(prepared, `${prepared.method}#${nextCallNumber++}`)
    const text = await readBody(response, prepared.call, prepared.maxLineBytes)
    return { body: readAnswer(prepared.method, response.status, text, prepared.call.what), host: response.host }
  }

  /** Opens a prepared call on the client's host, or through the pool. */
  async #open(prepared: PreparedCall, request: string): Promise<OpenResponse & { host: string; routed?: boolean }> {
    if (!prepared.routed) return { ...(await openRequest(this.#transport, prepared.call)), host: prepared.call.host }
    const response = await openRouted(this.#pool!, this.#transport, { ...prepared.routed, route: { ...prepared.routed.route, request } }, prepared.call)
    this.#host = response.host
    return { ...response, routed: true }
  }

  /**
   * The pool's own requests (probes, model views): straight to one host, outside its
   * slots and its routing (a full host still answers them), not retried, short timeout,
   * not aborted by `client.abort()`.
   */
  async #housekeeping(method: 'version' | 'ps' | 'list', host: string): Promise<unknown> {
    const signal = new AbortController().signal
    const prepared = await this.#prepare(method, { host, retry: false, timeout: PROBE_TIMEOUT_MS }, undefined, signal)
    const response = await openRequest(this.#transport, prepared.call)
    return readAnswer(method, response.status, await readBody(response, prepared.call, prepared.maxLineBytes), prepared.call.what)
  }

  /** A model-management call without `host` on a pool: sent to every host, each result kept. */
  async #fanOut(method: EndpointName, options: CallOptions & Record<string, unknown>, pool: HostPool): Promise<StatusResponse> {
    const results = await fanOut(method, pool.hosts, (host) => this.#call(method, { ...options, host }) as Promise<{ status?: string } | undefined>)
    return { status: 'success', hosts: results.map(({ host, ok }) => ({ host, status: ok?.status ?? 'success' })) }
  }

  /** `list` or `ps` of every host as one answer; each model says which `hosts` have it. */
  async #merged(method: 'list' | 'ps', options: CallOptions & Record<string, unknown>, pool: HostPool): Promise<unknown> {
    const settled = await Promise.allSettled(pool.hosts.map((host) => this.#call(method, { ...options, host, responseFormat: 'map' })))
    const answers: Array<{ host: string; ok: { models?: Array<Record<string, unknown>> } }> = []
    const failures = new Map<string, OllixirError>()
    settled.forEach((result, index) => {
      const host = pool.hosts[index]!
      if (result.status === 'fulfilled') answers.push({ host, ok: result.value })
      else if (OllixirError.isInstance(result.reason)) failures.set(host, result.reason)
      else throw result.reason
    })
    if (answers.length === 0) {
      const first = [...failures.values()][0]
      if (first?.code === 'ABORT_ERR') throw first
      throw pool.noHostError(failures)
    }
    const merged = mergeModels(answers, [...failures.keys()])
    return (options.responseFormat ?? this.#responseFormat) === 'struct' ? S.toStruct(ENDPOINTS[method].struct!, merged) : merged
  }

  /** The pool's health check: `GET /api/version` on one host. */
  async #probe(host: string): Promise<void> {
    await this.#housekeeping('version', host)
  }

  /** What the pool needs of one host: the models loaded (`/api/ps`) and pulled (`/api/tags`). */
  async #view(host: string): Promise<{ loaded: string[]; pulled: string[] }> {
    const ask = (method: 'ps' | 'list') => this.#housekeeping(method, host) as Promise<W.ListResponse>
    const [running, tags] = await Promise.all([ask('ps'), ask('list')])
    const keys = (answer: W.ListResponse) => (answer.models ?? []).map((model) => modelKey(String(model.model ?? model.name)))
    return { loaded: keys(running), pulled: keys(tags) }
  }

  /** One request and its whole body as text. */
  async #exchange(call: HttpCall, maxBytes: number): Promise<{ status: number; text: string }> {
    const response = await openRequest(this.#transport, call)
    return { status: response.status, text: await readBody(response, call, maxBytes) }
  }

  /** `progress` hears about the upload: once skipped or started, then as bytes go out. */
  async #createBlob(data: BlobSource, field: string, options: CallOptions, progress?: (update: BlobProgress) => void): Promise<string> {
    // Tracked from the start: client.abort() and the signal stop the hashing too.
    const { controller, release } = this.#track(options.signal)
    const signal = controller.signal
    let source
    try {
      source = await this.#platform.prepareBlob(data, field, signal)
    } catch (error) {
      release()
      if (signal.aborted) throw new AbortError(`createBlob (${field})`, signal.reason)
      throw error
    }
    options = { ...options, signal }
    try {
      const { digest, size } = source
      if (await this.blobExists(digest, options)) {
        progress?.({ digest, total: size, completed: size, existed: true })
        return digest
      }
      progress?.({ digest, total: size, completed: 0, existed: false })
      const onUpload = progress && throttled(size, (completed) => progress({ digest, total: size, completed, existed: false }))
      await this.#blob('POST', digest, source.body, options, onUpload)
      return digest
    } finally {
      release()
      await source.dispose()
    }
  }

  /** HEAD or POST /api/blobs/:digest, tracked for abort like any other call; the body is not used. */
  async #blob(method: 'HEAD' | 'POST', digest: string, body: HttpCall['body'], options: CallOptions, onUpload?: (transferred: number) => void): Promise<void> {
    if (!BLOB_DIGEST.test(digest)) {
      throw new RequestError(`${method === 'HEAD' ? 'blobExists' : 'createBlob'}: "${digest}" is not a blob digest (sha256:<64 hex digits>).`, { field: 'digest' })
    }
    const member = this.#pinned(options.host)
    const headers = { ...this.#headersFor(false, 'blobs', false, member), 'content-type': 'application/octet-stream' }
    const { controller, release } = this.#track(options.signal)
    try {
      const call = this.#httpCall(method, member?.host ?? this.host, `/api/blobs/${digest}`, headers, body, options, controller.signal)
      await this.#exchange(onUpload ? { ...call, onUpload } : call, this.#maxLineBytes)
    } finally {
      release()
    }
  }

  #track(signal: AbortSignal | undefined): { controller: AbortController; release: () => void } {
    const controller = new AbortController()
    let forget: (() => void) | undefined
    if (signal?.aborted) controller.abort(signal.reason)
    // One listener per caller signal, however many calls share it (see whenAborted).
    else if (signal) forget = whenAborted(signal, () => controller.abort(signal.reason))
    this.#inflight.add(controller)
    return {
      controller,
      release: () => {
        this.#inflight.delete(controller)
        forget?.()
      },
    }
  }

  async #prepare(
    method: EndpointName,
    request: Record<string, unknown>,
    stream: boolean | undefined,
    signal: AbortSignal,
    onProgress?: (chunk: W.ProgressResponse) => void,
  ): Promise<PreparedCall> {
    const endpoint: Endpoint = ENDPOINTS[method]
    // With a cloud key, straight to ollama.com; without one, through the local server's proxy.
    const cloud = endpoint.localPath !== undefined && this.#cloudKey !== undefined
    const pinned = this.#pinned((request as CallOptions).host)
    const base = cloud ? this.#cloudHost : (pinned?.host ?? this.host)
    const path = cloud || endpoint.localPath === undefined ? endpoint.path : endpoint.localPath
    const options = request as CallOptions
    // create's files go up with the call's own signal, timeout and retry policy.
    const uploadFile = (source: BlobSource, name: string, field: string) =>
      this.#createBlob(source, field, { ...options, signal }, onProgress && ((update) => onProgress(uploadProgress(name, update))))
    const body = endpoint.http === 'GET' ? undefined : await buildBody(method, request, stream, options.validate ?? this.#validate, this.#platform.readImageFile, uploadFile)
    const headers = this.#headersFor(cloud, method, stream === true, pinned, body !== undefined)
    const idempotent = (endpoint as Endpoint).idempotent !== false
    const call = this.#httpCall(endpoint.http, base, path, headers, body, options, signal, idempotent)
    const prepared: PreparedCall = { method, call, responseFormat: options.responseFormat ?? this.#responseFormat, maxLineBytes: this.#maxLineBytes }
    if (this.#pool && !cloud) prepared.routed = this.#routed(method, request, call, path, stream === true, pinned)
    return prepared
  }

  /** How the pool sends this call to any of its hosts: same request, that host's URL, key and headers. */
  #routed(method: EndpointName, request: Record<string, unknown>, template: HttpCall, path: string, streaming: boolean, pinned: PoolMember | undefined): RoutedCall {
    const model = request.model ?? request.name
    const conversation = request.conversation
    return {
      route: {
        request: method,
        model: typeof model === 'string' && model !== '' ? modelKey(model) : undefined,
        pinned: pinned?.host,
        conversation: typeof conversation === 'string' ? conversation : undefined,
      },
      callFor: (host) => {
        const member = this.#members!.get(host)!
        return { ...template, url: host + path, host, headers: this.#headersFor(false, method, streaming, member, template.body !== undefined) }
      },
    }
  }

  /** The pool member a call names with `host`; a host that is not one of `hosts` is refused. */
  #pinned(host: string | undefined): PoolMember | undefined {
    if (host === undefined || !this.#members) return undefined
    const member = this.#members.get(parseHost(host))
    if (!member) throw new RequestError(`host: ${parseHost(host)} is not one of this client's hosts (${[...this.#members.keys()].join(', ')}).`, { field: 'host' })
    return member
  }

  /** The one place a call's options (timeout, retry) meet the client's. */
  #httpCall(method: HttpMethod, base: string, path: string, headers: Record<string, string>, body: HttpCall['body'], options: CallOptions, signal: AbortSignal, idempotent = true): HttpCall {
    return {
      method,
      url: base + path,
      headers,
      ...(body === undefined ? {} : { body }),
      timeout: options.timeout ?? this.#timeout,
      signal,
      retry: options.retry === undefined ? this.#clientRetry(idempotent) : resolveRetry(this.#retry, options.retry, { idempotent }),
      host: base,
      what: `${method} ${path}`,
    }
  }

  /** The client's own retry policy for a call that sets none: the same every time, so made once. */
  #clientRetry(idempotent: boolean): ReturnType<typeof resolveRetry> {
    let policy = this.#retryCache.get(idempotent)
    if (policy === undefined) this.#retryCache.set(idempotent, (policy = resolveRetry(this.#retry, undefined, { idempotent })))
    return policy
  }

  /**
   * The headers depend only on the client's settings, on (cloud, streaming) and on the
   * pool member, so each set is built once and shared, frozen: no transport may change
   * what another call sends.
   */
  #headersFor(cloud: boolean, method: string, streaming = false, member?: PoolMember, withBody = true): Record<string, string> {
    const key = `${cloud}:${streaming}:${withBody}:${member?.host ?? ''}`
    let headers = this.#headerCache.get(key)
    if (headers === undefined) this.#headerCache.set(key, (headers = Object.freeze(this.#buildHeaders(cloud, streaming, member, withBody))))
    return headers as Record<string, string>
  }

  /** Keys go only where they belong: `apiKey` to the configured host (or its pool member's), the cloud key to ollama.com. */
  #buildHeaders(cloud: boolean, streaming: boolean, member: PoolMember | undefined, withBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: streaming ? 'application/x-ndjson' : 'application/json' }
    // Only a body has a type; without one a page's GET stays a simple CORS request (no preflight).
    if (withBody) headers['content-type'] = 'application/json'
    if (this.#platform.userAgent) headers['user-agent'] = this.#platform.userAgent
    if (cloud) {
      headers.authorization = `Bearer ${this.#cloudKey}`
      return headers
    }
    const host = member?.host ?? this.host
    const key = (member ? member.apiKey : this.#apiKey) ?? (isOllamaCloud(host) ? this.#cloudKey : undefined)
    if (key) headers.authorization = `Bearer ${key}`
    // The caller's headers win, an explicit `authorization` included (any letter case).
    for (const [name, value] of Object.entries(member?.headers ?? this.#headers)) {
      if (name.toLowerCase() === 'authorization') delete headers.authorization
      headers[name.toLowerCase()] = value
    }
    return headers
  }
}

/** A pool's health checks and model views must not wait minutes for a stalled host. */
const PROBE_TIMEOUT_MS = 5000

/** copy/delete: one host's empty answer, or a fan-out's per-host results. */
function statusOf(answer: unknown): StatusResponse {
  const hosts = (answer as StatusResponse | undefined)?.hosts
  return hosts ? { status: 'success', hosts } : { status: 'success' }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** How one blob upload is going; `existed` when the server had it and nothing was sent. */
interface BlobProgress {
  digest: string
  total: number
  completed: number
  existed: boolean
}

/** A blob upload as a progress chunk, shaped like pull's so one progress bar serves both. */
function uploadProgress(name: string, update: BlobProgress): W.ProgressResponse {
  const status = update.existed ? `using existing ${name}` : `uploading ${name}`
  return { status, digest: update.digest, total: update.total, completed: update.completed }
}

/** Calls `report` about every 1% of `total` (and at the end), not for every socket write. */
function throttled(total: number, report: (completed: number) => void): (completed: number) => void {
  const step = Math.max(total / 100, 64 * 1024)
  let next = step
  return (completed) => {
    if (completed < next && completed < total) return
    next = completed + step
    report(completed)
  }
}
