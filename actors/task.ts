import { createActor, type AnyActorRef, type Subscription } from 'xstate'
import { AbortError } from '../src/errors/AbortError.js'
import { OllixirError } from '../src/errors/OllixirError.js'
import { INTERNALS, type HasInternals } from '../src/internals.js'
import type { StreamMethod } from '../src/protocol/endpoints.js'
import type { OllixirEvent, Recipient, TaskResult } from './events.js'
import { Mailbox } from './mailbox.js'
import { ollamaStream, type OllamaStreamActorRef, type OllamaStreamInput } from './ollama-stream.js'
import { createStandIn, isActorRef, relay } from './relay.js'
import { assertClient } from './stream-input.js'

export type TaskStatus = 'running' | 'ok' | 'error' | 'cancelled'

/** `Task.yield` answers: the reply, or `null` while the task still runs. */
export type YieldResult<TBody> = { ok: TBody } | { error: OllixirError } | null

let nextTaskNumber = 1

/**
 * A streaming request running in its own actor, like Elixir's `Task`: it sends
 * `ollixir.data` (with `taskId`), then `ollixir.ok` or `ollixir.error` (with
 * `taskRef`), then `ollixir.down` unless demonitored, to its parent.
 *
 * When the parent is an XState actor the task joins its system (inspectors see it)
 * and is linked to it: when the parent stops or fails, the task shuts down and its
 * socket closes. XState itself would not do this for an actor created with
 * `{ parent }`, so the task watches the parent.
 */
export class Task<TChunk = unknown, TBody = unknown> {
  readonly id: string
  readonly ref: string
  /** The XState actor running the request, for inspection and `getSnapshot()`. */
  readonly actor: OllamaStreamActorRef
  readonly #parent: Recipient<OllixirEvent> | AnyActorRef
  /**
   * The actor that owns the request actor: the XState parent, or, when the client has
   * an inspector and the parent is not an actor, a stand-in for it (see `createStandIn`).
   */
  readonly #owner: AnyActorRef | undefined
  readonly #done: Promise<TaskResult<TBody>>
  readonly #pooled: boolean
  readonly #clientHost: string
  #monitored = true
  #link: Subscription | undefined

  /** @internal Use `client.chat({ …, stream: parent })` or `startTask`. */
  constructor(
    client: HasInternals,
    method: StreamMethod,
    request: object,
    parent: Recipient<OllixirEvent> | AnyActorRef,
  ) {
    // Before anything is started: a wrong client would fail deep inside the request.
    assertClient(client, 'startTask')
    const number = nextTaskNumber++
    this.id = `ollixir.${method}.${number}`
    this.ref = `#Ref<${this.id}>`
    this.#parent = parent
    this.#pooled = client[INTERNALS].pooled
    this.#clientHost = client[INTERNALS].host
    // The mailbox of `stream: true` takes chunks one by one; coalescing is for parents.
    const coalesce = !(parent instanceof Mailbox) && (request as { coalesce?: unknown }).coalesce === true
    // Typed loosely here: the client checked the request against its method already.
    const input = { client, method, request, taskRef: this.ref, coalesce } as OllamaStreamInput
    // An XState parent makes the task part of its system. Any other recipient gets a
    // root actor; with the client's inspector, a stand-in actor for the recipient is
    // that root and the request actor its child, so the inspector sees every event.
    const inspect = client[INTERNALS].inspect
    if (isActorRef(parent)) {
      this.#owner = parent
      this.actor = createActor(ollamaStream, { id: this.id, parent, input })
    } else if (inspect) {
      const recipient = parent instanceof Mailbox ? 'mailbox' : 'object'
      const owner = (this.#owner = createStandIn(parent, { id: `ollixir.${recipient === 'mailbox' ? 'mailbox' : 'parent'}.${number}`, context: { recipient, task: this.id }, inspect }))
      this.actor = createActor(ollamaStream, { id: this.id, parent: owner, input })
    } else {
      this.actor = createActor(ollamaStream, { id: this.id, input: { ...input, replyTo: parent } })
    }

    this.#done = new Promise((resolve) => {
      this.actor.subscribe({
        complete: () => {
          this.#link?.unsubscribe()
          const snapshot = this.actor.getSnapshot()
          const result = (snapshot.output ?? { cancelled: true }) as TaskResult<TBody>
          resolve(result)
          if (!('cancelled' in result)) this.#down('normal')
        },
        error: (error) => {
          this.#link?.unsubscribe()
          const reason = OllixirError.isInstance(error) ? error : new OllixirError(`Task ${this.id} crashed: ${String(error)}`, { code: 'ETASKCRASH', cause: error })
          resolve({ error: reason })
          this.#down(reason)
        },
      })
    })

