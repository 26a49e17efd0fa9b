import { ConnectionError } from '../src/errors/ConnectionError.js'
import { OllixirError } from '../src/errors/OllixirError.js'
import { RequestError } from '../src/errors/RequestError.js'
import { ResponseError } from '../src/errors/ResponseError.js'
import { INTERNALS, type HasInternals } from '../src/internals.js'
import type { ResponseFormat } from '../src/options.js'
import { ENDPOINTS, type StreamMethod } from '../src/protocol/endpoints.js'
import { createMerger, type ChunkMerger } from '../src/protocol/merge.js'
import { NdjsonDecoder } from '../src/protocol/ndjson-decoder.js'
import { quoteServerText, RAW_BODY_MAX_CHARS } from '../src/protocol/server-text.js'
import { IdleTimer } from '../src/transport/idle-timer.js'
import { abortError, idleTimeoutError, toOllixirError } from '../src/transport/map-error.js'
import type { OpenResponse } from '../src/transport/open-request.js'
import type { ResponseBody } from '../src/transport/transport.js'
import { toStruct, type StructKind } from '../src/types/structs.js'
import type { OllixirEvent, TaskResult } from './events.js'

/** How long a connection may stay open after the final chunk before it is cut. */
const LINGER_AFTER_DONE_MS = 1000
/** What a server may send after the final chunk before the connection is cut. */
const MAX_BYTES_AFTER_DONE = 64 * 1024

export type StreamPhase = 'connecting' | 'streaming' | 'paused' | 'ok' | 'error' | 'cancelled'

/** What the run reports to the actor that owns it. */
export interface StreamRunHooks {
  /** Deliver an `ollixir.*` event to whoever listens (parent or mailbox). */
  deliver(event: OllixirEvent): void
  /** The response status is known: the run is streaming (from `host`, the pool's choice, with `hosts`). */
  streaming(status: number, host: string | undefined): void
  /** The run is over; called once, after the last event was delivered. */
  finish(result: TaskResult): void
  /** Deliver one `ollixir.chunks` per socket read instead of one `ollixir.data` per chunk. */
  coalesce?: boolean
}

/**
 * One streaming request from socket to events: opens it through the transport,
 * decodes NDJSON, turns `{"error"}` lines into `ResponseError`, merges chunks into
 * the final body and delivers `data`, then `ok` or `error`. Plain code, no XState:
 * the `ollamaStream` actor owns one run and maps its hooks onto events.
 */
export class StreamRun {
  readonly #hooks: StreamRunHooks
  readonly #taskId: string
  readonly #taskRef: string
  readonly #merger: ChunkMerger
  readonly #controller: AbortController
  readonly #release: () => void
  readonly #what: string
  /** The response class per chunk in struct mode. */
  readonly #structKind: StructKind | undefined
  #decoder: NdjsonDecoder | undefined
  #host = ''
  #status = 0
  #headers: OpenResponse['headers'] = {}
  #body: ResponseBody | undefined
  #idle: IdleTimer | undefined
  #timeout = 0
  #paused = false
  #over = false
  /** Coalescing: the chunks of the read being decoded, delivered together once it is. */
  #batch: unknown[] | undefined
  /** Coalescing, while a read (or the end) is decoded: chunks wait in `#batch`. */
  #inRead = false
  /** Hears what comes after the final chunk, while the connection lingers (see `#linger`). */
  #afterDone: { data(bytes: number): void; end(): void } | undefined
  /**
   * Set before the final event is delivered: a recipient that reacts to `ok` by
   * shutting the task down (or stopping itself, which unlinks) must not turn a
   * finished task into a cancelled one.
   */
  result: TaskResult | undefined

