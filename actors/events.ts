import type { OllixirError } from '../src/errors/OllixirError.js'

/** `{pid, {:data, chunk}}`: one streamed chunk, in order. */
export interface OllixirDataEvent<TChunk = unknown> {
  type: 'ollixir.data'
  taskId: string
  data: TChunk
}

/**
 * The chunks of one socket read, in order: sent instead of `ollixir.data` when the call
 * asked for `coalesce: true`. Same guarantees: every chunk once, in order, before ok/error.
 */
export interface OllixirChunksEvent<TChunk = unknown> {
  type: 'ollixir.chunks'
  taskId: string
  /** Never empty. */
  data: TChunk[]
}

/** The HTTP response of a finished stream; `body` is the merged response. */
export interface OllixirResponse<TBody = unknown> {
  status: number
  /** Lower-case names. */
  headers: Record<string, string>
  body: TBody
  /** The base URL of the server that answered (one of `hosts` with several). */
  host: string
}

/** `{ref, {:ok, resp}}`: the stream finished; sent after every data event. */
export interface OllixirOkEvent<TBody = unknown> {
  type: 'ollixir.ok'
  taskRef: string
  response: OllixirResponse<TBody>
}

/** `{ref, {:error, reason}}`: the stream failed; sent after every data event that made it. */
export interface OllixirErrorEvent {
  type: 'ollixir.error'
  taskRef: string
  reason: OllixirError
}

/** `{:DOWN, ref, …}`: the task is gone. Follows ok/error unless demonitored. */
export interface OllixirDownEvent {
  type: 'ollixir.down'
  taskRef: string
  reason: 'normal' | OllixirError
}

export type OllixirEvent<TChunk = unknown, TBody = unknown> =
  | OllixirDataEvent<TChunk>
  | OllixirChunksEvent<TChunk>
  | OllixirOkEvent<TBody>
  | OllixirErrorEvent
  | OllixirDownEvent

/** How a task ended: `{ ok: body }`, `{ error }`, or shut down by its owner. */
export type TaskResult<TBody = unknown> = { ok: TBody } | { error: OllixirError } | { cancelled: true }

/** Anything that can receive events: an XState actor (`self`) or a plain object. */
export interface Recipient<TEvent = OllixirEvent> {
  send(event: TEvent): void
}
