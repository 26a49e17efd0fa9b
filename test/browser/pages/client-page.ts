/**
 * A page that uses ollixir as a front-end app would: everything comes from the browser
 * entry (`src/browser.ts`), nothing from Node. Each exposed function runs one scenario
 * and answers with plain data; the tests look at the server side through FakeOllama.
 */
import { assign, createActor, setup, waitFor, type InspectionEvent } from 'xstate'
import clientOfThePage, {
  ConnectionError,
  createAgent,
  createChatSession,
  createTraceInspector,
  defineTool,
  Ollixir,
  OllixirError,
  parseStructured,
  type ChunkStream,
  type ClientOptions,
  type GenerateResponse,
  type OllixirEvent,
} from '../../../src/browser.js'
import { exposeToTests } from '../page-api.js'

/** An error as data: what a test asserts on (class, code, message, field, status). */
export interface PageError {
  name: string
  message: string
  ollixir: boolean
  connectionError: boolean
  code?: string
  field?: string
  status?: number
}

function describeError(error: unknown): PageError {
  const described: PageError = {
    name: error instanceof Error ? error.name : 'unknown',
    message: error instanceof Error ? error.message : String(error),
    ollixir: OllixirError.isInstance(error),
    connectionError: error instanceof ConnectionError,
  }
  const { code, field, status } = error as { code?: unknown; field?: unknown; status?: unknown }
  if (typeof code === 'string') described.code = code
  if (typeof field === 'string') described.field = field
  if (typeof status === 'number') described.status = status
  return described
}

type Attempt<T> = { ok: true; value: T } | { ok: false; error: PageError }

async function attempt<T>(run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() }
  } catch (error) {
    return { ok: false, error: describeError(error) }
  }
}

const CHAT = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hello' }] }

function clientFor(host: string, options: ClientOptions = {}): Ollixir {
  return Ollixir.init({ host, retry: false, ...options })
}

/** The host a page's client talks to when none is given. */
function defaultHosts(): { defaultExport: string; init: string } {
  return { defaultExport: clientOfThePage.host, init: Ollixir.init().host }
}

/** How a scenario stops a stream early: `break` out of the loop, `stream.abort()`, the call's `signal`, or `client.abort()`. */
export type StopHow = 'break' | 'abort' | 'signal' | 'client'

export interface StreamOutcome {
  content: string
  thinking: string
  chunks: number
  error?: PageError
}

/** `stream: true`: reads a chat with `for await`, optionally stopping after `stopAfter` chunks. */
async function streamChat(host: string, options: { clientOptions?: ClientOptions; request?: object; stopAfter?: number; how?: StopHow } = {}): Promise<StreamOutcome> {
  const client = clientFor(host, options.clientOptions)
  const controller = new AbortController()
  const outcome: StreamOutcome = { content: '', thinking: '', chunks: 0 }
  try {
    const stream = await client.chat({ ...CHAT, ...options.request, stream: true, signal: controller.signal })
    for await (const chunk of stream) {
      outcome.chunks++
      outcome.content += chunk.message.content
      outcome.thinking += chunk.message.thinking ?? ''
      if (outcome.chunks !== options.stopAfter) continue
      if (options.how === 'break') break
      if (options.how === 'abort') stream.abort()
      if (options.how === 'signal') controller.abort()
      if (options.how === 'client') client.abort()
    }
  } catch (error) {
    outcome.error = describeError(error)
  }
  return outcome
}

export interface ParentOutcome {
  /** The `ollixir.*` event types the parent machine received, in order. */
  events: string[]
  content: string
  /** The merged body of `ollixir.ok`. */
  okContent?: string
  error?: PageError
  parentStatus: string
}

/**
 * `stream: parent`: an XState machine starts a chat with `stream: self` and gathers the
 * events. With `stopAfter`, the parent is stopped after that many `ollixir.data` events.
 */
async function streamToParent(host: string, options: { stopAfter?: number } = {}): Promise<ParentOutcome> {
  const client = clientFor(host)
  const parent = setup({
    types: { context: {} as { events: string[]; content: string; okContent?: string; error?: PageError }, events: {} as OllixirEvent<any, any> },
  }).createMachine({
    context: { events: [], content: '' },
    entry: ({ self }) => void client.chat({ ...CHAT, stream: self }),
    initial: 'streaming',
    states: {
      streaming: {
        on: {
          'ollixir.data': { actions: assign(({ context, event }) => ({ events: [...context.events, event.type], content: context.content + event.data.message.content })) },
          'ollixir.ok': { target: 'done', actions: assign(({ context, event }) => ({ events: [...context.events, event.type], okContent: event.response.body.message.content })) },
          'ollixir.error': { target: 'done', actions: assign(({ context, event }) => ({ events: [...context.events, event.type], error: describeError(event.reason) })) },
        },
      },
      done: { on: { 'ollixir.down': { actions: assign(({ context, event }) => ({ events: [...context.events, event.type] })) } } },
    },
  })
  const actor = createActor(parent).start()
  if (options.stopAfter !== undefined) {
    await waitFor(actor, (snapshot) => snapshot.context.events.length >= options.stopAfter!, { timeout: 5000 })
    actor.stop()
  } else {
    await waitFor(actor, (snapshot) => snapshot.context.events.includes('ollixir.down'), { timeout: 5000 })
  }
  const { context } = actor.getSnapshot()
  return { ...context, parentStatus: actor.getSnapshot().status }
}

