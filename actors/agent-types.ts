import type { DoneActorEvent } from 'xstate'
import type { Ollixir } from '../src/client.js'
import type { OllixirErrorData } from '../src/errors/error-data.js'
import type { OllixirError } from '../src/errors/OllixirError.js'
import type { ResponseFormat } from '../src/options.js'
import type { ToolFailure, ToolOutcome } from '../src/tools/tool-calls.js'
import type { ToolInput } from '../src/tools/tool.js'
import type { ChatResponse, KeepAlive, Message, Options, ThinkValue, ToolCall } from '../src/types/wire.js'
import type { OllixirEvent } from './events.js'

/** A message of the agent's history: Ollama's wire shape (user, assistant with `tool_calls`/`thinking`, tool). */
export type AgentMessage = Message

/** A tool call as the approval rule sees it: what the model asked for. */
export interface AgentToolCallInfo {
  /** The model turn that asked for it. */
  turn: number
  /** Position among the turn's calls; tool messages keep this order. */
  index: number
  /** The model's call id, when it gave one. */
  id?: string
  name: string
  /** The parsed arguments. */
  args: unknown
}

/**
 * Which calls wait for `agent.approve` / `agent.deny` before they run: `true` every
 * call, a list of tool names, or a predicate. Omitted (or `false`): none. Calls the
 * tools refuse anyway (unknown tool, invalid arguments) never wait.
 */
export type AgentApproval = boolean | readonly string[] | ((call: AgentToolCallInfo) => boolean)

/** What `createAgent` closes over. None of it goes into a snapshot. */
export interface AgentOptions {
  /** Runs the model requests (kept out of context, so snapshots stay JSON). */
  client: Ollixir<ResponseFormat>
  model: string
  /** The tools the model may call (`defineTool`); raw Ollama tool objects are offered but refused when called. */
  tools: readonly ToolInput[]
  /** A system prompt sent first in every request; configuration, not history (not in `messages`). */
  system?: string
  /** Model requests per run (one `prompt` or `agent.ask`). Default 8. */
  maxTurns?: number
  /** Milliseconds one tool call may run unless its tool sets `timeout`. Default 30 000. */
  toolTimeout?: number
  /** Human in the loop: which calls need approval. Default: none. */
  approve?: AgentApproval
  think?: ThinkValue
  options?: Options
  /** Sent as `keep_alive`. */
  keepAlive?: KeepAlive
  /** With a client of several `hosts`: the key that keeps the agent's turns on one server. Default: the agent actor's `sessionId`. */
  conversation?: string
}

/**
 * The machine's optional input. A history that ends with a user message (`prompt`
 * appends one) starts a run at once.
 */
export interface AgentInput {
  /** A conversation to go on with. */
  messages?: AgentMessage[]
  /** A question to run at once; also makes the agent one-shot unless `once: false`. */
  prompt?: string
  /**
   * One-shot: the agent reaches its final state `done` (with `output`) when its first
   * run stops, whatever the reason. Default: `true` when `prompt` is given, else `false`
   * (a long-lived agent that rests in `idle`/`failed` and takes `agent.ask`).
   */
  once?: boolean
}

/** Why the last run stopped. */
export type AgentStopReason = 'answer' | 'maxTurns' | 'cancelled' | 'error'

/** Why a call gave no value: the tools' own reasons, or the agent's. */
export type AgentToolFailure = ToolFailure | 'denied' | 'cancelled' | 'maxTurns'

/** What a call gave back: `content` is exactly what the model is told. */
export interface AgentToolResult {
  ok: boolean
  reason?: AgentToolFailure
  content: string
  durationMs: number
}

/** One of the current turn's tool calls and where it stands. */
export interface AgentToolCall extends AgentToolCallInfo {
  /** The call as the model sent it (run from this, also after a restore). */
  call: ToolCall
  /** The id of its actor, `tool.<turn>.<index>.<name>` (a child of the agent while it runs). */
  actorId: string
  /** `none`: no approval needed. */
  approval: 'none' | 'pending' | 'approved' | 'denied'
  status: 'awaitingApproval' | 'queued' | 'running' | 'done'
  /** Set once `status` is `done`. */
  result: AgentToolResult | null
}

/** The last error as plain data (the live error comes with the `agent.error` emitted event). */
export type AgentError = OllixirErrorData

