import type { HostState } from './host-machine.js'

/** A host as the router sees it: a snapshot, never the live actor. */
export interface HostView {
  host: string
  state: HostState
  inFlight: number
  slots: number
  loaded: readonly string[]
  pulled: readonly string[]
}

/** What a call needs from the pool. */
export interface Route {
  /** Model key (see `modelKey`); absent for calls that concern no model. */
  model?: string | undefined
  /** The host that served this conversation's previous turn. */
  sticky?: string | undefined
  /** The call must go to this host (`host` on the call), whatever its state. */
  pinned?: string | undefined
  /** Hosts this call already failed on (failover moves on from them). */
  exclude?: ReadonlySet<string>
  /** Calls for the same model already waiting ahead of this one. */
  backlog?: number
  /** Backlog, in slots of the hosts that have the model loaded, that spills it to hosts that have it pulled. Default `SPILL_FACTOR`. */
  spillFactor?: number
}

/** Why a host was chosen, for inspection and tests. */
export type RouteReason = 'pinned' | 'sticky' | 'loaded' | 'pulled' | 'any'

export type RouteDecision =
  | { kind: 'host'; host: string; reason: RouteReason }
  /** Suitable hosts exist but every one is full: wait for a slot. */
  | { kind: 'wait' }
  /** No suitable host is healthy (or every one was tried). */
  | { kind: 'none' }

/** How deep the backlog for a model gets, in slots of the hosts that have it loaded, before it is loaded elsewhere too. */
export const SPILL_FACTOR = 4

const TIER: Record<RouteReason, number> = { pinned: 0, sticky: 0, loaded: 1, pulled: 2, any: 3 }

/**
 * The routing rules, as one pure function:
 * 1. A pinned call goes to its host (full → wait).
 * 2. Suitable hosts are the healthy ones (`up`, then `degraded`) not yet tried by this
 *    call. If some have the model loaded, only those are suitable (a load elsewhere
 *    costs seconds to minutes and evicts another model), unless they are all full and
 *    `spillFactor` (default 4) × their slots calls for the model already wait: then hosts that have
 *    it pulled are suitable too. If none has it loaded, the hosts that have it pulled;
 *    if none has it at all, every healthy host (the view may be out of date).
 * 3. Among suitable hosts with a free slot: the conversation's previous host, then one
 *    with the model loaded, then pulled, then any; an `up` host before a `degraded` one;
 *    then the lowest in-flight/slots ratio; then the order of `hosts`.
 */
export function chooseHost(hosts: readonly HostView[], route: Route): RouteDecision {
  if (route.pinned !== undefined) {
    const pinned = hosts.find((view) => view.host === route.pinned)
    if (!pinned) return { kind: 'none' }
    return pinned.inFlight < pinned.slots ? { kind: 'host', host: pinned.host, reason: 'pinned' } : { kind: 'wait' }
  }
  let suitable = hosts.filter((view) => (view.state === 'up' || view.state === 'degraded') && !route.exclude?.has(view.host))
  if (suitable.length === 0) return { kind: 'none' }
  const model = route.model
  if (model !== undefined) {
    const loaded = suitable.filter((view) => view.loaded.includes(model))
    const holders = suitable.filter((view) => view.loaded.includes(model) || view.pulled.includes(model))
    const slots = loaded.reduce((sum, view) => sum + view.slots, 0)
    const spill = loaded.every((view) => view.inFlight >= view.slots) && (route.backlog ?? 0) >= (route.spillFactor ?? SPILL_FACTOR) * slots
    if (loaded.length > 0 && !spill) suitable = loaded
    else if (holders.length > 0) suitable = holders
  }
  let best: { view: HostView; rank: number[]; reason: RouteReason } | undefined
  for (const [index, view] of suitable.entries()) {
    if (view.inFlight >= view.slots) continue
    const reason: RouteReason =
      view.host === route.sticky ? 'sticky' : model !== undefined && view.loaded.includes(model) ? 'loaded' : model !== undefined && view.pulled.includes(model) ? 'pulled' : 'any'
    const rank = [TIER[reason], view.state === 'up' ? 0 : 1, view.inFlight / view.slots, index]
    if (!best || lessThan(rank, best.rank)) best = { view, rank, reason }
  }
  return best ? { kind: 'host', host: best.view.host, reason: best.reason } : { kind: 'wait' }
}

function lessThan(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!
  return false
}
