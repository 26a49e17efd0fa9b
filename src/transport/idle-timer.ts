/**
 * Fires when no byte has moved for `ms`. Reset on every byte (headers or body), and
 * suspended while the consumer holds the stream paused: a slow reader is not a dead
 * server. This replaces fixed request deadlines, which kill cold model loads.
 *
 * A touch only notes the time; the timer, when it fires early, re-arms for what is
 * left. That costs nothing per chunk on any runtime (browsers have no `refresh`).
 */
export class IdleTimer {
  #timer: ReturnType<typeof setTimeout> | undefined
  #lastActivity = 0
  readonly #ms: number
  readonly #onIdle: () => void

  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms
    this.#onIdle = onIdle
    this.resume()
  }

  /** Called per byte batch. */
  touch(): void {
    this.#lastActivity = Date.now()
  }

  suspend(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  resume(): void {
    if (this.#timer !== undefined || !Number.isFinite(this.#ms) || this.#ms <= 0) return
    this.#lastActivity = Date.now()
    this.#arm(this.#ms)
  }

  stop(): void {
    this.suspend()
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms)
    // An idle request alone should not keep a Node process alive past its owner's wish.
    ;(this.#timer as { unref?: () => void }).unref?.()
  }

  #check(): void {
    const left = this.#lastActivity + this.#ms - Date.now()
    if (left > 0) return this.#arm(left)
    this.#timer = undefined
    this.#onIdle()
  }
}