  constructor(
    client: HasInternals,
    readonly method: StreamMethod,
    request: Record<string, unknown>,
    ids: { taskId: string; taskRef: string },
    hooks: StreamRunHooks,
  ) {
    this.#hooks = hooks
    this.#taskId = ids.taskId
    this.#taskRef = ids.taskRef
    const endpoint = ENDPOINTS[method]
    this.#what = `${endpoint.http} ${endpoint.path}`
    this.#merger = createMerger(endpoint.merge)
    const internals = client[INTERNALS]
    const format = (request.responseFormat as ResponseFormat | undefined) ?? internals.responseFormat
    this.#structKind = format === 'struct' ? endpoint.struct : undefined
    const { controller, release } = internals.track(request.signal as AbortSignal | undefined)
    this.#controller = controller
    this.#release = release
    internals
      // create's blob uploads happen before the request: their progress is data like any other chunk.
      .prepare(method, request, true, controller.signal, (chunk) => this.#onValue(chunk))
      .then((prepared) => {
        this.#host = prepared.call.host
        this.#timeout = prepared.call.timeout
        this.#decoder = new NdjsonDecoder(prepared.maxLineBytes, (value) => this.#onValue(value))
        return internals.open(prepared, this.#taskId)
      })
      .then((response) => this.#onResponse(response))
      .catch((error: unknown) => this.#fail(error))
  }

  /** Stop reading: the socket fills and TCP slows the server down. */
  pause(): void {
    if (this.#paused || this.#over) return
    this.#paused = true
    this.#idle?.suspend()
    this.#body?.pause()
  }

  resume(): void {
    if (!this.#paused || this.#over) return
    this.#paused = false
    this.#idle?.resume()
    this.#body?.resume()
  }

  /** Abort without a word: the owner asked for it (Task.shutdown, leaving a state). */
  cancel(): void {
    if (this.#over) return
    this.#over = true
    this.#close()
    this.#controller.abort()
  }

  #onResponse(response: OpenResponse & { host: string; routed?: boolean }): void {
    if (this.#over) {
      response.body.cancel()
      return
    }
    this.#host = response.host
    this.#status = response.status
    this.#headers = response.headers
    const body = (this.#body = response.body)
    this.#idle = new IdleTimer(this.#timeout, () => this.#fail(idleTimeoutError(this.#host, this.#what, this.#timeout)))
    this.#controller.signal.addEventListener('abort', () => this.#fail(abortError(this.#what, this.#controller.signal)), { once: true })
    if (this.#paused) {
      body.pause()
      this.#idle.suspend()
    }
    this.#hooks.streaming(response.status, response.routed ? response.host : undefined)
    body.read({
      data: (bytes) => this.#onBytes(bytes),
      end: () => this.#onEnd(),
      error: (error) => (this.#over ? this.#afterDone?.end() : this.#fail(toOllixirError(error, this.#host, this.#what))),
    })
  }

  #onBytes(bytes: Uint8Array): void {
    if (this.#over) return this.#afterDone?.data(bytes.byteLength)
    this.#idle!.touch()
    this.#inRead = this.#hooks.coalesce === true
    try {
      this.#decoder!.push(bytes)
    } catch (error) {
      this.#fail(OllixirError.isInstance(error) ? error : unprocessable(error))
    }
    this.#inRead = false
    this.#flush()
  }

  #onValue(value: unknown): void {
    if (this.#over) return
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new RequestError(`Ollama sent a line that is not a JSON object: ${JSON.stringify(value).slice(0, 200)}`, { code: 'EBADLINE' })
    }
    const chunk = value as Record<string, unknown>
    // An error line ends the stream; it is never data, and never merged.
    if (typeof chunk.error === 'string') {
      this.#decoder!.stop()
      throw new ResponseError(quoteServerText(chunk.error), this.#status, { code: 'ESTREAM', body: chunk.error.slice(0, RAW_BODY_MAX_CHARS) })
    }
    this.#merger.add(chunk)
    const data = this.#structKind ? toStruct(this.#structKind, chunk) : chunk
    if (this.#inRead) (this.#batch ??= []).push(data)
    else if (this.#hooks.coalesce) this.#deliver({ type: 'ollixir.chunks', taskId: this.#taskId, data: [data] })
    else this.#deliver({ type: 'ollixir.data', taskId: this.#taskId, data })
    // The final chunk ends the stream, whatever the server does next: a connection
    // left open must not hang a complete reply, and nothing after it is data.
    if (this.#merger.finished && this.#decoder) {
      this.#decoder.stop()
      this.#succeed(true)
    }
  }

  #onEnd(): void {
    if (this.#over) return this.#afterDone?.end()
    // A last line without its newline is one more read's worth of chunks.
    this.#inRead = this.#hooks.coalesce === true
    try {
      this.#decoder!.end()
    } catch (error) {
      return this.#fail(error)
    } finally {
      this.#inRead = false
      this.#flush()
    }
    if (this.#over) return
    if (!this.#merger.finished) {
      const final = ENDPOINTS[this.method].merge === 'progress' ? '`status: "success"`' : '`done: true`'
      return this.#fail(
        new ConnectionError(`Ollama at ${this.#host} ended ${this.#what} before its final chunk (${final}); the response is incomplete.`, {
          code: 'EINCOMPLETE',
          host: this.#host,
        }),
      )
    }
    this.#succeed()
  }

  /** `early`: the final chunk came before the body ended (it usually does, by a few bytes). */
  #succeed(early = false): void {
    if (this.#over) return
    // The final chunk came in this read: its batch goes before ok.
    this.#flush()
    if (this.#over) return
    this.#over = true
    this.#close(early)
    if (early) this.#linger()
    const merged = this.#merger.result()
    const body = this.#structKind ? toStruct(this.#structKind, merged) : merged
    this.result = { ok: body }
    this.#deliver({ type: 'ollixir.ok', taskRef: this.#taskRef, response: { status: this.#status, headers: this.#headers, body, host: this.#host } })
    this.#hooks.finish(this.result)
  }

  #fail(error: unknown): void {
    if (this.#over) return
    // Chunks that made it are delivered before the error, as without coalescing.
    this.#flush()
    if (this.#over) return
    this.#over = true
    this.#close()
    let reason = OllixirError.isInstance(error) ? error : toOllixirError(error, this.#host, this.#what)
    // Whatever broke once the caller aborted, the cause is the abort.
    if (this.#controller.signal.aborted && reason.code !== 'ABORT_ERR') reason = abortError(this.#what, this.#controller.signal)
    this.result = { error: reason }
    this.#deliver({ type: 'ollixir.error', taskRef: this.#taskRef, reason })
    this.#hooks.finish(this.result)
  }

  /** Delivers the batch of the current read, if it holds anything. */
  #flush(): void {
    const batch = this.#batch
    if (batch === undefined || this.#over) return
    this.#batch = undefined
    this.#deliver({ type: 'ollixir.chunks', taskId: this.#taskId, data: batch })
  }

  /**
   * Sending to a process never fails in Elixir; a recipient whose `send` throws is
   * treated as gone: the run ends with an `ERECIPIENT` error (the Task's result) and
   * nothing more is sent to it. A throw on the final event leaves the result as it is.
   */
  #deliver(event: OllixirEvent): void {
    try {
      this.#hooks.deliver(event)
    } catch (cause) {
      if (this.#over) return
      const why = cause instanceof Error ? cause.message : String(cause)
      this.#fail(new OllixirError(`The recipient of ${this.#taskId} threw while receiving ${event.type}: ${why}`, { code: 'ERECIPIENT', cause }))
    }
  }

  /** `keepBody`: after an early final chunk, `#linger` decides when the body goes. */
  #close(keepBody = false): void {
    this.#idle?.stop()
    this.#release()
    if (!keepBody) this.#body?.cancel()
  }

  /**
   * After the final chunk the connection is left a moment to end on its own, so a
   * well-behaved server's keep-alive connection is reused; one that holds it open
   * (or keeps writing) is cut. What it sends meanwhile is dropped (`#over` is set).
   */
  #linger(): void {
    const body = this.#body!
    let dropped = 0
    const cut = setTimeout(() => body.cancel(), LINGER_AFTER_DONE_MS)
    ;(cut as { unref?: () => void }).unref?.()
    this.#afterDone = {
      data(bytes) {
        dropped += bytes
        if (dropped <= MAX_BYTES_AFTER_DONE) return
        clearTimeout(cut)
        body.cancel()
      },
      end: () => clearTimeout(cut),
    }
    body.resume()
  }
}

/** Something broke while a line was processed (a nesting deep enough to overflow the stack, say): the line is at fault. */
function unprocessable(error: unknown): RequestError {
  const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return new RequestError(`A line from Ollama could not be processed (${why}).`, { code: 'EBADLINE', cause: error })
}