/** A whole (non-streaming) call by method name, e.g. `call(host, 'chat', request)`. */
function call(host: string, method: string, request: unknown, clientOptions?: ClientOptions): Promise<Attempt<unknown>> {
  const client = clientFor(host, clientOptions) as unknown as Record<string, (request: unknown) => Promise<unknown>>
  return attempt(() => client[method]!(request))
}

/** Deterministic bytes: byte i is `i % 251`. The test computes the same. */
function testBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = i % 251
  return bytes
}

/** What a page has for binary data. */
export type BinaryKind = 'bytes' | 'arraybuffer' | 'blob' | 'file'

function binary(kind: BinaryKind, size: number): Uint8Array | ArrayBuffer | Blob {
  const bytes = testBytes(size)
  if (kind === 'bytes') return bytes
  if (kind === 'arraybuffer') return bytes.buffer
  if (kind === 'blob') return new Blob([bytes], { type: 'image/png' })
  return new File([bytes], 'cat.png', { type: 'image/png' })
}

/** A chat whose one message carries an image of each kind, and a generate with the same images. */
function sendImages(host: string, kinds: BinaryKind[], size: number): Promise<Attempt<unknown>> {
  const client = clientFor(host)
  return attempt(async () => {
    await client.chat({ ...CHAT, messages: [{ role: 'user', content: 'What is this?', images: kinds.map((kind) => binary(kind, size)) }] })
    await client.generate({ model: 'llama3.2', prompt: 'What is this?', images: kinds.map((kind) => binary(kind, size)) })
    return null
  })
}

/** `createBlob` from page data; the digest comes back. */
function createBlob(host: string, kind: BinaryKind | 'path', size: number): Promise<Attempt<string>> {
  return attempt(() => clientFor(host).createBlob(kind === 'path' ? './model.gguf' : (binary(kind, size) as Uint8Array)))
}

/** `create` with a `File` (or a path) in `files`, streamed: the progress statuses come back. */
function createModel(host: string, kind: BinaryKind | 'path', size: number): Promise<Attempt<string[]>> {
  const client = clientFor(host)
  const source = kind === 'path' ? './model.gguf' : (binary(kind, size) as Uint8Array)
  return attempt(async () => {
    const statuses: string[] = []
    const stream = await client.create({ model: 'mine', files: { 'model.gguf': source }, stream: true })
    for await (const chunk of stream) statuses.push(chunk.status)
    return statuses
  })
}

// ---- a slow reader against a fast server ------------------------------------------------

let slow: { stream: ChunkStream<GenerateResponse, GenerateResponse> | ChunkStream<any, any>; read: number; release: () => void; done: Promise<number> } | undefined

/** Starts a long generate stream, reads its first chunk, and stops reading until `slowFinish`. */
async function slowStart(host: string): Promise<void> {
  const stream = await clientFor(host).generate({ model: 'llama3.2', prompt: 'Long', stream: true })
  let release!: () => void
  const released = new Promise<void>((resolve) => (release = resolve))
  const state = { stream, read: 0, release, done: Promise.resolve(0) }
  let first!: () => void
  const firstRead = new Promise<void>((resolve) => (first = resolve))
  state.done = (async () => {
    for await (const _ of stream) {
      state.read++
      if (state.read === 1) {
        first()
        await released
      }
    }
    return state.read
  })()
  slow = state
  await firstRead
}

/**
 * While the reader waits: the request's phase (`paused` once its mailbox is full), the
 * chunks read, and the page's JS heap in MB (Chromium's `performance.memory`, coarse but
 * enough to tell megabytes from the hundred the server would send).
 */
function slowProbe(): { phase: string; read: number; heapMB: number } {
  const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory
  return { phase: slow!.stream.task.actor.getSnapshot().context.phase, read: slow!.read, heapMB: Math.round((memory?.usedJSHeapSize ?? Number.NaN) / 1e6) }
}

/** Stops the slow stream (`stream.abort()`) and lets the reader see the end. */
async function slowStop(): Promise<void> {
  slow!.stream.abort()
  slow!.release()
  await slow!.done.catch(() => 0)
  slow = undefined
}

// ---- the machines ------------------------------------------------------------------------

export interface SessionOutcome {
  emitted: string[]
  deltas: string
  thinking: string
  state: string
  messages: { role: string; content: string }[]
  error?: PageError
}

/**
 * A chat session: sends `content`; with `cancelAfterDeltas` cancels the reply after that
 * many deltas; with `retry`, sends `chat.retry` once after an error.
 */
