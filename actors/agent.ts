import { and, assign, enqueueActions, fromPromise, setup, stopChild, type ActorRefFrom, type SnapshotFrom } from 'xstate'
import { toErrorData } from '../src/errors/error-data.js'
import { RequestError } from '../src/errors/RequestError.js'
import { planToolCalls, runToolCall, type ToolOutcome } from '../src/tools/tool-calls.js'
import { toWireTools } from '../src/tools/wire-tools.js'
import type { ChatResponse, Message, ToolCall } from '../src/types/wire.js'
import type {
  AgentApproval,
  AgentContext,
  AgentEmitted,
  AgentEvent,
  AgentInput,
  AgentMessage,
  AgentOptions,
  AgentOutput,
  AgentStep,
  AgentToolActorInput,
  AgentToolCall,
  AgentToolCallInfo,
  AgentToolResult,
} from './agent-types.js'
import type { StreamRequest } from './stream-types.js'
import { chunkText } from './chunk-text.js'
import type { OllixirEvent } from './events.js'
import { ollamaStream } from './ollama-stream.js'
import { assertClient } from './stream-input.js'

export type * from './agent-types.js'

export const DEFAULT_AGENT_MAX_TURNS = 8

/** The id of the model request actor of a turn: `model.<turn>`. */
export const agentModelActorId = (turn: number): string => `model.${turn}`

/** The id of a tool call's actor: `tool.<turn>.<index>.<name>`. */
export const agentToolActorId = (turn: number, index: number, name: string): string => `tool.${turn}.${index}.${name}`

/**
 * A multi-turn tool-calling agent as a ready-made XState v5 machine.
 *
 * A run: the model streams a reply (`streaming`, child `model.<turn>`); when it asks
 * for tools, the calls that need approval wait in `awaitingApproval`, then every call
 * runs as a child actor `tool.<turn>.<index>.<name>`, concurrently, each with its
 * timeout (`callingTools`); the results (failures, timeouts, refusals and denials as
 * `Error: …` tool messages) go back to the model, turn after turn, until it answers
 * without tool calls, `maxTurns` model requests were made, or `agent.cancel`.
 *
 * - Long-lived (default): rests in `idle` after a run (`stopReason` says why) and in
 *   `failed` after a model error (`agent.retry` asks again, `agent.ask` goes on).
 * - One-shot (`input.prompt`, or `input.once`): the final state `done` is reached when
 *   the run stops, for any reason, model errors included; its output is
 *   `{ answer, stopReason, messages, steps, error, turns }`. Made to be `invoke`d.
 * - History: in a resting state every assistant message with `tool_calls` is followed
 *   by one tool message per call, in call order. `agent.cancel` while streaming drops
 *   the partial reply; while tools wait or run, it keeps the results that came and
 *   answers the other calls with a "cancelled" tool message (running tools see their
 *   `signal` abort). Reaching `maxTurns` with tool calls still asked for does not run
 *   them: each gets a "not run" tool message, so a later `agent.ask` goes on cleanly.
 * - Snapshots are JSON. Restoring one (`createActor(createAgent(sameConfig), { snapshot })`)
 *   from `idle`, `failed`, `done` or `awaitingApproval` picks up exactly there. From
 *   `streaming`, the model request is sent again (the partial reply is dropped). From
 *   `callingTools`, the calls that had not finished run again (XState restarts a
 *   restored promise actor): snapshot there only with tools that can run twice.
 *
 * @example
 * const agent = createAgent({ client, model: 'qwen3', tools: [weather], approve: ['send_email'] })
 * const actor = createActor(agent).start()
 * actor.on('agent.delta', ({ content }) => process.stdout.write(content))
 * actor.on('agent.approvalNeeded', ({ calls }) => ask(calls).then((ok) => actor.send({ type: ok ? 'agent.approve' : 'agent.deny' })))
 * actor.send({ type: 'agent.ask', content: 'Weather in Paris?' })
 *
 * @example
 * // One-shot, invoked by a parent:
 * invoke: { src: agent, input: ({ context }) => ({ prompt: context.question }),
 *           onDone: { actions: assign({ answer: ({ event }) => event.output.answer }) } }
 */
