import type { ErrorObject } from 'ajv'
import { whenAborted } from '../abort-group.js'
import { AbortError } from '../errors/AbortError.js'
import { OllixirError } from '../errors/OllixirError.js'
import { describeSchemaErrors } from '../protocol/user-schema.js'
import type * as W from '../types/wire.js'
import { Tool, type ToolInput } from './tool.js'

/** Where tool calls are read from: a chat reply, its message, or the calls themselves. */
export type ToolCallSource = { message?: { tool_calls?: readonly W.ToolCall[] } } | { tool_calls?: readonly W.ToolCall[] } | readonly W.ToolCall[]

/** A tool message answering one call, ready to append to the conversation. */
export interface ToolMessage extends W.Message {
  role: 'tool'
  tool_name: string
  content: string
}

/** Why a call did not produce a value. */
export type ToolFailure = 'unknown-tool' | 'invalid-arguments' | 'not-runnable' | 'failed' | 'timeout' | 'aborted'

/** One of the model's calls, checked against the tools: ready to run, or already refused. */
export interface PlannedToolCall {
  /** Position among the reply's calls; results keep this order. */
  index: number
  call: W.ToolCall
  name: string
  /** The matching tool, when there is one. */
  tool: Tool<any, any> | undefined
  /** The parsed arguments (a JSON string from the model is parsed). */
  args: unknown
  /** Set when the call cannot run: what the model is told. */
  refusal?: { reason: ToolFailure; message: string; errors?: ErrorObject[] }
}

export type ToolOutcome =
  | { index: number; call: W.ToolCall; name: string; ok: true; value: unknown; durationMs: number; message: ToolMessage }
  | { index: number; call: W.ToolCall; name: string; ok: false; reason: ToolFailure; error: string; durationMs: number; message: ToolMessage }

export interface RunToolCallsOptions {
  /** Milliseconds one call may run unless its tool sets `timeout`. Default 30 000. */
  timeout?: number
  /** Cancels every call still running; they end as `aborted`. */
  signal?: AbortSignal
}

export const DEFAULT_TOOL_TIMEOUT_MS = 30_000

/**
 * Reads the model's tool calls and checks each against the tools: unknown names and
 * arguments that break the tool's schema become refusals whose message tells the
 * model what to fix. Raw Ollama tool objects (no `run`) are matched by name too, and
 * refused as `not-runnable` only when one is actually run.
 */
export function planToolCalls(source: ToolCallSource, tools: readonly ToolInput[]): PlannedToolCall[] {
  const byName = new Map<string, ToolInput>()
  for (const tool of tools) byName.set(Tool.isTool(tool) ? tool.name : tool.function.name, tool)
  return callsOf(source).map((call, index) => {
    const name = call?.function?.name ?? ''
    const planned: PlannedToolCall = { index, call, name, tool: undefined, args: call?.function?.arguments }
    const tool = byName.get(name)
    if (!tool) {
      const known = [...byName.keys()].map((known) => `"${known}"`).join(', ') || 'none'
      planned.refusal = { reason: 'unknown-tool', message: `There is no tool named "${name}". Available tools: ${known}.` }
      return planned
    }
    if (!Tool.isTool(tool)) {
      planned.refusal = { reason: 'not-runnable', message: `Tool "${name}" was given as a raw Ollama tool object and has no run function; define it with defineTool to run it.` }
      return planned
    }
    planned.tool = tool
    const parsed = parseArguments(planned.args)
    if ('error' in parsed) {
      planned.refusal = { reason: 'invalid-arguments', message: `Invalid arguments for "${name}": ${parsed.error}` }
      return planned
    }
    planned.args = parsed.value
    const errors = tool.check(parsed.value)
    if (errors) {
      planned.refusal = { reason: 'invalid-arguments', message: `Invalid arguments for "${name}": ${describeSchemaErrors(errors, 'arguments')}.`, errors }
    }
    return planned
  })
}

/**
 * Runs one planned call with a timeout; never rejects. A refusal, a throw, a timeout
 * or an abort becomes an outcome with `ok: false` and a tool message saying so, so
 * the conversation can always go on.
 */
