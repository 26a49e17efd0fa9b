import type { ActorLogic, ActorRefFrom, AnyActorRef, EventObject, Snapshot } from 'xstate'
import { OllixirError } from '../src/errors/OllixirError.js'
import type { HasInternals } from '../src/internals.js'
import { isStreamMethod, type StreamMethod } from '../src/protocol/endpoints.js'
import type { Recipient, OllixirEvent, TaskResult } from './events.js'
import { relayTo } from './relay.js'
import type { StreamRequest } from './stream-types.js'
import { streamInputProblem } from './stream-input.js'
import { StreamRun, type StreamPhase } from './stream-run.js'

/**
 * Input of `ollamaStream`, typed by its method: with `method: 'chat'`, `request` is a
 * chat request, so a misspelt field in an `invoke`'s input is a compile error. `request`
 * is the call's request object as given to `client[method]` (call options such as
 * `signal`, `timeout` and `responseFormat` included; `stream` is ignored: this actor
 * always streams).
 */
export type OllamaStreamInput<M extends StreamMethod = StreamMethod> = { [K in M]: OllamaStreamInputOf<K> }[M]

/** `ollamaStream`'s input for one method. */
export interface OllamaStreamInputOf<M extends StreamMethod> {
  client: HasInternals
  method: M
  request: StreamRequest<M>
  /** Who gets the events when the actor has no XState parent (e.g. a Task's plain-object parent). */
  replyTo?: Recipient<OllixirEvent<any, any>> | undefined
  /** `taskRef` of the ok/error/down events; defaults to the actor's id. */
  taskRef?: string | undefined
  /**
   * One `ollixir.chunks` event per socket read (`data`: its chunks, in order) instead of
   * one `ollixir.data` per chunk: the parent runs once per batch. ok/error still come last.
   */
  coalesce?: boolean | undefined
}

/** What an inspector shows: no client, no request body, no headers. */
export interface OllamaStreamContext {
  method: StreamMethod
  model: string | undefined
  phase: StreamPhase
  /** The response status once known. */
  httpStatus: number | undefined
  /** With `hosts`: the server the pool chose, once it answered (absent with one host). */
  host?: string
}

export type OllamaStreamSnapshot = Snapshot<TaskResult> & {
  context: OllamaStreamContext
}

/** Events the actor accepts. `pause`/`resume` apply backpressure; `shutdown` aborts silently. */
export type OllamaStreamEvent =
  | { type: 'ollixir.pause' }
  | { type: 'ollixir.resume' }
  | { type: 'ollixir.shutdown' }
  | { type: 'ollixir.internal.streaming'; status: number; host: string | undefined }
  | { type: 'ollixir.internal.finish'; result: TaskResult }
  | { type: 'ollixir.internal.interrupted' }

export type OllamaStreamLogic = ActorLogic<OllamaStreamSnapshot, OllamaStreamEvent, OllamaStreamInput, any, EventObject>
export type OllamaStreamActorRef = ActorRefFrom<OllamaStreamLogic>

/** Runtime state that cannot live in a snapshot (sockets, timers), per actor. */
const inputs = new WeakMap<AnyActorRef, OllamaStreamInput>()
/** Input that cannot run: the error its parent gets once the actor starts. */
const refusals = new WeakMap<AnyActorRef, { reason: OllixirError; input: Partial<OllamaStreamInput> | undefined }>()
const runs = new WeakMap<AnyActorRef, StreamRun>()

const PHASE_OF_RESULT = (result: TaskResult): StreamPhase => ('ok' in result ? 'ok' : 'error' in result ? 'error' : 'cancelled')

/**
 * One streaming Ollama request as XState actor logic. Its parent (or `replyTo`)
 * receives `ollixir.data` per chunk, then exactly one `ollixir.ok` (merged body) or
 * `ollixir.error`. Failures never become actor errors, so a parent that does not
 * handle `xstate.error.actor.*` cannot be brought down by a dropped socket; the
 * actor always ends `done`, with `{ ok } | { error } | { cancelled }` as output.
 * Stopping it (leaving the invoking state) closes the socket.
 *
 * @example
 * invoke: {
 *   src: ollamaStream,
 *   input: ({ context }) => ({ client, method: 'chat', request: { model: 'llama3.2', messages: context.messages } }),
 * },
 * on: {
 *   'ollixir.data': { actions: assign({ text: ({ context, event }) => context.text + event.data.message.content }) },
 *   'ollixir.ok': 'idle',
 *   'ollixir.error': 'failed',
 * }
 */