export function createAgent(config: AgentOptions) {
  const { client, model, system } = config
  const tools = [...(config.tools ?? [])]
  const maxTurns = config.maxTurns ?? DEFAULT_AGENT_MAX_TURNS
  assertClient(client, 'createAgent')
  if (typeof model !== 'string' || model === '') throw new RequestError('createAgent: `model` must be a non-empty string.', { field: 'model' })
  if (!Number.isInteger(maxTurns) || maxTurns < 1) throw new RequestError('createAgent: `maxTurns` must be a positive integer.', { field: 'maxTurns' })
  if (config.toolTimeout !== undefined && !(config.toolTimeout > 0)) {
    throw new RequestError('createAgent: `toolTimeout` must be a positive number of milliseconds.', { field: 'toolTimeout' })
  }
  const wireTools = toWireTools(tools)
  const needsApproval = approvalRule(config.approve, wireTools.map((tool) => tool.function.name))

  const requestOf = (context: AgentContext): StreamRequest<'chat'> => {
    const messages = system !== undefined && context.messages[0]?.role !== 'system' ? [{ role: 'system', content: system }, ...context.messages] : context.messages
    const request: Record<string, unknown> = { model, messages, responseFormat: 'map' }
    if (wireTools.length > 0) request.tools = wireTools
    if (config.think !== undefined) request.think = config.think
    if (config.options !== undefined) request.options = config.options
    if (config.keepAlive !== undefined) request.keep_alive = config.keepAlive
    // Built field by field (only the fields set are sent); its fields are the chat request's.
    return request as object as StreamRequest<'chat'>
  }

  /** Plans by reply body: the guard and the action of one `ollixir.ok` share it (the approval rule runs once per call). */
  const plans = new WeakMap<object, AgentToolCall[]>()
  const planCalls = (turn: number, body: ChatResponse | undefined): AgentToolCall[] => {
    if (!body) return []
    let calls = plans.get(body)
    if (!calls) plans.set(body, (calls = checkCalls(turn, body)))
    return calls
  }

  /** Checks the reply's calls; refused ones are answered at once, the others queued or held for approval. */
  const checkCalls = (turn: number, body: ChatResponse): AgentToolCall[] =>
    planToolCalls(body, tools).map((planned) => {
      const call = plain(planned.call) as ToolCall
      const info: AgentToolCallInfo = { turn, index: planned.index, name: planned.name, args: plain(planned.args) }
      if (call?.id) info.id = call.id
      const base = { ...info, call, actorId: agentToolActorId(turn, planned.index, planned.name), result: null }
      if (planned.refusal) {
        return { ...base, approval: 'none', status: 'done', result: { ok: false, reason: planned.refusal.reason, content: `Error: ${planned.refusal.message}`, durationMs: 0 } }
      }
      return needsApproval(info) ? { ...base, approval: 'pending', status: 'awaitingApproval' } : { ...base, approval: 'none', status: 'queued' }
    })

  /** One tool call. The tool is found by name, so the input (plain data) persists. Never rejects. */
  const toolLogic = fromPromise<ToolOutcome, AgentToolActorInput>(async ({ input, signal }) => {
    try {
      const [planned] = planToolCalls([input.call], tools)
      return await runToolCall({ ...planned!, index: input.index }, { timeout: config.toolTimeout, signal })
    } catch (error) {
      const name = input.call?.function?.name ?? ''
      const content = `Error: "${name}" failed: ${error instanceof Error ? error.message : String(error)}`
      return { index: input.index, call: input.call, name, ok: false, reason: 'failed', error: content, durationMs: 0, message: toolMessage({ name, call: input.call }, content) }
    }
  })

  const machine = setup({
    types: {
      context: {} as AgentContext,
      events: {} as AgentEvent,
      // `| void`, not `| undefined`: setup() would drop the undefined and make input required.
      input: {} as AgentInput | void,
      output: {} as AgentOutput,
      emitted: {} as AgentEmitted,
    },
    actors: { model: ollamaStream, tool: toolLogic },
    guards: {
      /** The history ends with a question: run at once. */
      hasQuestion: ({ context }) => context.messages.at(-1)?.role === 'user',
      /** One-shot and the run has stopped. */
      oneShotOver: ({ context }) => context.once && context.stopReason !== null,
      once: ({ context }) => context.once,
      /** An event of the current model request (a stopped one may still have events queued). */
      fromModel: ({ context, event }) => {
        const id = agentModelActorId(context.turn)
        if (event.type === 'ollixir.data' || event.type === 'ollixir.chunks') return event.taskId === id
        return (event.type === 'ollixir.ok' || event.type === 'ollixir.error') && event.taskRef === id
      },
      /** The request was restored from a snapshot (see `ollamaStream`): the socket is gone. */
      interrupted: ({ event }) => event.type === 'ollixir.error' && event.reason?.code === 'EINTERRUPTED',
      noToolCalls: ({ event }) => event.type === 'ollixir.ok' && !(event.response.body?.message?.tool_calls?.length),
      turnLimit: ({ context }) => context.runTurns >= maxTurns,
      needsApproval: ({ context, event }) => event.type === 'ollixir.ok' && planCalls(context.turn, event.response.body).some((call) => call.status === 'awaitingApproval'),
      nothingPending: ({ context }) => context.pending.length === 0,
      /** `index` names a pending call, or is left out (all of them). */
      canDecide: ({ context, event }) =>
        (event.type === 'agent.approve' || event.type === 'agent.deny') &&
        (event.index === undefined ? context.pending.length > 0 : context.pending.some((call) => call.index === event.index)),
      fromThisTurn: ({ context, event }) => event.type.startsWith('xstate.done.actor.tool.') && context.calls.some((call) => call.actorId === (event as { actorId?: string }).actorId && call.status === 'running'),
      allCallsDone: ({ context }) => context.calls.every((call) => call.status === 'done'),
    },
    actions: {
      /** A new model request: `turn` and `runTurns` go up. */
      beginTurn: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ ...freshTurn, turn: context.turn + 1, runTurns: context.runTurns + 1, calls: [], pending: [] })
      }),
      ask: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'agent.ask') return
        enqueue.assign({
          ...freshRun,
          messages: [...context.messages, { role: 'user', content: event.content }],
          steps: [...context.steps, { type: 'user', content: event.content }],
        })
      }),
      startModel: enqueueActions(({ context, enqueue, self }) => {
        const request = { ...requestOf(context), conversation: config.conversation ?? self.sessionId }
        enqueue.spawnChild('model', { id: agentModelActorId(context.turn), input: { client, method: 'chat', request, coalesce: true } })
      }),
      stopModel: stopChild(({ context }) => agentModelActorId(context.turn)),
      addDelta: enqueueActions(({ context, event, enqueue }) => {
        // One delta per socket read: the model streams with `coalesce: true`.
        const { content, thinking } = chunkText(event as OllixirEvent) ?? { content: '', thinking: '' }
        if (content === '' && thinking === '') return
        enqueue.assign({ current: context.current + content, currentThinking: context.currentThinking + thinking })
        enqueue.emit({ type: 'agent.delta', turn: context.turn, content, thinking })
      }),
      answer: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'ollixir.ok') return
        const message = assistantMessage(event.response.body)
        enqueue.assign({
          ...freshTurn,
          messages: [...context.messages, message],
          steps: [...context.steps, replyStep(context.turn, message, []), { type: 'stop', turn: context.turn, reason: 'answer' }],
          answer: message.content,
          stopReason: 'answer',
        })
        enqueue.emit({ type: 'agent.answer', turn: context.turn, answer: message.content, thinking: message.thinking ?? '' })
      }),
      /** The model still wants tools but the run has used its turns: the calls are answered "not run". */
      stopAtLimit: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'ollixir.ok') return
        const message = assistantMessage(event.response.body)
        const calls = planCalls(context.turn, event.response.body)
        const content = `Error: not run: the agent reached its limit of ${maxTurns} model turn${maxTurns === 1 ? '' : 's'}.`
        const ended = calls.map((call) => settle(call, { ok: false, reason: 'maxTurns', content, durationMs: 0 }))
        enqueue.assign({
          ...freshTurn,
          messages: [...context.messages, message, ...toolMessagesOf(ended)],
          steps: [...context.steps, replyStep(context.turn, message, ended), ...ended.map(toolStep), { type: 'stop', turn: context.turn, reason: 'maxTurns' }],
          calls: ended,
          pending: [],
          answer: null,
          stopReason: 'maxTurns',
        })
        for (const call of ended) enqueue.emit(toolResultEvent(call))
      }),
      /** The reply asks for tools: append it and plan its calls; refused ones are answered now. */
      planCalls: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'ollixir.ok') return
        const message = assistantMessage(event.response.body)
        const calls = planCalls(context.turn, event.response.body)
        const refused = calls.filter((call) => call.status === 'done')
        enqueue.assign({
          ...freshTurn,
          messages: [...context.messages, message],
          steps: [...context.steps, replyStep(context.turn, message, calls), ...refused.map(toolStep)],
          calls,
          pending: calls.filter((call) => call.status === 'awaitingApproval'),
        })
        for (const call of refused) enqueue.emit(toolResultEvent(call))
      }),
      announceApprovals: enqueueActions(({ context, enqueue }) => {
        enqueue.emit({ type: 'agent.approvalNeeded', turn: context.turn, calls: context.pending })
      }),
      decide: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'agent.approve' && event.type !== 'agent.deny') return
        const approved = event.type === 'agent.approve'
        const reason = event.type === 'agent.deny' ? event.reason : undefined
        const chosen = (call: AgentToolCall) => call.status === 'awaitingApproval' && (event.index === undefined || call.index === event.index)
        const steps: AgentStep[] = []
        const results: AgentToolCall[] = []
        const calls = context.calls.map((call) => {
          if (!chosen(call)) return call
          steps.push({ type: 'approval', turn: call.turn, index: call.index, name: call.name, approved, ...(reason ? { reason } : {}) })
          if (approved) return { ...call, approval: 'approved' as const, status: 'queued' as const }
          const denied = settle({ ...call, approval: 'denied' }, { ok: false, reason: 'denied', content: denialText(reason), durationMs: 0 })
          steps.push(toolStep(denied))
          results.push(denied)
          return denied
        })
        enqueue.assign({ calls, pending: calls.filter((call) => call.status === 'awaitingApproval'), steps: [...context.steps, ...steps] })
        for (const call of results) enqueue.emit(toolResultEvent(call))
      }),
      /** Every queued call becomes a child actor, all at once. */
      startTools: enqueueActions(({ context, enqueue }) => {
        const calls = context.calls.map((call) => {
          if (call.status !== 'queued') return call
          const input: AgentToolActorInput = { turn: call.turn, index: call.index, call: call.call }
          enqueue.spawnChild('tool', { id: call.actorId, input })
          enqueue.emit({ type: 'agent.toolCall', turn: call.turn, index: call.index, ...(call.id ? { id: call.id } : {}), name: call.name, args: call.args })
          return { ...call, status: 'running' as const }
        })
        enqueue.assign({ calls })
      }),
      /** Leaving `callingTools` (cancel, or the agent stopping) stops the calls still running: their signal aborts. */
      stopTools: enqueueActions(({ context, enqueue }) => {
        for (const call of context.calls) if (call.status === 'running') enqueue.stopChild(call.actorId)
      }),
      recordToolResult: enqueueActions(({ context, event, enqueue }) => {
        if (!event.type.startsWith('xstate.done.actor.tool.')) return
        const { actorId, output } = event as Extract<AgentEvent, { actorId: string }>
        let ended: AgentToolCall | undefined
        const calls = context.calls.map((call) => {
          if (call.actorId !== actorId || call.status !== 'running') return call
          ended = settle(call, outcomeResult(output))
          return ended
        })
        if (!ended) return
        enqueue.assign({ calls, steps: [...context.steps, toolStep(ended)] })
        enqueue.emit({ ...toolResultEvent(ended), value: output?.ok ? output.value : undefined })
        // The done child would otherwise stay in `children` (and in persisted snapshots).
        enqueue.stopChild(actorId)
      }),
      addToolMessages: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ messages: [...context.messages, ...toolMessagesOf(context.calls)] })
      }),
      cancelReply: enqueueActions(({ context, enqueue }) => {
        enqueue.assign({ ...freshTurn, stopReason: 'cancelled', answer: null, steps: [...context.steps, { type: 'stop', turn: context.turn, reason: 'cancelled' }] })
      }),
      /** Calls that had not ended are answered "cancelled"; results that came are kept. */
      cancelTools: enqueueActions(({ context, enqueue }) => {
        const cancelled: AgentToolCall[] = []
        const calls = context.calls.map((call) => {
          if (call.status === 'done') return call
          const content = call.status === 'running' ? 'Error: the call was cancelled by the user before it finished.' : 'Error: the call was cancelled by the user before it ran.'
          const ended = settle(call, { ok: false, reason: 'cancelled', content, durationMs: 0 })
          cancelled.push(ended)
          return ended
        })
        enqueue.assign({
          calls,
          pending: [],
          messages: [...context.messages, ...toolMessagesOf(calls)],
          steps: [...context.steps, ...cancelled.map(toolStep), { type: 'stop', turn: context.turn, reason: 'cancelled' }],
          stopReason: 'cancelled',
          answer: null,
        })
        for (const call of cancelled) enqueue.emit(toolResultEvent(call))
      }),
      fail: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'ollixir.error') return
        const error = toErrorData(event.reason)
        enqueue.assign({ error, stopReason: 'error', answer: null, steps: [...context.steps, { type: 'error', turn: context.turn, error }, { type: 'stop', turn: context.turn, reason: 'error' }] })
        enqueue.emit({ type: 'agent.error', turn: context.turn, error: event.reason })
      }),
      /** `agent.retry`: the same turn again (it does not count against `maxTurns`). */
      retry: enqueueActions(({ enqueue }) => {
        enqueue.assign({ ...freshTurn, stopReason: null })
      }),
    },
  }).createMachine({
    id: 'agent',
    context: ({ input }) => {
      const given = (input ?? {}) as AgentInput
      const messages = (given.messages ?? []).map((message) => plain(message) as AgentMessage)
      const steps: AgentStep[] = []
      if (given.prompt !== undefined) {
        messages.push({ role: 'user', content: given.prompt })
        steps.push({ type: 'user', content: given.prompt })
      }
      return { messages, steps, turn: 0, ...freshRun, ...freshTurn, calls: [], pending: [], once: given.once ?? given.prompt !== undefined }
    },
    initial: 'init',
    states: {
      /** Transient: runs at once when the history ends with a question. */
      init: {
        always: [{ guard: 'hasQuestion', target: 'streaming', actions: 'beginTurn' }, { target: 'idle' }],
      },
      /** Resting, long-lived: `stopReason` tells how the last run ended. */
      idle: {
        always: { guard: 'oneShotOver', target: 'done' },
        on: {
          'agent.ask': { target: 'streaming', actions: ['ask', 'beginTurn'] },
        },
      },
      /** The model reply streams from the child `model.<turn>`. */
      streaming: {
        tags: ['running'],
        entry: 'startModel',
        exit: 'stopModel',
        on: {
          'ollixir.chunks': { guard: 'fromModel', actions: 'addDelta' },
          'ollixir.data': { guard: 'fromModel', actions: 'addDelta' },
          'ollixir.ok': [
            { guard: and(['fromModel', 'noToolCalls']), target: 'idle', actions: 'answer' },
            { guard: and(['fromModel', 'turnLimit']), target: 'idle', actions: 'stopAtLimit' },
            { guard: and(['fromModel', 'needsApproval']), target: 'awaitingApproval', actions: 'planCalls' },
            { guard: 'fromModel', target: 'callingTools', actions: 'planCalls' },
          ],
          'ollixir.error': [
            // Restored mid-stream: ask again from the start of the reply (re-entering stops and respawns `model.<turn>`).
            { guard: and(['fromModel', 'interrupted']), target: 'streaming', reenter: true, actions: assign(freshTurn) },
            { guard: 'fromModel', target: 'failed', actions: 'fail' },
          ],
          'agent.cancel': { target: 'idle', actions: 'cancelReply' },
        },
      },
      /** Calls in `pending` wait for a human. Nothing runs until every one is decided. */
      awaitingApproval: {
        tags: ['running'],
        entry: 'announceApprovals',
        always: { guard: 'nothingPending', target: 'callingTools' },
        on: {
          'agent.approve': { guard: 'canDecide', actions: 'decide' },
          'agent.deny': { guard: 'canDecide', actions: 'decide' },
          'agent.cancel': { target: 'idle', actions: 'cancelTools' },
        },
      },
      /** Every approved call runs as a child `tool.<turn>.<index>.<name>`; then back to the model. */
      callingTools: {
        tags: ['running'],
        entry: 'startTools',
        exit: 'stopTools',
        always: { guard: 'allCallsDone', target: 'streaming', actions: ['addToolMessages', 'beginTurn'] },
        on: {
          'xstate.done.actor.tool.*': { guard: 'fromThisTurn', actions: 'recordToolResult' },
          'agent.cancel': { target: 'idle', actions: 'cancelTools' },
        },
      },
      /** Resting after a model error, history kept (one-shot agents go on to `done`). */
      failed: {
        always: { guard: 'once', target: 'done' },
        on: {
          'agent.retry': { target: 'streaming', actions: 'retry' },
          'agent.ask': { target: 'streaming', actions: ['ask', 'beginTurn'] },
        },
      },
      /** One-shot agents only. */
      done: { type: 'final' },
    },
    output: ({ context }) => ({
      answer: context.answer,
      stopReason: context.stopReason ?? 'answer',
      messages: context.messages,
      steps: context.steps,
      error: context.error,
      turns: context.turn,
    }),
  })

  // XState restores children as they were persisted; running tool calls need help (see `resumable`).
  const restore = machine.restoreSnapshot.bind(machine)
  machine.restoreSnapshot = (snapshot, scope) => restore(resumable(snapshot), scope)
  return machine
}

