import { OllixirError } from '../src/errors/OllixirError.js'
import type { OllixirEvent } from './events.js'

/** Taken slots are dropped once there are this many and they are half the array. */
const COMPACT_AFTER = 1024

/**
 * The process mailbox behind `stream: true`: a Task's parent that queues its events
 * until the iterator takes them. Past `highWaterMark` queued chunks it asks the
 * request actor to pause the socket, and to resume once half drained, so memory
 * stays bounded however fast the server writes.
 *
 * An abort overtakes the queue: whoever aborted (the call's `signal`, `client.abort()`)
 * wants no more chunks, so the queued ones are dropped and the loop throws
 * `AbortError` at its next step, as after `stream.abort()`. Other errors wait behind
 * the chunks that came before them.
 */
export class Mailbox {
  #queue: OllixirEvent[] = []
  #head = 0
  #waiter: ((event: OllixirEvent) => void) | undefined
  #paused = false
  readonly #highWaterMark: number
  /** Set by the owner once the task exists: how to tell the actor to pause/resume. */
  flowControl: ((pause: boolean) => void) | undefined

  constructor(highWaterMark: number) {
    this.#highWaterMark = Math.max(1, highWaterMark)
  }

  get size(): number {
    return this.#queue.length - this.#head
  }

  /** Array slots in use, taken ones included (for tests: it must stay near `size`). */
  get slots(): number {
    return this.#queue.length
  }

  send(event: OllixirEvent): void {
    if (isAbort(event)) this.clear()
    const waiter = this.#waiter
    if (waiter) {
      this.#waiter = undefined
      waiter(event)
      return
    }
    this.#queue.push(event)
    if (!this.#paused && this.size >= this.#highWaterMark) {
      this.#paused = true
      this.flowControl?.(true)
    }
  }

  /** The next queued event, or undefined when the mailbox is empty. */
  take(): OllixirEvent | undefined {
    if (this.#head === this.#queue.length) return undefined
    const event = this.#queue[this.#head]!
    this.#queue[this.#head++] = undefined as never
    if (this.#head === this.#queue.length) {
      this.#queue = []
      this.#head = 0
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#queue.length) {
      // A reader that never quite catches up must not leave an ever longer array behind.
      this.#queue = this.#queue.slice(this.#head)
      this.#head = 0
    }
    if (this.#paused && this.size <= this.#highWaterMark >> 1) {
      this.#paused = false
      this.flowControl?.(false)
    }
    return event
  }

  /**
   * Hands the next event to `waiter` as soon as it is sent (call only when empty).
   * A callback rather than a promise: the reader then settles its own promise once,
   * one promise per chunk instead of two.
   */
  park(waiter: (event: OllixirEvent) => void): void {
    this.#waiter = waiter
  }

  /** Drops whatever is queued (after abort or break: nobody will read it). */
  clear(): void {
    this.#queue = []
    this.#head = 0
  }

  /** Inspectors serialise recipients: show the queue length, not the chunks. */
  toJSON(): { mailbox: number } {
    return { mailbox: this.size }
  }
}

function isAbort(event: OllixirEvent): boolean {
  return event.type === 'ollixir.error' && OllixirError.isInstance(event.reason) && event.reason.code === 'ABORT_ERR'
}
