import { assign, fromCallback, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate'
import { unrefTimeout } from './unref-timer.js'

/**
 * What the pool knows of one host, as an inspector shows it: its URL (no key, no
 * headers), slots and requests in flight, the models it has loaded and pulled, and
 * why it last failed.
 */
export interface HostContext {
  host: string
  slots: number
  inFlight: number
  /** Model keys (`name:tag`, lower case) from `/api/ps`. */
  loaded: string[]
  /** Model keys from `/api/tags`. */
  pulled: string[]
  /** Whether `/api/ps` and `/api/tags` have answered at least once. */
  known: boolean
  /** Failed probes in a row: the next probe waits `probeDelay · 2^failures`. */
  failures: number
  /** Why the host is down or degraded, for the all-hosts-down error. */
  lastError: string | undefined
  /** Milliseconds: first probe backoff, its cap, and how long `degraded` lasts. */
  timing: { probeDelay: number; maxProbeDelay: number; degradedFor: number }
}

export type HostEvent =
  | { type: 'host.view'; loaded: string[]; pulled: string[] }
  | { type: 'host.acquire' }
  | { type: 'host.release' }
  /** Refused, reset or unreachable: down until a probe answers. */
  | { type: 'host.failed'; reason: string }
  /** 503: passed over for a while. */
  | { type: 'host.busy'; reason: string }
  /** A response came: whatever was wrong is over. */
  | { type: 'host.ok' }
  | { type: 'host.wake' }

export interface HostInput {
  host: string
  slots: number
  probeDelay: number
  maxProbeDelay: number
  degradedFor: number
}

/** Wakes the host after `ms` with an unref'd timer (XState's own `after` would keep Node alive). */
const wakeAfter = fromCallback<HostEvent, { ms: number }>(({ sendBack, input }) => unrefTimeout(input.ms, () => sendBack({ type: 'host.wake' })))

/**
 * One Ollama server as a state machine: `up` → `degraded` (answered 503) → `up` after
 * a while; `up`/`degraded` → `down` (refused, reset) → `probing` (`GET /api/version`
 * after a backoff) → `up` when it answers, else `down` with a doubled backoff.
 * The probe is given by the pool (it holds the host's key, which no snapshot may).
 */
export function createHostMachine(probe: (host: string) => Promise<void>) {
  return setup({
    types: { context: {} as HostContext, events: {} as HostEvent, input: {} as HostInput },
    actors: { wakeAfter, probe: fromPromise<void, { host: string }>(({ input }) => probe(input.host)) },
    actions: {
      noteFailure: assign({ lastError: ({ event }) => ('reason' in event ? event.reason : undefined) }),
    },
  }).createMachine({
    id: 'host',
    context: ({ input }) => ({
      host: input.host,
      slots: input.slots,
      inFlight: 0,
      loaded: [],
      pulled: [],
      known: false,
      failures: 0,
      lastError: undefined,
      timing: { probeDelay: input.probeDelay, maxProbeDelay: input.maxProbeDelay, degradedFor: input.degradedFor },
    }),
    initial: 'up',
    on: {
      'host.view': { actions: assign({ loaded: ({ event }) => event.loaded, pulled: ({ event }) => event.pulled, known: true }) },
      'host.acquire': { actions: assign({ inFlight: ({ context }) => context.inFlight + 1 }) },
      'host.release': { actions: assign({ inFlight: ({ context }) => Math.max(0, context.inFlight - 1) }) },
    },
    states: {
      up: {
        entry: assign({ failures: 0, lastError: undefined }),
        on: {
          'host.failed': { target: 'down', actions: 'noteFailure' },
          'host.busy': { target: 'degraded', actions: 'noteFailure' },
        },
      },
      degraded: {
        invoke: { src: 'wakeAfter', input: ({ context }) => ({ ms: context.timing.degradedFor }) },
        on: {
          'host.ok': 'up',
          'host.wake': 'up',
          'host.failed': { target: 'down', actions: 'noteFailure' },
        },
      },
      down: {
        invoke: { src: 'wakeAfter', input: ({ context }) => ({ ms: Math.min(context.timing.maxProbeDelay, context.timing.probeDelay * 2 ** context.failures) }) },
        on: {
          'host.wake': 'probing',
          'host.failed': { actions: 'noteFailure' },
          'host.ok': 'up',
        },
      },
      probing: {
        invoke: {
          src: 'probe',
          input: ({ context }) => ({ host: context.host }),
          onDone: 'up',
          onError: {
            target: 'down',
            actions: assign({
              failures: ({ context }) => context.failures + 1,
              lastError: ({ event }) => (event.error instanceof Error ? event.error.message : String(event.error)),
            }),
          },
        },
        on: { 'host.ok': 'up' },
      },
    },
  })
}

export type HostMachine = ReturnType<typeof createHostMachine>
export type HostActor = ActorRefFrom<HostMachine>
export type HostSnapshot = SnapshotFrom<HostMachine>
export type HostState = 'up' | 'degraded' | 'down' | 'probing'