export async function runToolCall(planned: PlannedToolCall, options: RunToolCallsOptions = {}): Promise<ToolOutcome> {
  const started = performance.now()
  const fail = (reason: ToolFailure, error: string): ToolOutcome => ({
    index: planned.index,
    call: planned.call,
    name: planned.name,
    ok: false,
    reason,
    error,
    durationMs: performance.now() - started,
    message: toolMessage(planned, `Error: ${error}`),
  })
  if (planned.refusal) return fail(planned.refusal.reason, planned.refusal.message)
  const tool = planned.tool!
  if (!tool.runnable) return fail('not-runnable', `Tool "${planned.name}" has no run function.`)
  if (options.signal?.aborted) return fail('aborted', `The call to "${planned.name}" was cancelled.`)

  const timeoutMs = tool.timeout ?? options.timeout ?? DEFAULT_TOOL_TIMEOUT_MS
  const controller = new AbortController()
  let settle: (outcome: ToolOutcome) => void = () => {}
  const stopped = new Promise<ToolOutcome>((resolve) => (settle = resolve))
  const timer = setTimeout(() => {
    controller.abort(new AbortError(`Tool "${planned.name}" (timed out after ${timeoutMs} ms)`))
    settle(fail('timeout', `"${planned.name}" did not finish within ${timeoutMs} ms.`))
  }, timeoutMs)
  const onAbort = () => {
    controller.abort(options.signal!.reason)
    settle(fail('aborted', `The call to "${planned.name}" was cancelled.`))
  }
  // One listener per caller signal, however many tool calls share it (see whenAborted).
  const forget = options.signal ? whenAborted(options.signal, onAbort) : undefined
  const ran = tool.run(planned.args, { signal: controller.signal, call: planned.call }).then(
    (value): ToolOutcome => ({
      index: planned.index,
      call: planned.call,
      name: planned.name,
      ok: true,
      value,
      durationMs: performance.now() - started,
      message: toolMessage(planned, resultText(value)),
    }),
    (error: unknown) => fail('failed', `"${planned.name}" failed: ${errorText(error)}`),
  )
  try {
    return await Promise.race([ran, stopped])
  } finally {
    clearTimeout(timer)
    forget?.()
  }
}

/**
 * Checks and runs every tool call of a reply, concurrently, each with its timeout.
 * Resolves (never rejects) with one outcome per call, in the calls' order.
 *
 * @example
 * const reply = await client.chat({ model, messages, tools })
 * const outcomes = await runToolCalls(reply, tools, { timeout: 10_000 })
 * messages.push(reply.message, ...toolMessages(outcomes))
 */
export function runToolCalls(source: ToolCallSource, tools: readonly ToolInput[], options: RunToolCallsOptions = {}): Promise<ToolOutcome[]> {
  return Promise.all(planToolCalls(source, tools).map((planned) => runToolCall(planned, options)))
}

/** The tool messages of some outcomes, in order, to append after the assistant's message. */
export function toolMessages(outcomes: readonly ToolOutcome[]): ToolMessage[] {
  return [...outcomes].sort((a, b) => a.index - b.index).map((outcome) => outcome.message)
}

function callsOf(source: ToolCallSource): readonly W.ToolCall[] {
  if (Array.isArray(source)) return source
  const holder = source as { message?: { tool_calls?: readonly W.ToolCall[] }; tool_calls?: readonly W.ToolCall[] }
  return holder.message?.tool_calls ?? holder.tool_calls ?? []
}

/** Ollama sends arguments as an object; some models put a JSON string there. */
function parseArguments(raw: unknown): { value: unknown } | { error: string } {
  if (raw === undefined || raw === null) return { value: {} }
  if (typeof raw !== 'string') return { value: raw }
  try {
    return { value: raw.trim() === '' ? {} : JSON.parse(raw) }
  } catch {
    return { error: `arguments are not valid JSON: ${JSON.stringify(raw.slice(0, 200))}` }
  }
}

function toolMessage(planned: PlannedToolCall, content: string): ToolMessage {
  const message: ToolMessage = { role: 'tool', tool_name: planned.name, content }
  if (planned.call?.id) message.tool_call_id = planned.call.id
  return message
}

function resultText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

function errorText(error: unknown): string {
  if (OllixirError.isInstance(error) || error instanceof Error) return error.message
  return String(error)
}
