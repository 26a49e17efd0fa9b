import { toBase64 } from '../src/protocol/base64.js'
import { assertEvent, assign, emit, enqueueActions, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate'
import type { Ollixir } from '../src/client.js'
import { assertClient } from './stream-input.js'
import { toErrorData, type OllixirErrorData } from '../src/errors/error-data.js'
import type { OllixirError } from '../src/errors/OllixirError.js'
import type { ResponseFormat } from '../src/options.js'
import type { ChatResponse, Format, ImageInput, KeepAlive, Message, Metrics, Options, ThinkValue } from '../src/types/wire.js'
import { chunkText } from './chunk-text.js'
import type { OllixirEvent } from './events.js'
import type { StreamRequest } from './stream-types.js'
import { ollamaStream, type OllamaStreamInput } from './ollama-stream.js'

/** A message of the session's history: Ollama's wire shape, images as base64 (or file paths). */
export type ChatSessionMessage = Message

/** What `createChatSession` closes over. Nothing here goes into a snapshot. */
export interface ChatSessionOptions {
  /** The client that runs the requests (it stays out of context, so snapshots serialise). */
  client: Ollixir<ResponseFormat>
  model: string
  /**
   * A system prompt sent first in every request. It is configuration, not history: it
   * is not in `context.messages`, and `chat.reset` keeps it. A history that already
   * starts with a system message is sent as it is.
   */
  system?: string
  /** The initial history (the machine's `input.messages` overrides it). */
  messages?: ChatSessionMessage[]
  options?: Options
  think?: ThinkValue
  format?: Format
  /** Sent as `keep_alive`. */
  keepAlive?: KeepAlive
  /**
   * With a client of several `hosts`: the key that keeps this conversation on one server
   * (its prompt cache). Default: the session actor's `sessionId`.
   */
  conversation?: string
}

/** The machine's optional input: a conversation to resume, or another model. */
export interface ChatSessionInput {
  model?: string
  messages?: ChatSessionMessage[]
}

/** The last error as plain data. The live error object comes with the `chat.error` emitted event. */
export type ChatSessionError = OllixirErrorData

/** Timing and token counts of the last completed reply (Ollama's final chunk). */
export interface ChatSessionMetrics extends Metrics {
  done_reason?: string
}

/** Everything here is JSON: `getPersistedSnapshot()` survives `JSON.stringify`. */
export interface ChatSessionContext {
  model: string
  /** The conversation: user and assistant messages, in order. */
  messages: ChatSessionMessage[]
  /** The assistant's reply so far while streaming; after an error, the part that came. */
  current: string
  /** The reply's thinking so far, kept apart from `current`. */
  currentThinking: string
  error: ChatSessionError | null
  lastMetrics: ChatSessionMetrics | null
}

/**
 * An image for `chat.send`: bytes or base64 (a path in Node). A `Blob`/`File` is read
 * first (`new Uint8Array(await file.arrayBuffer())`): the event is handled at once, and
 * the history must stay JSON.
 */
export type ChatSessionImage = Exclude<ImageInput, Blob>

/** Events a UI (or a parent with `sendTo`) sends to the session. */
export type ChatSessionCommand =
  | { type: 'chat.send'; content: string; images?: ChatSessionImage[] }
  | { type: 'chat.retry' }
  | { type: 'chat.cancel' }
  | { type: 'chat.reset' }

/** Every event the session handles: the commands and its request actor's `ollixir.*` events. */
export type ChatSessionEvent = ChatSessionCommand | OllixirEvent<ChatResponse, ChatResponse>

/** What `actor.on(type, handler)` delivers. Emitted events do not reach an invoking parent. */
export type ChatSessionEmitted =
  /**
   * New text or thinking: one per socket read (the session streams with `coalesce: true`),
   * so it may join several chunks; reads that bring neither emit nothing.
   */
  | { type: 'chat.delta'; content: string; thinking: string }
  /** The assistant's reply was appended to the history. */
  | { type: 'chat.message'; message: ChatSessionMessage }
  /** The request failed; `error` is the live error (`instanceof ResponseError` works). */
  | { type: 'chat.error'; error: OllixirError }
  /** `chat.cancel` while streaming: what had come is discarded. */
  | { type: 'chat.cancelled'; partial: string; thinking: string }

/** The invoke id of the request actor (its `taskId`/`taskRef`, and its name in an inspector). */
export const CHAT_SESSION_REQUEST_ID = 'ollixir.chat'

/** `error.code` when a session restored from a snapshot taken mid-stream lost its reply (see `ollamaStream`). */
export const CHAT_SESSION_INTERRUPTED = 'EINTERRUPTED'

const METRIC_KEYS = ['done_reason', 'total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration'] as const

/**
 * The Elixir guide's LiveView chat as a ready-made XState v5 machine.
 *
 * States: `idle` → (`chat.send`) → `streaming` → `idle` on success, or `error`.
 * - `streaming` invokes `ollamaStream` (id `'ollixir.chat'`): leaving the state, for any
 *   reason (`chat.cancel`, `chat.reset`, stopping the actor or its parent), aborts the
 *   request and closes the socket. `chat.send` while streaming is ignored
 *   (`snapshot.can({ type: 'chat.send', content })` is false): disable the input.
 * - `error` keeps the history (the user message stays, so does the partial reply in
 *   `current`); `chat.retry` asks again with the same history, `chat.send` appends and asks.
 * - `chat.cancel` (streaming) discards the partial reply and goes back to `idle`;
 *   `chat.reset` (anywhere) empties the history.
 *
 * For a UI: read the snapshot (`messages`, `current`, `currentThinking`, `error`), or
 * subscribe to emitted events with `actor.on('chat.delta' | 'chat.message' | 'chat.error'
 * | 'chat.cancelled', handler)`.
 *
 * Snapshots: `actor.getPersistedSnapshot()` is plain JSON; restore with
 * `createActor(session, { snapshot })`. A snapshot taken mid-stream restores, then
 * goes to `error` at once (code `EINTERRUPTED`: its request actor reports that a stream
 * is never replayed); the partial reply stays in `current`; `chat.retry` asks again.
 *
 * @example
 * const session = createChatSession({ client, model: 'llama3.2', system: 'Answer briefly.' })
 * const chat = createActor(session).start()
 * chat.on('chat.delta', ({ content }) => process.stdout.write(content))
 * chat.send({ type: 'chat.send', content: 'Why is the sky blue?' })
 *
 * @example
 * // Inside a parent machine. Emitted events stay with the session; a parent watches
 * // its snapshots instead (or reads `snapshot.children.chat.getSnapshot()`).
 * const app = setup({ actors: { session } }).createMachine({
 *   invoke: { id: 'chat', src: 'session', onSnapshot: { actions: assign({ messages: ({ event }) => event.snapshot.context.messages }) } },
 *   on: { ask: { actions: sendTo('chat', ({ event }) => ({ type: 'chat.send', content: event.text })) } },
 * })
 */
export function createChatSession(config: ChatSessionOptions) {
  const { client, system } = config
  assertClient(client, 'createChatSession')

  const requestOf = (context: ChatSessionContext): StreamRequest<'chat'> => {
    const messages = system !== undefined && context.messages[0]?.role !== 'system' ? [{ role: 'system', content: system }, ...context.messages] : context.messages
    const request: Record<string, unknown> = { model: context.model, messages, responseFormat: 'map' }
    if (config.options !== undefined) request.options = config.options
    if (config.think !== undefined) request.think = config.think
    if (config.format !== undefined) request.format = config.format
    if (config.keepAlive !== undefined) request.keep_alive = config.keepAlive
    // Built field by field (only the fields set are sent); its fields are the chat request's.
    return request as object as StreamRequest<'chat'>
  }

  return setup({
    types: {
      context: {} as ChatSessionContext,
      events: {} as ChatSessionEvent,
      // `| void`, not `| undefined`: setup() would drop the undefined and make input required.
      input: {} as ChatSessionInput | void,
      emitted: {} as ChatSessionEmitted,
    },
    actors: { ollamaStream },
    actions: {
      addDelta: enqueueActions(({ context, event, enqueue }) => {
        const text = chunkText(event as OllixirEvent)
        if (!text || (text.content === '' && text.thinking === '')) return
        enqueue.assign({ current: context.current + text.content, currentThinking: context.currentThinking + text.thinking })
        enqueue.emit({ type: 'chat.delta', content: text.content, thinking: text.thinking })
      }),
      appendUserMessage: assign(({ context, event }) => {
        assertEvent(event, 'chat.send')
        return { ...freshTurn, messages: [...context.messages, userMessage(event)] }
      }),
    },
  }).createMachine({
    id: 'chatSession',
    context: ({ input }) => {
      const given = (input ?? {}) as ChatSessionInput
      return {
        model: given.model ?? config.model,
        messages: (given.messages ?? config.messages ?? []).map(plainMessage),
        current: '',
        currentThinking: '',
        error: null,
        lastMetrics: null,
      }
    },
    initial: 'idle',
    on: {
      'chat.reset': {
        target: '.idle',
        actions: assign({ messages: [], current: '', currentThinking: '', error: null, lastMetrics: null }),
      },
    },
    states: {
      idle: {
        on: {
          'chat.send': { target: 'streaming', actions: 'appendUserMessage' },
        },
      },
      streaming: {
        invoke: {
          id: CHAT_SESSION_REQUEST_ID,
          src: 'ollamaStream',
          // One event (one snapshot, one re-render) per socket read, not per token.
          input: ({ context, self }): OllamaStreamInput<'chat'> => ({ client, method: 'chat', request: { ...requestOf(context), conversation: config.conversation ?? self.sessionId }, coalesce: true }),
        },
        on: {
          'ollixir.chunks': { actions: 'addDelta' },
          'ollixir.data': { actions: 'addDelta' },
          'ollixir.ok': {
            target: 'idle',
            actions: enqueueActions(({ context, event, enqueue }) => {
              const message = assistantMessage(event.response.body)
              enqueue.assign({ ...freshTurn, messages: [...context.messages, message], lastMetrics: metricsOf(event.response.body) })
              enqueue.emit({ type: 'chat.message', message })
            }),
          },
          'ollixir.error': {
            target: 'error',
            actions: [assign({ error: ({ event }) => toErrorData(event.reason) }), emit(({ event }) => ({ type: 'chat.error' as const, error: event.reason }))],
          },
          'chat.cancel': {
            target: 'idle',
            // Emitted first, so it still sees the partial reply the assign then discards.
            actions: [emit(({ context }) => ({ type: 'chat.cancelled' as const, partial: context.current, thinking: context.currentThinking })), assign(freshTurn)],
          },
        },
      },
      error: {
        on: {
          'chat.retry': { target: 'streaming', actions: assign(freshTurn) },
          'chat.send': { target: 'streaming', actions: 'appendUserMessage' },
        },
      },
    },
  })
}

export type ChatSessionMachine = ReturnType<typeof createChatSession>
export type ChatSessionActorRef = ActorRefFrom<ChatSessionMachine>
export type ChatSessionSnapshot = SnapshotFrom<ChatSessionMachine>

/** What a new turn starts from. */
const freshTurn = { current: '', currentThinking: '', error: null } as const

function userMessage(event: { content: string; images?: ChatSessionImage[] }): ChatSessionMessage {
  const message: ChatSessionMessage = { role: 'user', content: event.content }
  // Bytes become base64 here, so the history stays JSON; strings (base64 or paths) stay as given.
  if (event.images?.length) message.images = event.images.map((image) => (typeof image === 'string' ? image : toBase64(image instanceof ArrayBuffer ? new Uint8Array(image) : image)))
  return message
}

function assistantMessage(body: ChatResponse | undefined): ChatSessionMessage {
  const merged = (body?.message ?? {}) as Partial<Message>
  const message: ChatSessionMessage = { role: merged.role ?? 'assistant', content: merged.content ?? '' }
  if (merged.thinking) message.thinking = merged.thinking
  if (merged.tool_calls?.length) message.tool_calls = JSON.parse(JSON.stringify(merged.tool_calls))
  return message
}

/** A copy with only JSON in it (a `Message` struct instance becomes a plain object). */
function plainMessage(message: ChatSessionMessage): ChatSessionMessage {
  return JSON.parse(JSON.stringify(message))
}

function metricsOf(body: ChatResponse | undefined): ChatSessionMetrics {
  const metrics: Record<string, unknown> = {}
  for (const key of METRIC_KEYS) if (body?.[key] !== undefined) metrics[key] = body[key]
  return metrics as ChatSessionMetrics
}
