import { AbortError } from '../src/errors/AbortError.js'
import { OllixirError } from '../src/errors/OllixirError.js'
import type { OllixirEvent } from './events.js'
import type { Mailbox } from './mailbox.js'
import type { Task } from './task.js'

/**
 * What `stream: true` resolves to, Elixir's lazy `Stream`: an async iterable of
 * chunks drained from the task's mailbox. Iteration throws the stream's error
 * (`ResponseError` for an error line, `ConnectionError` for a drop, a timeout or a
 * stream that ends before its final chunk, `RequestError` for a bad line) and never
 * ends silently early. Leaving the loop early (`break`, `return`, a throw) aborts
 * the request. It can be iterated once.
 */
export class ChunkStream<TChunk = unknown, TBody = unknown> implements AsyncIterable<TChunk> {
  /** The task whose events feed this stream. */
  readonly task: Task<TChunk, TBody>
  readonly #mailbox: Mailbox
  #iterated = false
  #aborted: AbortError | undefined

  /** @internal Made by the client for `stream: true`. */
  constructor(task: Task<TChunk, TBody>, mailbox: Mailbox) {
    this.task = task
    this.#mailbox = mailbox
  }

  /** Aborts the request; a loop over the stream then throws `AbortError`. */
  abort(): void {
    if (this.#aborted) return
    this.#aborted = new AbortError(`Stream ${this.task.id}`)
    this.task.shutdown()
    this.#mailbox.clear()
    // Wakes a loop waiting for the next chunk; the error itself is thrown from #aborted.
    this.#mailbox.send({ type: 'ollixir.error', taskRef: this.task.ref, reason: this.#aborted })
  }

  /** Every chunk, in order (like `Enum.to_list`). Rejects with the stream's error. */
  async collect(): Promise<TChunk[]> {
    const chunks: TChunk[] = []
    for await (const chunk of this) chunks.push(chunk)
    return chunks
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<TChunk, void, undefined> {
    if (this.#iterated) throw new OllixirError(`Stream ${this.task.id} was already iterated; a stream can be consumed once (use collect() to keep its chunks).`, { code: 'ECONSUMED' })
    this.#iterated = true
    let finished = false
    try {
      for (;;) {
        if (this.#aborted) throw this.#aborted
        const next = this.#mailbox.receive()
        const event: OllixirEvent = next instanceof Promise ? await next : next
        switch (event.type) {
          case 'ollixir.data':
            yield event.data as TChunk
            break
          case 'ollixir.ok':
            finished = true
            return
          case 'ollixir.error':
            finished = true
            throw this.#aborted ?? event.reason
          case 'ollixir.down':
            break
        }
      }
    } finally {
      // Left early: nobody reads the rest, so stop the model and free the socket.
      if (!finished) {
        this.task.shutdown()
        this.#mailbox.clear()
      }
    }
  }
}
