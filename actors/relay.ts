import type { ActorLogic, AnyActorRef, EventObject, InspectionEvent, Observer, Snapshot } from 'xstate'
import { createActor } from 'xstate'
import type { Recipient, OllixirEvent } from './events.js'

/** XState's internal relay and inspection hook: deliver with a source, so inspectors show who sent what. */
interface RelaySystem {
  _relay(source: AnyActorRef | undefined, target: AnyActorRef, event: unknown): void
  /** The system adds `rootId` and hands the event to its inspectors (a no-op without any). */
  _sendInspectionEvent(event: { type: '@xstate.event'; sourceRef: AnyActorRef | undefined; actorRef: AnyActorRef; event: EventObject }): void
}

export function isActorRef(value: unknown): value is AnyActorRef {
  return typeof value === 'object' && value !== null && 'system' in value && 'getSnapshot' in value && typeof (value as AnyActorRef).send === 'function'
}

/** Stand-in actors and the plain recipients they stand for. */
const recipients = new WeakMap<AnyActorRef, Recipient<OllixirEvent>>()

/**
 * A function that sends events from `source` to `target`, decided once (it runs per
 * chunk). Between actors of one system it goes through the system, which is what
 * `sendParent` and `sendBack` do, so the inspector records the sender. A stand-in
 * (see `createStandIn`) gets the event recorded as sent to it, and its recipient gets
 * the event itself, synchronously, exactly as without a stand-in. Anything else just
 * gets `send(event)`.
 */
export function relayTo<E extends EventObject = OllixirEvent>(source: AnyActorRef, target: Recipient<E> | AnyActorRef): (event: E) => void {
  if (isActorRef(target) && target.system === source.system) {
    const system = source.system as unknown as RelaySystem
    const recipient = recipients.get(target)
    if (recipient) {
      return (event) => {
        system._sendInspectionEvent({ type: '@xstate.event', sourceRef: source, actorRef: target, event })
        recipient.send(event as unknown as OllixirEvent)
      }
    }
    return (event) => system._relay(source, target, event)
  }
  return (event) => target.send(event)
}

/** Sends one event from `source` (if any) to `target` (see `relayTo`). */
export function relay<E extends EventObject = OllixirEvent>(source: AnyActorRef | undefined, target: Recipient<E> | AnyActorRef, event: E): void {
  if (source) relayTo(source, target)(event)
  else target.send(event)
}

/** What an inspector shows of a stand-in: whom it stands for, and for which task. */
export interface StandInContext {
  /** `'mailbox'` for a `stream: true` iterator, `'object'` for a plain `{ send }` parent. */
  recipient: 'mailbox' | 'object'
  /** The id of the task whose events it receives. */
  task: string
}

export type StandInSnapshot = Snapshot<undefined> & { context: StandInContext }

/**
 * Logic of a stand-in: it does nothing with events, it only exists to be seen. It is
 * done when its task (its only child) is.
 */
const standInLogic: ActorLogic<StandInSnapshot, EventObject, StandInContext> = {
  config: 'ollixir.standIn',
  getInitialSnapshot: (_scope, input) => ({ status: 'active', output: undefined, error: undefined, context: { ...input } }),
  transition(snapshot, event) {
    if (snapshot.status !== 'active') return snapshot
    const type = event.type
    if (type.startsWith('xstate.done.actor.') || type.startsWith('xstate.error.actor.')) return { ...snapshot, status: 'done' }
    if (type === 'xstate.stop') return { ...snapshot, status: 'stopped' }
    return snapshot
  },
  getPersistedSnapshot: (snapshot) => snapshot,
}

/**
 * A root actor that stands, in an inspector, for a recipient that is not an actor (the
 * mailbox of a `stream: true` iterator, a plain `{ send }` parent). Only made when
 * the client has an inspector: the request actor becomes its child, so the inspector
 * sees an actor tree, and every event sent to the recipient is reported as an
 * `@xstate.event` from the request actor to the stand-in. Delivery itself stays
 * direct (see `relayTo`): same order, same cost per event but the report, and a
 * recipient that throws fails the stream just as it does uninspected.
 */
export function createStandIn(
  recipient: Recipient<OllixirEvent>,
  options: { id: string; context: StandInContext; inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) },
): AnyActorRef {
  const actor = createActor(standInLogic, { id: options.id, input: options.context, inspect: options.inspect })
  recipients.set(actor, recipient)
  return actor.start()
}