export type AgentMachine = ReturnType<typeof createAgent>
export type AgentActorRef = ActorRefFrom<AgentMachine>
export type AgentSnapshot = SnapshotFrom<AgentMachine>

/** What every model request starts from. */
const freshTurn = { current: '', currentThinking: '', error: null } as const
/** What every run (prompt, `agent.ask`) starts from. */
const freshRun = { runTurns: 0, answer: null, stopReason: null } as const

interface PersistedChild {
  src: string
  snapshot: unknown
  systemId?: string
  syncSnapshot?: boolean
}

/**
 * A persisted snapshot made ready to restore. `callingTools`: every call still running
 * gets a fresh, active promise actor, whatever state its persisted child was in, so it
 * runs again and its done event comes. (`streaming` needs nothing: the restored
 * request reports `EINTERRUPTED`, and the machine asks again.)
 */
function resumable<S>(snapshot: S): S {
  const persisted = snapshot as { value?: unknown; children?: Record<string, PersistedChild>; context?: AgentContext }
  const context = persisted?.context
  if (!context || persisted.value !== 'callingTools') return snapshot
  const children: Record<string, PersistedChild> = { ...persisted.children }
  for (const call of context.calls) {
    if (call.status !== 'running') continue
    const input: AgentToolActorInput = { turn: call.turn, index: call.index, call: call.call }
    children[call.actorId] = { src: 'tool', snapshot: { status: 'active', output: undefined, error: undefined, input }, syncSnapshot: false }
  }
  return { ...persisted, children } as S
}