export const ollamaStream: OllamaStreamLogic = {
  config: 'ollamaStream',

  getInitialSnapshot(scope, input) {
    // Bad input is reported as an ollixir.error event once started, never thrown: a
    // throw here would fail the parent or, for a root actor, crash the process.
    const problem = streamInputProblem(input)
    if (problem) {
      refusals.set(scope.self, { reason: problem, input: typeof input === 'object' && input !== null ? input : undefined })
      const method = typeof input?.method === 'string' && isStreamMethod(input.method) ? input.method : 'chat'
      return { status: 'active', output: undefined, error: undefined, context: { method, model: undefined, phase: 'connecting', httpStatus: undefined } }
    }
    inputs.set(scope.self, input)
    const model = (input.request as { model?: unknown; name?: unknown } | undefined)
    return {
      status: 'active',
      output: undefined,
      error: undefined,
      context: { method: input.method, model: String(model?.model ?? model?.name ?? '') || undefined, phase: 'connecting', httpStatus: undefined },
    }
  },

  start(snapshot, scope) {
    const self = scope.self
    const input = inputs.get(self)
    if (snapshot.status !== 'active') return
    const refusal = refusals.get(self)
    if (refusal) {
      refusals.delete(self)
      const recipient = self._parent ?? refusal.input?.replyTo
      const taskRef = refusal.input?.taskRef ?? self.id
      if (recipient) relayTo(self, recipient)({ type: 'ollixir.error', taskRef, reason: refusal.reason })
      return self.send({ type: 'ollixir.internal.finish', result: { error: refusal.reason } })
    }
    // Restored from a persisted snapshot: the socket is gone and the client was never
    // in the snapshot. A stream is never replayed, so the parent hears it ended.
    if (!input) return self.send({ type: 'ollixir.internal.interrupted' })
    const taskRef = input.taskRef ?? self.id
    const recipient = self._parent ?? input.replyTo
    const deliver = recipient ? relayTo(self, recipient) : () => {}
    runs.set(
      self,
      new StreamRun(input.client, input.method, (input.request ?? {}) as object as Record<string, unknown>, { taskId: self.id, taskRef }, {
        deliver,
        streaming: (status, host) => self.send({ type: 'ollixir.internal.streaming', status, host }),
        finish: (result) => self.send({ type: 'ollixir.internal.finish', result }),
        coalesce: input.coalesce === true,
      }),
    )
  },

  transition(snapshot, event, scope) {
    if (snapshot.status !== 'active') return snapshot
    const run = runs.get(scope.self)
    switch ((event as EventObject).type) {
      case 'ollixir.internal.streaming': {
        const { status, host } = event as { status: number; host: string | undefined }
        const phase = snapshot.context.phase === 'paused' ? 'paused' : 'streaming'
        return { ...snapshot, context: { ...snapshot.context, phase, httpStatus: status, ...(host === undefined ? {} : { host }) } }
      }
      case 'ollixir.pause':
        run?.pause()
        return { ...snapshot, context: { ...snapshot.context, phase: 'paused' } }
      case 'ollixir.resume':
        run?.resume()
        return { ...snapshot, context: { ...snapshot.context, phase: snapshot.context.httpStatus === undefined ? 'connecting' : 'streaming' } }
      case 'ollixir.internal.finish': {
        const result = (event as { result: TaskResult }).result
        return finished(scope.self, snapshot, result)
      }
      case 'ollixir.internal.interrupted': {
        const reason = new OllixirError(
          `The ${snapshot.context.method} request ${scope.self.id} was interrupted: its actor was restored from a persisted snapshot, and a stream is never replayed. Send the request again.`,
          { code: 'EINTERRUPTED' },
        )
        const parent = scope.self._parent
        if (parent) relayTo(scope.self, parent)({ type: 'ollixir.error', taskRef: scope.self.id, reason })
        return finished(scope.self, snapshot, { error: reason })
      }
      case 'ollixir.shutdown':
        // Already replied (its finish event is still queued): the reply stands.
        if (run?.result) return finished(scope.self, snapshot, run.result)
        run?.cancel()
        return finished(scope.self, snapshot, { cancelled: true })
      case 'xstate.stop': {
        // Stopped by its parent (which left the invoking state). A reply already
        // delivered stands: the phase says how the request ended, not who stopped it.
        const phase = run?.result ? PHASE_OF_RESULT(run.result) : 'cancelled'
        run?.cancel()
        forget(scope.self)
        return { status: 'stopped', output: undefined, error: undefined, context: { ...snapshot.context, phase } }
      }
      default:
        return snapshot
    }
  },

  getPersistedSnapshot(snapshot) {
    return snapshot
  },
}

function finished(self: AnyActorRef, snapshot: OllamaStreamSnapshot, result: TaskResult): OllamaStreamSnapshot {
  forget(self)
  return { status: 'done', output: result, error: undefined, context: { ...snapshot.context, phase: PHASE_OF_RESULT(result) } }
}

function forget(self: AnyActorRef): void {
  runs.delete(self)
  inputs.delete(self)
}
