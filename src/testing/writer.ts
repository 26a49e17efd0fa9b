/**
 * Writes an answer to the socket with the timing and faults a {@link Reply} asks for.
 *
 * Framing as Ollama's `streamResponse`: `Content-Type: application/x-ndjson`,
 * chunked transfer encoding, one JSON object per line ending in `\n`; a mid-stream
 * error is one more line `{"error":"..."}` after which the response ends cleanly.
 * Non-stream answers are one JSON document without a trailing newline and a
 * `Content-Length` (gin's `c.JSON`); Ollama writes nothing before such an answer
 * is complete, so drop/stall faults on them happen before the status line.
 */
import type { ServerResponse } from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import { RUNNER_ERROR } from './ollama-errors.js'
import type { Reply } from './types.js'

/** What a handler decided to answer; the writer adds timing and faults. */
export type Outcome =
  | { kind: 'json'; status: number; body: unknown; contentType?: string; headers?: Record<string, string>; commit?: () => void }
  | { kind: 'empty'; status: number; commit?: () => void }
  | { kind: 'text'; status: number; text: string; headers?: Record<string, string> }
  | { kind: 'stream'; chunks: object[]; commit?: () => void }

/** One response being written. */
export interface Exchange {
  res: ServerResponse
  /** Aborted when the response closes (client went away) or the fake shuts down. */
  signal: AbortSignal
  /** Destroys the socket on purpose (a `dropAfter` fault), so it is not counted as a client abort. */
  destroy(): void
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8'
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson'
const DEFAULT_MALFORMED_LINE = '{"message": oops}'

type Step = { write: Buffer } | { control: 'drop' | 'stall' | 'end' }

/** An error answer `{"error": message}`, as gin's `c.JSON(status, gin.H{"error": ...})`. */
export function errorOutcome(status: number, message: string, headers?: Record<string, string>): Outcome {
  return { kind: 'json', status, body: { error: message }, headers }
}

/** Sleeps unless the exchange is aborted first; resolves `false` when aborted. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false
  if (ms <= 0) return true
  try {
    await delay(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

export async function respond(ex: Exchange, outcome: Outcome, reply: Reply = {}): Promise<void> {
  if (reply.headersDelayMs && !(await sleep(reply.headersDelayMs, ex.signal))) return
  if (ex.signal.aborted) return

  if (outcome.kind === 'stream') return writeStream(ex, outcome.chunks, reply, outcome.commit)

  if (outcome.kind === 'text') {
    const body = Buffer.from(outcome.text)
    ex.res.writeHead(outcome.status, { 'Content-Type': 'text/plain', 'Content-Length': body.length, ...outcome.headers })
    ex.res.end(body)
    return
  }

  if (reply.dropAfter !== undefined) return ex.destroy()
  if (reply.stallAfter !== undefined) return

  const body = outcome.kind === 'json' ? Buffer.from(JSON.stringify(outcome.body)) : Buffer.alloc(0)
  const headers: Record<string, string | number> = { 'Content-Length': body.length }
  if (outcome.kind === 'json') {
    headers['Content-Type'] = outcome.contentType ?? JSON_CONTENT_TYPE
    Object.assign(headers, outcome.headers)
  }
  ex.res.writeHead(outcome.status, headers)
  if (body.length > 0 && !(await emit(ex, [{ write: body }], reply))) return
  ex.res.end()
  outcome.commit?.()
}

async function writeStream(ex: Exchange, chunks: object[], reply: Reply, commit?: () => void): Promise<void> {
  ex.res.writeHead(200, { 'Content-Type': NDJSON_CONTENT_TYPE })
  // Send the status line now: a client must see headers even if the first chunk never comes.
  ex.res.flushHeaders()
  const planned = planStream(chunks, reply)
  const { steps, completes } = reply.dropAfterBytes === undefined ? planned : cutAfterBytes(planned.steps, reply.dropAfterBytes)
  if (!(await emit(ex, steps, reply))) return
  if (completes) commit?.()
}

/** The writes up to `limit` bytes (the last one cut short), then a drop: a `dropAfterBytes` fault. */
function cutAfterBytes(steps: Step[], limit: number): { steps: Step[]; completes: false } {
  const cut: Step[] = []
  let left = Math.max(0, limit)
  for (const step of steps) {
    if (!('write' in step)) break
    if (left === 0) break
    cut.push({ write: step.write.subarray(0, left) })
    left -= Math.min(left, step.write.length)
  }
  return { steps: [...cut, { control: 'drop' }], completes: false }
}

/** Turns chunks + fault options into a list of writes and control steps. */
export function planStream(chunks: object[], reply: Reply): { steps: Step[]; completes: boolean } {
  const line = (value: unknown): Step => ({ write: Buffer.from(JSON.stringify(value) + '\n') })

  if (reply.noNewlineBytes !== undefined) {
    const partial = Buffer.from('{"response":"' + 'a'.repeat(Math.max(0, reply.noNewlineBytes))).subarray(0, reply.noNewlineBytes)
    return { steps: [{ write: partial }, { control: 'stall' }], completes: false }
  }

  const lines = reply.endWithoutDone ? chunks.slice(0, -1) : chunks
  const steps: Step[] = []
  for (let sent = 0; ; sent++) {
    // Faults are checked "after N chunks", so also after the last one.
    if (reply.errorLineAfter === sent) {
      steps.push(line({ error: reply.errorLine ?? RUNNER_ERROR }), { control: 'end' })
      return { steps, completes: false }
    }
    if (reply.dropAfter === sent) return { steps: [...steps, { control: 'drop' }], completes: false }
    if (reply.stallAfter === sent) return { steps: [...steps, { control: 'stall' }], completes: false }
    if (reply.malformedAfter === sent) steps.push({ write: Buffer.from((reply.malformedLine ?? DEFAULT_MALFORMED_LINE) + '\n') })
    if (sent === lines.length) break
    steps.push(line(lines[sent]))
  }
  steps.push({ control: 'end' })
  return { steps, completes: !reply.endWithoutDone }
}

/**
 * Performs the steps. Without `writeBytes` each write is one socket write, spaced by
 * `chunkDelayMs`; with it, consecutive writes are concatenated and re-cut into slices
 * of that many bytes (spaced by `chunkDelayMs`, default 1 ms so they arrive apart).
 * Returns `false` when the exchange ended early (abort, drop, stall).
 */
async function emit(ex: Exchange, steps: Step[], reply: Reply): Promise<boolean> {
  const pieces: Step[] = reply.writeBytes && reply.writeBytes > 0 ? reslice(steps, reply.writeBytes) : steps
  const gap = reply.chunkDelayMs ?? (reply.writeBytes ? 1 : 0)
  let first = true
  for (const step of pieces) {
    if (ex.signal.aborted) return false
    if ('control' in step) {
      if (step.control === 'drop') {
        await flushed(ex)
        ex.destroy()
        return false
      }
      if (step.control === 'stall') return false
      ex.res.end()
      return true
    }
    if (!first && !(await sleep(gap, ex.signal))) return false
    first = false
    if (!(await write(ex, step.write))) return false
  }
  return true
}

function reslice(steps: Step[], size: number): Step[] {
  const out: Step[] = []
  let pending: Buffer[] = []
  const flush = () => {
    const all = Buffer.concat(pending)
    for (let i = 0; i < all.length; i += size) out.push({ write: all.subarray(i, i + size) })
    pending = []
  }
  for (const step of steps) {
    if ('write' in step) pending.push(step.write)
    else {
      flush()
      out.push(step)
    }
  }
  flush()
  return out
}

/** Writes one piece and waits until it was handed to the socket (so a following drop cannot discard it). */
function write(ex: Exchange, data: Buffer): Promise<boolean> {
  if (ex.signal.aborted || ex.res.destroyed) return Promise.resolve(false)
  return new Promise((resolve) => {
    const onAbort = () => resolve(false)
    ex.signal.addEventListener('abort', onAbort, { once: true })
    ex.res.write(data, (err) => {
      ex.signal.removeEventListener('abort', onAbort)
      resolve(!err)
    })
  })
}

/** Waits until everything written so far (headers included) left the socket's buffer. */
function flushed(ex: Exchange): Promise<void> {
  const socket = ex.res.socket
  if (!socket || socket.destroyed) return Promise.resolve()
  return new Promise((resolve) => socket.write('', () => resolve()))
}