    if (isActorRef(parent)) {
      const unlink = () => this.shutdown()
      this.#link = parent.subscribe({ complete: unlink, error: unlink })
    }
    this.actor.start()
  }

  /** `{:DOWN, …}`, unless demonitored. A recipient that throws on it changes nothing: the task is over. */
  #down(reason: 'normal' | OllixirError): void {
    if (!this.#monitored) return
    try {
      relay(this.actor, this.#owner ?? this.#parent, { type: 'ollixir.down', taskRef: this.ref, reason })
    } catch {
      // The result is settled; there is no one left to tell.
    }
  }

  /** The base URL of the server answering this task (with `hosts`: once the pool chose one). */
  get host(): string | undefined {
    return this.actor.getSnapshot().context.host ?? (this.#pooled ? undefined : this.#clientHost)
  }

  get status(): TaskStatus {
    const snapshot = this.actor.getSnapshot()
    if (snapshot.status === 'active') return 'running'
    const output = snapshot.output
    return output && 'ok' in output ? 'ok' : output && 'error' in output ? 'error' : 'cancelled'
  }

  /**
   * Waits for the reply, like `Task.await`: resolves with the merged body, rejects
   * with the task's error. After `timeoutMs` (default 5000; `Infinity` waits for
   * ever) it shuts the task down and rejects with code `ETASKTIMEOUT`.
   */
  async await(timeoutMs = 5000): Promise<TBody> {
    const result = await this.#waitFor(timeoutMs)
    if (result === null) {
      this.shutdown()
      throw new OllixirError(`Task ${this.id} did not reply within ${timeoutMs} ms; it was shut down.`, { code: 'ETASKTIMEOUT' })
    }
    if ('ok' in result) return result.ok
    if ('error' in result) throw result.error
    throw new AbortError(`Task ${this.id}`)
  }

  /** Like `Task.yield`: `{ ok }`, `{ error }`, or `null` if still running after `timeoutMs`. The task keeps running. */
  async yield(timeoutMs = 5000): Promise<YieldResult<TBody>> {
    const result = await this.#waitFor(timeoutMs)
    if (result === null || 'cancelled' in result) return null
    return result
  }

  /** Aborts the HTTP request and closes its socket. No event follows. */
  shutdown(): void {
    this.#monitored = false
    // Sent by the owner, as in Elixir: the inspector shows who shut the task down.
    if (this.actor.getSnapshot().status === 'active') relay(this.#owner, this.actor, { type: 'ollixir.shutdown' })
  }

  /**
   * @internal Tells the request actor to pause or resume reading (backpressure), on
   * behalf of the owner, like `shutdown`. The `stream: true` mailbox calls it.
   */
  flow(pause: boolean): void {
    if (this.actor.getSnapshot().status === 'active') relay(this.#owner, this.actor, { type: pause ? 'ollixir.pause' : 'ollixir.resume' })
  }

  /**
   * Stops the `ollixir.down` event that would follow ok/error. Events are delivered
   * synchronously, so there is no queued DOWN to remove: `flush` is accepted for
   * Elixir parity and means the same. Returns whether the task was still monitored.
   */
  demonitor(_options: { flush?: boolean } = {}): boolean {
    const was = this.#monitored
    this.#monitored = false
    return was
  }

  /** A task serialises to what identifies it (it sits in machine contexts and snapshots). */
  toJSON(): { id: string; ref: string; status: TaskStatus } {
    return { id: this.id, ref: this.ref, status: this.status }
  }

  #waitFor(timeoutMs: number): Promise<TaskResult<TBody> | null> {
    if (!Number.isFinite(timeoutMs)) return this.#done
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), Math.max(0, timeoutMs))
    })
    return Promise.race([this.#done, timeout]).finally(() => clearTimeout(timer))
  }
}

/**
 * Starts a streaming request as a `Task` whose events go to `parent`.
 * Same as `client[method]({ …request, stream: parent })`, minus the Promise.
 */
export function startTask<TChunk = unknown, TBody = unknown>(
  client: HasInternals,
  method: StreamMethod,
  request: object,
  parent: Recipient<OllixirEvent> | AnyActorRef,
): Task<TChunk, TBody> {
  return new Task<TChunk, TBody>(client, method, request, parent)
}