function approvalRule(approve: AgentApproval | undefined, toolNames: readonly string[]): (call: AgentToolCallInfo) => boolean {
  if (approve === undefined || approve === false) return () => false
  if (approve === true) return () => true
  if (typeof approve === 'function') return (call) => Boolean(approve(call))
  if (Array.isArray(approve)) {
    // A name no tool has would never match: the call it was meant to hold would run unasked.
    const unknown = approve.find((name) => !toolNames.includes(name))
    if (unknown !== undefined) {
      const known = toolNames.length === 0 ? 'the agent has no tools' : `its tools are ${toolNames.map((name) => `'${name}'`).join(', ')}`
      throw new RequestError(`createAgent: approve names '${String(unknown)}', which is not one of the agent's tools (${known}).`, { field: 'approve' })
    }
    const names = new Set(approve)
    return (call) => names.has(call.name)
  }
  throw new RequestError('createAgent: `approve` must be a boolean, a list of tool names or a function.', { field: 'approve' })
}

function settle(call: AgentToolCall, result: AgentToolResult): AgentToolCall {
  return { ...call, status: 'done', result }
}

function outcomeResult(outcome: ToolOutcome | undefined): AgentToolResult {
  if (!outcome) return { ok: false, reason: 'failed', content: 'Error: the tool gave no result.', durationMs: 0 }
  const result: AgentToolResult = { ok: outcome.ok, content: outcome.message.content, durationMs: Math.round(outcome.durationMs) }
  if (!outcome.ok) result.reason = outcome.reason
  return result
}

