import { createActor, type InspectionEvent, type Observer } from 'xstate'
import { AbortError } from '../errors/AbortError.js'
import { ConnectionError } from '../errors/ConnectionError.js'
import { OllixirError } from '../errors/OllixirError.js'
import { judgeHost, type HostVerdict } from './failover.js'
import { createHostMachine, type HostActor, type HostState } from './host-machine.js'
import { createPoolMachine, hostActorId, type PoolActor } from './pool-machine.js'
import type { PoolOptions } from './pool-options.js'
import { chooseHost, type HostView, type Route, type RouteReason } from './router.js'
import { FairQueue } from './fair-queue.js'
import { jittered, unrefTimeout } from './unref-timer.js'

/** One server of the pool: its base URL and slots. Its key and headers stay with the client. */
export interface PoolHost {
  host: string
  slots: number
}

/** How the pool talks to its hosts; given by the client, which holds the transport and the keys. */
export interface PoolIo {
  /** `GET /api/version`; resolves when the host answers. */
  probe(host: string): Promise<void>
  /** Model keys from `/api/ps` and `/api/tags`. */
  view(host: string): Promise<{ loaded: string[]; pulled: string[] }>
}

/** A slot on a host, held while the request runs; `release` is idempotent. */
export interface Lease {
  host: string
  reason: RouteReason
  release(): void
}

/** A call that asked the pool for a host. */
export interface RouteRequest extends Route {
  /** Names the request in inspection (a task id, or `chat#12`). */
  request: string
  /** Stickiness key, when the call belongs to a conversation. */
  conversation?: string | undefined
}

interface Waiter {
  route: RouteRequest
  resolve(lease: Lease): void
  reject(error: unknown): void
}

/** Conversations remembered for stickiness; the oldest are forgotten first. */
const MAX_CONVERSATIONS = 10_000
/** How soon a host's view is fetched again after it loaded a model (to learn what it evicted). */
const REFRESH_AFTER_LOAD_MS = 500
/** How long the first call waits for the first view of the hosts' models. */
const FIRST_VIEW_WAIT_MS = 2000

/**
 * Several Ollama servers behind one client: a host actor per server (under a router
 * actor), the routing rules (`chooseHost`), a fair bounded queue for calls that find
 * every suitable host full, and a timer that keeps the view of models fresh. Started
 * by the first call, stopped by `client.close()`; its timers never keep Node alive.
 */
export class HostPool {
  readonly hosts: readonly string[]
  readonly #members: ReadonlyMap<string, PoolHost>
  readonly #options: Required<PoolOptions>
  readonly #io: PoolIo
  readonly #inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) | undefined
  readonly #conversations = new Map<string, string>()
  #actor: PoolActor | undefined
  #queue: FairQueue<Waiter>
  #firstView: Promise<void> | undefined
  #draining = false
  /** Hosts whose view is due for a refresh after they loaded a model (one timer per host). */
  readonly #refreshSoon = new Map<string, () => void>()
  #stopRefresh: (() => void) | undefined

