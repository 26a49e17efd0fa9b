import { createServer } from 'node:net'
import { FakeOllama } from '../../src/testing/index.js'
import { Ollixir, type ClientOptions, type OllixirEvent } from '../../src/index.js'

/**
 * The transports the mode, fault, error, retry and lifecycle tests run on: got
 * (Node's default) and fetch (what browsers, Deno, Bun and workers use). Their
 * behaviour must be the same, so the same tests run on both.
 */
export const TRANSPORTS: ReadonlyArray<{ name: string; options: ClientOptions; spareConnections: number }> = [
  { name: 'got', options: {}, spareConnections: 0 },
  // Node's fetch (undici) keeps a pool of its own: it opens a fresh connection after
  // an aborted one or a 5xx, so a server may see one idle connection more.
  { name: 'fetch', options: { fetch: (input, init) => globalThis.fetch(input, init) }, spareConnections: 1 },
]

/** A fake server and a client pointed at it, for one test file. */
export interface Rig {
  fake: FakeOllama
  client: Ollixir
}

/** Starts FakeOllama before each test and closes both ends after it. */
export function useRig(options: ClientOptions = {}): Rig {
  const rig = {} as Rig
  beforeEach(async () => {
    rig.fake = await FakeOllama.start()
    rig.client = Ollixir.init({ host: rig.fake.host, retry: false, ...options })
  })
  afterEach(async () => {
    rig.client.close()
    await rig.fake.close()
  })
  return rig
}

/** A plain-object parent that records every event it is sent. */
export class Inbox {
  readonly events: OllixirEvent<any, any>[] = []
  #waiters: Array<() => void> = []

  send = (event: OllixirEvent<any, any>): void => {
    this.events.push(event)
    for (const wake of this.#waiters.splice(0)) wake()
  }

  get types(): string[] {
    return this.events.map((event) => event.type)
  }

  /** Resolves once an event of `type` has arrived. */
  async until(type: OllixirEvent['type'], timeoutMs = 3000): Promise<OllixirEvent<any, any>> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.events.find((event) => event.type === type)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no ${type} within ${timeoutMs} ms; got ${this.types.join(', ')}`)
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve)
        setTimeout(resolve, 20)
      })
    }
  }
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const hi = [{ role: 'user', content: 'Hi' }]

/** What `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )
}

/** A port on 127.0.0.1 with nothing listening (bound once, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The JSON body of the last request the fake received on `path`, for assertions. */
export function sentBody(fake: FakeOllama, path: string): Record<string, any> {
  const request = fake.lastRequest(path)
  if (!request) throw new Error(`the fake received no request on ${path}`)
  return request.body as Record<string, any>
}
