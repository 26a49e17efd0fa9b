import type { AnyActorRef } from 'xstate'
import type { Recipient, OllixirEvent } from './events.js'

/** XState's internal relay: delivers with a source, so inspectors show who sent what. */
interface RelaySystem {
  _relay(source: AnyActorRef | undefined, target: AnyActorRef, event: unknown): void
}

export function isActorRef(value: unknown): value is AnyActorRef {
  return typeof value === 'object' && value !== null && 'system' in value && 'getSnapshot' in value && typeof (value as AnyActorRef).send === 'function'
}

/**
 * A function that sends events from `source` to `target`, decided once (it runs per
 * chunk). Between actors of one system it goes through the system, which is what
 * `sendParent` and `sendBack` do, so the inspector records the sender; anything else
 * just gets `send(event)`.
 */
export function relayTo(source: AnyActorRef, target: Recipient<OllixirEvent> | AnyActorRef): (event: OllixirEvent) => void {
  if (isActorRef(target) && target.system === source.system) {
    const system = source.system as unknown as RelaySystem
    return (event) => system._relay(source, target, event)
  }
  return (event) => target.send(event)
}

/** Sends one event from `source` to `target` (see `relayTo`). */
export function relay(source: AnyActorRef, target: Recipient<OllixirEvent> | AnyActorRef, event: OllixirEvent): void {
  relayTo(source, target)(event)
}