  constructor(members: readonly PoolHost[], options: Required<PoolOptions>, io: PoolIo, inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void)) {
    this.hosts = members.map((member) => member.host)
    this.#members = new Map(members.map((member) => [member.host, member]))
    this.#options = options
    this.#io = io
    this.#inspect = inspect
    this.#queue = new FairQueue(options.queueLimit)
  }

  /** The router actor (its children are the host actors); started on first use. */
  get actor(): PoolActor {
    return this.#start()
  }

  /** Each host's state, load and models, as the router sees them. */
  views(): HostView[] {
    const actor = this.#start()
    return this.hosts.map((_, index) => {
      const snapshot = (actor.getSnapshot().children[hostActorId(index)] as HostActor).getSnapshot()
      const { host, inFlight, slots, loaded, pulled } = snapshot.context
      return { host, state: snapshot.value as HostState, inFlight, slots, loaded, pulled }
    })
  }

  get waiting(): number {
    return this.#queue.size
  }

  /** The host that served this conversation last, if any. */
  stickyHost(conversation: string | undefined): string | undefined {
    return conversation === undefined ? undefined : this.#conversations.get(conversation)
  }

  /**
   * A slot on the best host for `route`, now or once one frees up (the wait is fair,
   * bounded and ends on `signal`). Rejects with `EQUEUEFULL` when the queue is full,
   * and with a `ConnectionError` naming every host and why when none is usable.
   */
  async acquire(route: RouteRequest, signal: AbortSignal, failures?: ReadonlyMap<string, OllixirError>): Promise<Lease> {
    this.#start()
    if (this.#firstView) {
      let cancel: (() => void) | undefined
      await Promise.race([this.#firstView, new Promise<void>((resolve) => (cancel = unrefTimeout(FIRST_VIEW_WAIT_MS, resolve)))])
      cancel?.()
    }
    if (signal.aborted) throw new AbortError(route.request, signal.reason)
    const full = { ...route, sticky: route.sticky ?? this.stickyHost(route.conversation), spillFactor: this.#options.spillFactor }
    const model = route.model
    const now = this.#tryRoute({ ...full, backlog: model === undefined ? 0 : this.#queue.count((waiter) => waiter.route.model === model) })
    if (now === 'none') throw this.noHostError(failures)
    if (now) return now
    return new Promise<Lease>((resolve, reject) => {
      const onAbort = () => {
        this.#queue.remove(waiter)
        this.#actor?.send({ type: 'pool.dequeued', waiting: this.#queue.size })
        reject(new AbortError(`${route.request} (waiting for a free host)`, signal.reason))
      }
      const waiter: Waiter = {
        route: full,
        resolve: (lease) => {
          signal.removeEventListener('abort', onAbort)
          resolve(lease)
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort)
          reject(error)
        },
      }
      if (!this.#queue.push(waiter)) {
        return reject(
          new OllixirError(`Every suitable Ollama host is busy and ${this.#queue.limit} calls are already waiting; ${route.request} was refused (raise \`pool.queueLimit\` or add hosts).`, {
            code: 'EQUEUEFULL',
          }),
        )
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#actor?.send({ type: 'pool.waiting', request: route.request, waiting: this.#queue.size })
    })
  }

  /** Tells the pool how a call ended on `host`; returns what that says about the host. */
  report(host: string, outcome: { ok: true; conversation?: string | undefined; model?: string | undefined } | { error: OllixirError }): HostVerdict {
    const actor = this.#hostActor(host)
    if ('ok' in outcome) {
      actor?.send({ type: 'host.ok' })
      if (actor && outcome.model !== undefined) this.#noteLoaded(actor, outcome.model)
      if (outcome.conversation !== undefined) this.#remember(outcome.conversation, host)
      return undefined
    }
    const verdict = judgeHost(outcome.error)
    const reason = outcome.error.message
    if (verdict === 'down') actor?.send({ type: 'host.failed', reason })
    else if (verdict === 'busy') actor?.send({ type: 'host.busy', reason })
    else if (verdict === 'stale') void this.refreshHost(host)
    return verdict
  }

  /** Fetches every host's models now (the timer does it anyway, with jitter). */
  async refresh(): Promise<void> {
    this.#start()
    await Promise.all(this.hosts.map((host) => this.refreshHost(host)))
  }

  async refreshHost(host: string): Promise<void> {
    const actor = this.#hostActor(host)
    if (!actor) return
    try {
      const { loaded, pulled } = await this.#io.view(host)
      actor.send({ type: 'host.view', loaded, pulled })
      actor.send({ type: 'host.ok' })
    } catch (error) {
      if (OllixirError.isInstance(error) && judgeHost(error) === 'down') actor.send({ type: 'host.failed', reason: error.message })
    }
  }

  /** The error for a call no host can take: each host and why. */
  noHostError(failures?: ReadonlyMap<string, OllixirError>): ConnectionError {
    const views = this.views()
    const lines = views.map((view) => {
      const why = failures?.get(view.host)?.message ?? (view.state === 'up' ? 'up' : (this.#lastError(view.host) ?? view.state))
      return `${view.host}: ${view.state === 'up' && failures?.has(view.host) ? 'failed' : view.state} (${why})`
    })
    return new ConnectionError(`No Ollama host could take the call:\n  ${lines.join('\n  ')}`, { code: 'EALLHOSTSDOWN', host: this.hosts.join(', ') })
  }

  /** Stops the actors and the refresh timer; calls still waiting are aborted. Used again, the pool starts afresh. */
  stop(): void {
    this.#stopRefresh?.()
    this.#stopRefresh = undefined
    for (const cancel of this.#refreshSoon.values()) cancel()
    this.#refreshSoon.clear()
    this.#queue.clear((waiter) => waiter.reject(new AbortError(`${waiter.route.request} (the client was closed while it waited for a host)`)))
    this.#actor?.stop()
    this.#actor = undefined
    this.#firstView = undefined
  }

  toJSON(): { hosts: readonly string[] } {
    return { hosts: this.hosts }
  }

  #start(): PoolActor {
    if (this.#actor) return this.#actor
    const hostMachine = createHostMachine((host) => this.#io.probe(host))
    const options = this.#options
    const input = {
      hosts: [...this.#members.values()].map((member) => ({
        host: member.host,
        slots: member.slots,
        probeDelay: options.probeDelay,
        maxProbeDelay: options.maxProbeDelay,
        degradedFor: options.degradedFor,
      })),
    }
    const actor = (this.#actor = createActor(createPoolMachine(hostMachine), { input, ...(this.#inspect ? { inspect: this.#inspect } : {}) }))
    actor.start()
    // A host coming back, or a slot freed, may let waiting calls go.
    for (const index of this.hosts.keys()) {
      const host = actor.getSnapshot().children[hostActorId(index)] as HostActor
      let last = host.getSnapshot()
      host.subscribe((snapshot) => {
        const previous = last
        last = snapshot
        const cameBack = snapshot.value === 'up' && previous.value !== 'up'
        const freed = snapshot.value !== previous.value || snapshot.context.inFlight < previous.context.inFlight || snapshot.context.loaded !== previous.context.loaded
        if (freed && this.#queue.size > 0) this.#drain()
        // A host back from down may hold other models now.
        if (cameBack && previous.value === 'probing') void this.refreshHost(snapshot.context.host)
      })
    }
    const firstView = (this.#firstView = this.refresh().finally(() => {
      if (this.#firstView === firstView) this.#firstView = undefined
    }))
    this.#scheduleRefresh()
    return actor
  }

  #scheduleRefresh(): void {
    this.#stopRefresh = unrefTimeout(jittered(this.#options.refreshInterval), () => {
      void this.refresh().finally(() => {
        if (this.#actor) this.#scheduleRefresh()
      })
    })
  }

  /** A lease now, `undefined` to wait, or `'none'` when no host can take it. */
  #tryRoute(route: RouteRequest): Lease | undefined | 'none' {
    const decision = chooseHost(this.views(), route)
    if (decision.kind === 'none') return 'none'
    if (decision.kind === 'wait') return undefined
    const actor = this.#hostActor(decision.host)!
    actor.send({ type: 'host.acquire' })
    this.#actor!.send({ type: 'pool.routed', request: route.request, host: decision.host, reason: decision.reason, model: route.model })
    let held = true
    return {
      host: decision.host,
      reason: decision.reason,
      release: () => {
        if (!held) return
        held = false
        // A pool stopped meanwhile has new actors that never counted this lease.
        if (this.#actor && this.#hostActor(decision.host) === actor) actor.send({ type: 'host.release' })
      },
    }
  }

  #drain(): void {
    if (this.#draining) return
    this.#draining = true
    // Waiters for a model ahead of this one: the backlog that may spill it to more hosts.
    const ahead = new Map<string | undefined, number>()
    try {
      this.#drainQueue(ahead)
    } finally {
      this.#draining = false
    }
    this.#actor?.send({ type: 'pool.dequeued', waiting: this.#queue.size })
  }

  #drainQueue(ahead: Map<string | undefined, number>): void {
    this.#queue.drain((waiter) => {
      const model = waiter.route.model
      const lease = this.#tryRoute({ ...waiter.route, backlog: ahead.get(model) ?? 0 })
      if (lease === undefined) {
        ahead.set(model, (ahead.get(model) ?? 0) + 1)
        return false
      }
      if (lease === 'none') waiter.reject(this.noHostError())
      else waiter.resolve(lease)
      return true
    })
  }

  /**
   * The host answered for `model`, so it has it loaded now: the view says so at once,
   * and the host's real view (what it evicted) is fetched a moment later, once.
   */
  #noteLoaded(actor: HostActor, model: string): void {
    const { host, loaded, pulled } = actor.getSnapshot().context
    if (loaded.includes(model)) return
    actor.send({ type: 'host.view', loaded: [...loaded, model], pulled: pulled.includes(model) ? pulled : [...pulled, model] })
    if (this.#refreshSoon.has(host)) return
    this.#refreshSoon.set(
      host,
      unrefTimeout(REFRESH_AFTER_LOAD_MS, () => {
        this.#refreshSoon.delete(host)
        void this.refreshHost(host)
      }),
    )
  }

  #hostActor(host: string): HostActor | undefined {
    const index = this.hosts.indexOf(host)
    if (index === -1 || !this.#actor) return undefined
    return this.#actor.getSnapshot().children[hostActorId(index)] as HostActor | undefined
  }

  #lastError(host: string): string | undefined {
    return this.#hostActor(host)?.getSnapshot().context.lastError
  }

  #remember(conversation: string, host: string): void {
    this.#conversations.delete(conversation)
    this.#conversations.set(conversation, host)
    if (this.#conversations.size > MAX_CONVERSATIONS) this.#conversations.delete(this.#conversations.keys().next().value!)
  }
}
