import { AbortError } from '../src/errors/AbortError.js'
import { OllixirError } from '../src/errors/OllixirError.js'
import type { OllixirEvent } from './events.js'
import type { Mailbox } from './mailbox.js'
import type { Task } from './task.js'

const DONE: Promise<IteratorResult<never, undefined>> = Promise.resolve({ done: true, value: undefined })

/**
 * What `stream: true` resolves to, Elixir's lazy `Stream`: an async iterable of
 * chunks drained from the task's mailbox. Iteration throws the stream's error
 * (`ResponseError` for an error line, `ConnectionError` for a drop, a timeout or a
 * stream that ends before its final chunk, `RequestError` for a bad line) and never
 * ends silently early. Leaving the loop early (`break`, `return`, a throw) aborts
 * the request. It can be iterated once.
 *
 * The iterator is written by hand rather than as an async generator: a queued chunk
 * then costs one resolved promise, which matters at hundreds of thousands of chunks.
 */
export class ChunkStream<TChunk = unknown, TBody = unknown> implements AsyncIterable<TChunk> {
  /** The task whose events feed this stream. */
  readonly task: Task<TChunk, TBody>
  readonly #mailbox: Mailbox
  #iterated = false
  #finished = false
  #aborted: AbortError | undefined
  /** A `next()` still waiting for an event; a second caller queues behind it. */
  #waiting: Promise<IteratorResult<TChunk, undefined>> | undefined

  /** @internal Made by the client for `stream: true`. */
  constructor(task: Task<TChunk, TBody>, mailbox: Mailbox) {
    this.task = task
    this.#mailbox = mailbox
  }

  /** Aborts the request; a loop over the stream then throws `AbortError`. */
  abort(): void {
    if (this.#aborted || this.#finished) return
    this.#aborted = new AbortError(`Stream ${this.task.id}`)
    this.task.shutdown()
    this.#mailbox.clear()
    // Wakes a loop waiting for the next chunk; what it throws is #aborted.
    this.#mailbox.send({ type: 'ollixir.error', taskRef: this.task.ref, reason: this.#aborted })
  }

  /** Every chunk, in order (like `Enum.to_list`). Rejects with the stream's error. */
  async collect(): Promise<TChunk[]> {
    const chunks: TChunk[] = []
    for await (const chunk of this) chunks.push(chunk)
    return chunks
  }

  [Symbol.asyncIterator](): AsyncIterator<TChunk, undefined> {
    if (this.#iterated) {
      throw new OllixirError(`Stream ${this.task.id} was already iterated; a stream can be consumed once (use collect() to keep its chunks).`, { code: 'ECONSUMED' })
    }
    this.#iterated = true
    return {
      next: () => (this.#waiting ? this.#waiting.then(() => this.#next()) : this.#next()),
      return: () => {
        this.#leave()
        return DONE
      },
    }
  }

  #next(): Promise<IteratorResult<TChunk, undefined>> {
    for (;;) {
      if (this.#finished) return DONE
      const next = this.#mailbox.receive()
      if (next instanceof Promise) {
        const waiting = next.then((event) => {
          this.#waiting = undefined
          return this.#settle(event) ?? this.#next()
        })
        this.#waiting = waiting
        return waiting
      }
      const result = this.#settle(next)
      if (result) return result
    }
  }

  /** The iterator result an event makes, or undefined for events that yield nothing. */
  #settle(event: OllixirEvent): Promise<IteratorResult<TChunk, undefined>> | undefined {
    switch (event.type) {
      case 'ollixir.data':
        return this.#aborted ? this.#fail(this.#aborted) : Promise.resolve({ done: false, value: event.data as TChunk })
      case 'ollixir.ok':
        this.#finished = true
        return DONE
      case 'ollixir.error':
        return this.#fail(this.#aborted ?? event.reason)
      default:
        return undefined
    }
  }

  #fail(reason: unknown): Promise<never> {
    this.#finished = true
    return Promise.reject(reason)
  }

  /** Left early: nobody reads the rest, so stop the model and free the socket. */
  #leave(): void {
    if (this.#finished) return
    this.#finished = true
    this.task.shutdown()
    this.#mailbox.clear()
  }
}
