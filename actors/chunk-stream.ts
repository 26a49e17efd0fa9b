import { AbortError } from '../src/errors/AbortError.js'
import { OllixirError } from '../src/errors/OllixirError.js'
import type { OllixirEvent } from './events.js'
import type { Mailbox } from './mailbox.js'
import type { Task } from './task.js'

const DONE: Promise<IteratorResult<never, undefined>> = Promise.resolve({ done: true, value: undefined })

/** How the iteration ends with an error, told apart from a result without a throw. */
class Failure {
  constructor(readonly reason: unknown) {}
}

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

  /** The base URL of the server streaming these chunks. */
  get host(): string | undefined {
    return this.task.host
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
      const event = this.#mailbox.take()
      if (event === undefined) return (this.#waiting = new Promise((resolve, reject) => this.#park(resolve, reject)))
      const result = this.#settle(event)
      if (result) return result
    }
  }

  /** Waits for the next event that yields something, and settles the pending `next()` with it. */
  #park(resolve: (result: IteratorResult<TChunk, undefined>) => void, reject: (reason: unknown) => void): void {
    this.#mailbox.park((event) => {
      const result = this.#interpret(event)
      if (result === undefined) return this.#park(resolve, reject)
      this.#waiting = undefined
      if (result instanceof Failure) reject(result.reason)
      else resolve(result)
    })
  }

  /** The iterator result an event makes, or undefined for events that yield nothing. */
  #settle(event: OllixirEvent): Promise<IteratorResult<TChunk, undefined>> | undefined {
    const result = this.#interpret(event)
    if (result === undefined) return undefined
    return result instanceof Failure ? Promise.reject(result.reason) : Promise.resolve(result)
  }

  #interpret(event: OllixirEvent): IteratorResult<TChunk, undefined> | Failure | undefined {
    switch (event.type) {
      case 'ollixir.data':
        if (!this.#aborted) return { done: false, value: event.data as TChunk }
        this.#finished = true
        return new Failure(this.#aborted)
      case 'ollixir.ok':
        this.#finished = true
        return { done: true, value: undefined }
      case 'ollixir.error':
        this.#finished = true
        return new Failure(this.#aborted ?? event.reason)
      default:
        return undefined
    }
  }

  /** Left early: nobody reads the rest, so stop the model and free the socket. */
  #leave(): void {
    if (this.#finished) return
    this.#finished = true
    this.task.shutdown()
    this.#mailbox.clear()
  }
}
