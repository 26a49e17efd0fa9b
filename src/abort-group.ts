/** The callers waiting on one signal, and the single listener that serves them all. */
interface Group {
  listeners: Set<() => void>
  onAbort: () => void
}

const groups = new WeakMap<AbortSignal, Group>()

/**
 * Calls `listener` when `signal` aborts, like `addEventListener('abort', …, { once: true })`,
 * but with one listener on the signal however many calls share it: a caller may
 * pass one signal to a hundred concurrent calls, and Node prints
 * `MaxListenersExceededWarning` past ten listeners — and ollixir never writes to
 * the console. Returns `release`, to call once the call is over: the listener is
 * forgotten, and the signal's own listener goes with the last one, so a long-lived
 * signal keeps nothing of finished calls.
 *
 * As with `addEventListener`, a signal that has already aborted never calls back:
 * check `signal.aborted` first.
 *
 * @example
 * if (signal.aborted) controller.abort(signal.reason)
 * const release = whenAborted(signal, () => controller.abort(signal.reason))
 * try { await work(controller.signal) } finally { release() }
 */
export function whenAborted(signal: AbortSignal, listener: () => void): () => void {
  let group = groups.get(signal)
  if (!group) {
    const listeners = new Set<() => void>()
    const created: Group = {
      listeners,
      onAbort: () => {
        groups.delete(signal)
        // A listener that throws must not keep the abort from the others (nor escape into the caller's abort()).
        for (const each of [...listeners]) {
          try {
            each()
          } catch {
            // its own call reports its own failure
          }
        }
        listeners.clear()
      },
    }
    group = created
    groups.set(signal, group)
    signal.addEventListener('abort', group.onAbort, { once: true })
  }
  const own = group
  // A Set keeps one entry per function: wrap so the same listener given twice is called twice.
  const entry = () => listener()
  own.listeners.add(entry)
  return () => {
    if (!own.listeners.delete(entry) || own.listeners.size > 0) return
    signal.removeEventListener('abort', own.onAbort)
    if (groups.get(signal) === own) groups.delete(signal)
  }
}

/** How many calls wait on `signal` through `whenAborted` (for tests: finished calls must leave). */
export function waitingOn(signal: AbortSignal): number {
  return groups.get(signal)?.listeners.size ?? 0
}
