/**
 * Calls waiting for a slot, first come first served, bounded. The pool offers each
 * freed slot to the waiters in arrival order; the first that can use it takes it, so
 * a call pinned to a busy host does not hold up calls that could go elsewhere.
 */
export class FairQueue<T> {
  readonly #waiters: T[] = []

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#waiters.length
  }

  /** False when full. */
  push(waiter: T): boolean {
    if (this.#waiters.length >= this.limit) return false
    this.#waiters.push(waiter)
    return true
  }

  /** How many waiters match. */
  count(match: (waiter: T) => boolean): number {
    let n = 0
    for (const waiter of this.#waiters) if (match(waiter)) n++
    return n
  }

  remove(waiter: T): void {
    const index = this.#waiters.indexOf(waiter)
    if (index !== -1) this.#waiters.splice(index, 1)
  }

  /** Offers every waiter, in order, to `serve`; those it accepts (returns true) leave the queue. */
  drain(serve: (waiter: T) => boolean): void {
    for (let i = 0; i < this.#waiters.length; ) {
      if (serve(this.#waiters[i]!)) this.#waiters.splice(i, 1)
      else i++
    }
  }

  /** Empties the queue, handing each waiter to `dismiss`. */
  clear(dismiss: (waiter: T) => void): void {
    for (const waiter of this.#waiters.splice(0)) dismiss(waiter)
  }
}
