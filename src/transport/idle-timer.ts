/**
 * Fires when no byte has moved for `ms`. Reset on every byte (headers or body), and
 * suspended while the consumer holds the stream paused: a slow reader is not a dead
 * server. This replaces fixed request deadlines, which kill cold model loads.
 */
export class IdleTimer {
  #timer: NodeJS.Timeout | undefined
  readonly #ms: number
  readonly #onIdle: () => void

  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms
    this.#onIdle = onIdle
    this.resume()
  }

  /** Called per byte batch: `refresh` re-arms without allocating a timer. */
  touch(): void {
    this.#timer?.refresh()
  }

  suspend(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }

  resume(): void {
    if (this.#timer !== undefined || !Number.isFinite(this.#ms) || this.#ms <= 0) return
    this.#timer = setTimeout(this.#onIdle, this.#ms)
    // An idle request alone should not keep the process alive past its owner's wish.
    this.#timer.unref()
  }

  stop(): void {
    this.suspend()
  }
}
