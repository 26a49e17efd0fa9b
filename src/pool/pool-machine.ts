import { assign, setup, type ActorRefFrom } from 'xstate'
import type { HostInput, HostMachine } from './host-machine.js'
import type { RouteReason } from './router.js'

/** The router's own record, as an inspector shows it: counts and the last decision. */
export interface PoolContext {
  hosts: string[]
  routed: number
  waiting: number
  last: { request: string; host: string; reason: RouteReason; model: string | undefined } | undefined
}

export type PoolEvent =
  | { type: 'pool.routed'; request: string; host: string; reason: RouteReason; model: string | undefined }
  | { type: 'pool.waiting'; request: string; waiting: number }
  | { type: 'pool.dequeued'; waiting: number }

/** Id of the actor of the host at `index` (URLs make poor ids: they hold `/` and `:`). */
export const hostActorId = (index: number): string => `host.${index}`

/**
 * The router as an actor: it owns one host actor per server (its children, so one
 * inspector sees them all) and records each routing decision as an event, so the
 * inspector shows which host took each request.
 */
export function createPoolMachine(hostMachine: HostMachine) {
  return setup({
    types: { context: {} as PoolContext, events: {} as PoolEvent, input: {} as { hosts: HostInput[] } },
    actors: { host: hostMachine },
  }).createMachine({
    id: 'ollixir.pool',
    context: ({ input, spawn }) => {
      input.hosts.forEach((host, index) => spawn('host', { id: hostActorId(index), systemId: `ollixir.host ${host.host}`, input: host }))
      return { hosts: input.hosts.map((host) => host.host), routed: 0, waiting: 0, last: undefined }
    },
    on: {
      'pool.routed': {
        actions: assign({
          routed: ({ context }) => context.routed + 1,
          last: ({ event }) => ({ request: event.request, host: event.host, reason: event.reason, model: event.model }),
        }),
      },
      'pool.waiting': { actions: assign({ waiting: ({ event }) => event.waiting }) },
      'pool.dequeued': { actions: assign({ waiting: ({ event }) => event.waiting }) },
    },
  })
}

export type PoolActor = ActorRefFrom<ReturnType<typeof createPoolMachine>>