async function chatSession(host: string, options: { content: string; cancelAfterDeltas?: number; retry?: boolean }): Promise<SessionOutcome> {
  const client = clientFor(host)
  const chat = createActor(createChatSession({ client, model: 'llama3.2' })).start()
  const outcome: SessionOutcome = { emitted: [], deltas: '', thinking: '', state: '', messages: [] }
  let deltas = 0
  chat.on('*', (event) => {
    outcome.emitted.push(event.type)
    if (event.type === 'chat.delta') {
      outcome.deltas += event.content
      outcome.thinking += event.thinking
      if (++deltas === options.cancelAfterDeltas) chat.send({ type: 'chat.cancel' })
    }
    if (event.type === 'chat.error') outcome.error = describeError(event.error)
  })
  const settled = () => waitFor(chat, (snapshot) => !snapshot.matches('streaming'), { timeout: 5000 })
  chat.send({ type: 'chat.send', content: options.content })
  let snapshot = await settled()
  if (options.retry && snapshot.matches('error')) {
    chat.send({ type: 'chat.retry' })
    snapshot = await settled()
  }
  outcome.state = String(snapshot.value)
  outcome.messages = snapshot.context.messages.map(({ role, content }) => ({ role, content: content ?? '' }))
  chat.stop()
  return outcome
}

/** The tool-calling agent with an `add` tool that runs in the page. */
async function agent(host: string): Promise<{ answer: string | null; stopReason: string; toolResults: string[]; turns: number }> {
  const add = defineTool({
    name: 'add',
    description: 'Adds two numbers',
    parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    run: ({ a, b }) => a + b,
  })
  const actor = createActor(createAgent({ client: clientFor(host), model: 'llama3.2', tools: [add] }), { input: { prompt: 'What is 2 + 3?' } }).start()
  const snapshot = await waitFor(actor, (s) => s.status === 'done', { timeout: 5000 })
  const output = snapshot.output!
  return {
    answer: output.answer,
    stopReason: output.stopReason,
    toolResults: output.messages.filter((m) => m.role === 'tool').map((m) => m.content ?? ''),
    turns: output.turns,
  }
}

/**
 * Inspection in a page: a chat session under `createTraceInspector` and a raw inspect
 * callback at once; answers the actors the trace saw and the raw event types.
 */
async function inspectSession(host: string): Promise<{ actors: { name: string; kind: string; outcome?: string; states: string[] }[]; rawTypes: string[]; dataEvents: number }> {
  const trace = createTraceInspector()
  const rawTypes = new Set<string>()
  let dataEvents = 0
  const inspect = (event: InspectionEvent) => {
    trace.inspect.next?.(event)
    rawTypes.add(event.type)
    // The session coalesces: its chunks come in ollixir.chunks batches (one per read).
    if (event.type === '@xstate.event' && event.event.type === 'ollixir.chunks') dataEvents += (event.event as unknown as { data: unknown[] }).data.length
  }
  const chat = createActor(createChatSession({ client: clientFor(host), model: 'llama3.2' }), { inspect }).start()
  chat.send({ type: 'chat.send', content: 'Hi' })
  await waitFor(chat, (snapshot) => snapshot.matches('idle') && snapshot.context.messages.length === 2, { timeout: 5000 })
  chat.stop()
  const actors = trace.stats().map(({ name, kind, outcome, states }) => ({ name, kind, states, ...(outcome ? { outcome } : {}) }))
  return { actors, rawTypes: [...rawTypes].sort(), dataEvents }
}

/** A structured output checked against a user's schema: compiled at run time by ajv. */
function structuredOutput(json: string): Attempt<unknown> {
  try {
    return { ok: true, value: parseStructured(json, { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] }) }
  } catch (error) {
    return { ok: false, error: describeError(error) }
  }
}

/** What the page's Content-Security-Policy blocked, e.g. `script-src eval` (see `cspViolations`). */
const violations: string[] = []
const page = globalThis as unknown as EventTarget
page.addEventListener('securitypolicyviolation', (event) => {
  const { effectiveDirective, blockedURI } = event as unknown as { effectiveDirective: string; blockedURI: string }
  violations.push(`${effectiveDirective} ${blockedURI}`)
})

function cspViolations(): string[] {
  return [...violations]
}

/** `defineTool` compiles the tool's parameter schema at once: with ajv, at run time. */
function defineToolHere(): Attempt<string> {
  try {
    return { ok: true, value: defineTool({ name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } }).name }
  } catch (error) {
    return { ok: false, error: describeError(error) }
  }
}

exposeToTests({
  cspViolations,
  defineToolHere,
  defaultHosts,
  streamChat,
  streamToParent,
  call,
  sendImages,
  createBlob,
  createModel,
  slowStart,
  slowProbe,
  slowStop,
  chatSession,
  agent,
  inspectSession,
  structuredOutput,
})