function denialText(reason: string | undefined): string {
  return `Error: the user denied this call${reason ? ` (${reason})` : ''}. Do not call it again; go on without its result.`
}

function toolMessage(call: { name: string; call?: ToolCall }, content: string): Message & { role: 'tool'; tool_name: string } {
  const message: Message & { role: 'tool'; tool_name: string } = { role: 'tool', tool_name: call.name, content }
  if (call.call?.id) message.tool_call_id = call.call.id
  return message
}

/** One tool message per call, in call order. */
function toolMessagesOf(calls: readonly AgentToolCall[]): AgentMessage[] {
  return [...calls].sort((a, b) => a.index - b.index).map((call) => toolMessage(call, call.result?.content ?? ''))
}

function toolStep(call: AgentToolCall): AgentStep {
  const result = call.result!
  const step: AgentStep = { type: 'tool', turn: call.turn, index: call.index, name: call.name, args: call.args, ok: result.ok, content: result.content, durationMs: result.durationMs }
  if (result.reason) step.reason = result.reason
  return step
}

function toolResultEvent(call: AgentToolCall): Extract<AgentEmitted, { type: 'agent.toolResult' }> {
  return { type: 'agent.toolResult', turn: call.turn, index: call.index, name: call.name, args: call.args, ...call.result! }
}

function replyStep(turn: number, message: AgentMessage, calls: readonly AgentToolCall[]): AgentStep {
  return { type: 'reply', turn, content: message.content, thinking: message.thinking ?? '', toolCalls: calls.map(({ index, name, args }) => ({ index, name, args })) }
}

function assistantMessage(body: ChatResponse | undefined): AgentMessage {
  const merged = (body?.message ?? {}) as Partial<Message>
  const message: AgentMessage = { role: 'assistant', content: merged.content ?? '' }
  if (merged.thinking) message.thinking = merged.thinking
  if (merged.tool_calls?.length) message.tool_calls = plain(merged.tool_calls) as ToolCall[]
  return message
}

/** A JSON copy (struct instances become plain objects; `undefined` stays `undefined`). */
function plain(value: unknown): unknown {
  if (value === undefined) return undefined
  try {
    return JSON.parse(JSON.stringify(value))
  } catch {
    return String(value)
  }
}