/** A log a UI can render, in the order things happened. */
export type AgentStep =
  /** A question (`prompt`, `agent.ask`). */
  | { type: 'user'; content: string }
  /** A model reply: its text and thinking, and the calls it asked for. */
  | { type: 'reply'; turn: number; content: string; thinking: string; toolCalls: { index: number; name: string; args: unknown }[] }
  /** A human decision on a call. */
  | { type: 'approval'; turn: number; index: number; name: string; approved: boolean; reason?: string }
  /** A call's result (also refused, denied, cancelled and not-run calls), in the order they ended. */
  | { type: 'tool'; turn: number; index: number; name: string; args: unknown; ok: boolean; reason?: AgentToolFailure; content: string; durationMs: number }
  /** A model request failed. */
  | { type: 'error'; turn: number; error: AgentError }
  /** The run stopped. */
  | { type: 'stop'; turn: number; reason: AgentStopReason }

/** Everything here is JSON: `getPersistedSnapshot()` survives `JSON.stringify`. */
export interface AgentContext {
  /** The conversation sent to the model (without the system prompt). */
  messages: AgentMessage[]
  steps: AgentStep[]
  /** Model requests made so far over the agent's life (the current one's number, in `model.<turn>`). */
  turn: number
  /** Model requests of the current run: what `maxTurns` limits. */
  runTurns: number
  /** The reply so far while streaming (after an error: the part that came). */
  current: string
  /** The reply's thinking so far, kept apart from `current`. */
  currentThinking: string
  /** The current turn's tool calls. */
  calls: AgentToolCall[]
  /** The calls awaiting `agent.approve` / `agent.deny`. */
  pending: AgentToolCall[]
  error: AgentError | null
  /** The final answer of the last run, when it stopped with one. */
  answer: string | null
  stopReason: AgentStopReason | null
  /** One-shot (see `AgentInput.once`). */
  once: boolean
}

/** The output of a one-shot agent (final state `done`). */
export interface AgentOutput {
  answer: string | null
  stopReason: AgentStopReason
  messages: AgentMessage[]
  steps: AgentStep[]
  error: AgentError | null
  /** Model requests made. */
  turns: number
}

/** Events a UI (or a parent, with `sendTo`) sends. */
export type AgentCommand =
  /** From `idle` or `failed`: append a user message and run. */
  | { type: 'agent.ask'; content: string }
  /** In `awaitingApproval`: approve the call at `index`, or every pending call. */
  | { type: 'agent.approve'; index?: number }
  /** In `awaitingApproval`: deny the call at `index`, or every pending call; the model is told. */
  | { type: 'agent.deny'; index?: number; reason?: string }
  /** In `failed`: ask the model again (same turn). */
  | { type: 'agent.retry' }
  /** Anywhere: stop the model stream or the tools, and rest with a consistent history. */
  | { type: 'agent.cancel' }

/** A tool actor finished (XState's done event; its output is the tools module's outcome). */
export type AgentToolDoneEvent = DoneActorEvent<ToolOutcome, `tool.${string}`>

/** Every event the agent handles: the commands and its children's events. */
export type AgentEvent = AgentCommand | OllixirEvent<ChatResponse, ChatResponse> | AgentToolDoneEvent

/** What `actor.on(type, handler)` delivers. Emitted events do not reach an invoking parent. */
export type AgentEmitted =
  /** New text or thinking of the reply: one per socket read (the model streams with `coalesce: true`), so it may join several chunks. */
  | { type: 'agent.delta'; turn: number; content: string; thinking: string }
  /** A tool call starts running (its actor was spawned). */
  | { type: 'agent.toolCall'; turn: number; index: number; id?: string; name: string; args: unknown }
  /** A call ended (ran, failed, timed out, refused, denied, cancelled, not run); `value` is what `run` returned. */
  | ({ type: 'agent.toolResult'; turn: number; index: number; name: string; args: unknown; value?: unknown } & AgentToolResult)
  /** Calls wait for `agent.approve` / `agent.deny`. */
  | { type: 'agent.approvalNeeded'; turn: number; calls: AgentToolCall[] }
  /** The model answered without tool calls: the run is over. */
  | { type: 'agent.answer'; turn: number; answer: string; thinking: string }
  /** A model request failed; `error` is the live error (`instanceof ResponseError` works). */
  | { type: 'agent.error'; turn: number; error: OllixirError }

/** Input of a tool actor: plain data, so it persists (the tool itself is looked up by name). */
export interface AgentToolActorInput {
  turn: number
  index: number
  call: ToolCall
}
