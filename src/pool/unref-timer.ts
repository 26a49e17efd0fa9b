/** A timeout that never keeps a Node process alive (a pool's timers are housekeeping). */
export function unrefTimeout(ms: number, fire: () => void): () => void {
  const timer = setTimeout(fire, ms)
  ;(timer as { unref?: () => void }).unref?.()
  return () => clearTimeout(timer)
}

/** `ms` ± `spread` (a fraction), so hosts refreshed on one timer do not all answer at once. */
export function jittered(ms: number, spread = 0.2): number {
  return Math.round(ms * (1 - spread + Math.random() * 2 * spread))
}
