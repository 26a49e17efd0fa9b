import { expect } from 'chai'
import { ConnectionError, Ollixir, ResponseError, type OllixirError, type RetryOptions } from '../src/index.js'
import { FakeOllama } from '../src/testing/index.js'
import { closedPort, rejection } from './support/helpers.js'

const FAST: RetryOptions = { limit: 2, baseDelay: 1, maxDelay: 5 }

/**
 * Issue 9: create, copy, delete and push are not sent twice once the server may have
 * acted on them (a 5xx, a reset), unless the call asks for retries itself; a refused
 * connection (nothing was sent) is retried as for any call.
 */
describe('retries of model-management calls', () => {
  let fake: FakeOllama
  let client: Ollixir
  beforeEach(async () => {
    fake = await FakeOllama.start()
    client = Ollixir.init({ host: fake.host, retry: FAST })
  })
  afterEach(async () => {
    client.close()
    await fake.close()
  })
  const requests = (path: string) => fake.requests.filter((r) => r.path === path).length

  const calls: Array<[string, 'copy' | 'delete' | 'create' | 'push', string, (client: Ollixir, retry?: RetryOptions) => Promise<unknown>]> = [
    ['copy', 'copy', '/api/copy', (c, retry) => c.copy({ source: 'llama3.2', destination: 'mine', ...(retry ? { retry } : {}) })],
    ['delete', 'delete', '/api/delete', (c, retry) => c.delete({ model: 'llama3.2', ...(retry ? { retry } : {}) })],
    ['create', 'create', '/api/create', (c, retry) => c.create({ model: 'mine', from: 'llama3.2', ...(retry ? { retry } : {}) })],
    ['push', 'push', '/api/push', (c, retry) => c.push({ model: 'llama3.2', ...(retry ? { retry } : {}) })],
    ['create stream: true', 'create', '/api/create', async (c, retry) => (await c.create({ model: 'mine', from: 'llama3.2', stream: true, ...(retry ? { retry } : {}) })).collect()],
    ['push stream: true', 'push', '/api/push', async (c, retry) => (await c.push({ model: 'llama3.2', stream: true, ...(retry ? { retry } : {}) })).collect()],
  ]

  for (const [name, endpoint, path, call] of calls) {
    for (const status of [500, 503]) {
      it(`${name}: HTTP ${status} is not re-sent under the client's policy: one request`, async () => {
        fake.enqueue(endpoint, { status, error: 'busy' })
        const error = await rejection(call(client))
        expect(error).to.be.instanceOf(ResponseError).and.to.have.property('status', status)
        expect(requests(path)).to.equal(1)
      })
    }

    it(`${name}: a call that passes its own retry policy asked for it: retried`, async () => {
      fake.enqueue(endpoint, { status: 503, error: 'busy' }).enqueue(endpoint, { status: 500, error: 'busy' })
      await call(client, FAST)
      expect(requests(path)).to.equal(3)
    })
  }

  it('delete: a connection reset before the answer is not re-sent (the server may have deleted)', async () => {
    fake.enqueue('delete', { dropAfter: 0 })
    const error = await rejection(client.delete({ model: 'llama3.2' }))
    expect(error).to.be.instanceOf(ConnectionError)
    expect(requests('/api/delete')).to.equal(1)
  })

  it('the same faults are still retried for idempotent calls (list, pull, chat)', async () => {
    fake.enqueue('tags', { status: 503 }).enqueue('tags', { dropAfter: 0 })
    fake.enqueue('pull', { status: 500, error: 'busy' })
    fake.enqueue('chat', { status: 503, error: 'loading' })
    await client.list()
    await client.pull({ model: 'llama3.2' })
    await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] })
    expect([requests('/api/tags'), requests('/api/pull'), requests('/api/chat')]).to.deep.equal([3, 2, 2])
  })

  it('a refused connection (nothing sent) is retried for them too', async () => {
    const asked: Array<[string, number]> = []
    const retryOn = (error: OllixirError, attempt: number) => {
      asked.push([error.code, attempt])
      return true
    }
    const refused = Ollixir.init({ host: `127.0.0.1:${await closedPort()}`, retry: { ...FAST, retryOn } })
    try {
      expect(await rejection(refused.delete({ model: 'x' }))).to.have.property('code', 'ECONNREFUSED')
      expect(asked).to.deep.equal([
        ['ECONNREFUSED', 0],
        ['ECONNREFUSED', 1],
      ])
    } finally {
      refused.close()
    }
  })

  it('a client retryOn that says yes to everything does not make a 503 copy run twice', async () => {
    const eager = Ollixir.init({ host: fake.host, retry: { ...FAST, retryOn: () => true } })
    try {
      fake.enqueue('copy', { status: 503 })
      await rejection(eager.copy({ source: 'llama3.2', destination: 'mine' }))
      expect(requests('/api/copy')).to.equal(1)
    } finally {
      eager.close()
    }
  })
})
