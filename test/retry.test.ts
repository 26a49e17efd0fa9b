import { expect } from 'chai'
import { AbortError, ConnectionError, Ollixir, ResponseError, type OllixirError, type RetryOptions } from '../src/index.js'
import { FakeOllama } from '../src/testing/index.js'
import { hi, Inbox, sleep, rejection, closedPort, TRANSPORTS } from './support/helpers.js'

const FAST: RetryOptions = { limit: 3, baseDelay: 5, maxDelay: 20 }

for (const { name: transport, options: over } of TRANSPORTS)
describe(`retries [${transport}]`, () => {
  let fake: FakeOllama
  const clients: Ollixir[] = []
  /** A client for the fake with the given retry policy (closed after the test). */
  const clientWith = (retry: RetryOptions | false | undefined, host = fake.host): Ollixir => {
    const client = Ollixir.init(retry === undefined ? { ...over, host } : { ...over, host, retry })
    clients.push(client)
    return client
  }
  const paths = () => fake.requests.map((r) => `${r.method} ${r.path}`)

  beforeEach(async () => {
    fake = await FakeOllama.start()
  })
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close()
    await fake.close()
  })

  it('retries 503, 500 and 429, then succeeds; the server saw every attempt with the same body', async () => {
    fake.enqueue('chat', { status: 503, error: 'loading' }).enqueue('chat', { status: 500, error: 'boom' }).enqueue('chat', { status: 429, error: 'busy' })
    fake.enqueue('chat', { text: 'finally' })
    const reply = await clientWith(FAST).chat({ model: 'llama3.2', messages: hi })
    expect(reply.message.content).to.equal('finally')
    expect(paths()).to.deep.equal(Array(4).fill('POST /api/chat'))
    for (const request of fake.requests) expect(request.body).to.deep.equal({ model: 'llama3.2', messages: hi, stream: false })
  })

  it('retries 502 and 504 too, for GET calls', async () => {
    fake.enqueue('tags', { status: 502 }).enqueue('tags', { status: 504 })
    const reply = await clientWith(FAST).list()
    expect(reply.models).to.have.length(2)
    expect(paths()).to.deep.equal(Array(3).fill('GET /api/tags'))
  })

  it('retries 408 (the server timed out waiting for the request), though 408 is not `retryable`', async () => {
    fake.enqueue('version', { status: 408 })
    const client = clientWith(FAST)
    expect(await client.version()).to.have.property('version')
    expect(paths()).to.deep.equal(Array(2).fill('GET /api/version'))
    expect(new ResponseError('request timeout', 408).retryable).to.equal(false)
  })

  it('a file upload is retried: the file is opened afresh for each attempt', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
    const { tmpdir } = await import('node:os')
    const { join } = await import('node:path')
    const dir = await mkdtemp(join(tmpdir(), 'ollixir-retry-'))
    const file = join(dir, 'weights.bin')
    await writeFile(file, 'some weights')
    try {
      fake.enqueue('blobs', { status: 404 }).enqueue('blobs', { status: 503, error: 'busy' })
      const digest = await clientWith(FAST).createBlob(file)
      expect(paths()).to.deep.equal([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
      expect(fake.hasBlob(digest)).to.equal(true)
      expect(fake.requests.at(-1)!.raw.toString()).to.equal('some weights')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('gives up after limit retries and rejects with the last error', async () => {
    for (let i = 0; i < 3; i++) fake.enqueue('generate', { status: 503, error: `attempt ${i}` })
    fake.enqueue('generate', { text: 'too late' })
    const error = await rejection(clientWith({ limit: 2, baseDelay: 5, maxDelay: 10 }).generate({ model: 'llama3.2', prompt: 'p' }))
    expect(error).to.be.instanceOf(ResponseError)
    expect(error).to.include({ status: 503, message: 'attempt 2' })
    expect(fake.requests).to.have.length(3)
  })

  it('the client default policy (no retry option) retries a 503', async () => {
    fake.enqueue('version', { status: 503 })
    const reply = await clientWith(undefined).version()
    expect(reply.version).to.equal('0.12.6')
    expect(fake.requests).to.have.length(2)
  })

  describe('Retry-After', () => {
    it('is honoured: the retry waits the server-given second', async () => {
      fake.enqueue('chat', { status: 503, error: 'busy', retryAfter: 1 })
      const started = Date.now()
      await clientWith({ limit: 1, baseDelay: 1, maxDelay: 5000 }).chat({ model: 'llama3.2', messages: hi })
      expect(fake.requests).to.have.length(2)
      const gap = fake.requests[1]!.at - fake.requests[0]!.at
      expect(gap).to.be.within(950, 2000)
      expect(Date.now() - started).to.be.at.least(950)
    })

    it('is capped by maxDelay', async () => {
      fake.enqueue('chat', { status: 429, error: 'slow down', retryAfter: 1 })
      await clientWith({ limit: 1, baseDelay: 1, maxDelay: 100 }).chat({ model: 'llama3.2', messages: hi })
      expect(fake.requests).to.have.length(2)
      const gap = fake.requests[1]!.at - fake.requests[0]!.at
      expect(gap).to.be.within(90, 600)
    })
  })

  describe('per-call policy, and what is not retried', () => {
    it('404 (unknown model) is not retried', async () => {
      const error = await rejection(clientWith(FAST).chat({ model: 'nope', messages: hi }))
      expect(error).to.include({ status: 404 })
      expect(fake.requests).to.have.length(1)
    })

    it('400 is not retried', async () => {
      fake.enqueue('chat', { status: 400, error: 'bad request' })
      const error = await rejection(clientWith(FAST).chat({ model: 'llama3.2', messages: hi }))
      expect(error).to.include({ status: 400, message: 'bad request' })
      expect(fake.requests).to.have.length(1)
    })

    it('retry: false on the call disables the client policy', async () => {
      fake.enqueue('chat', { status: 503, error: 'busy' }).enqueue('chat', { text: 'ok' })
      const error = await rejection(clientWith(FAST).chat({ model: 'llama3.2', messages: hi, retry: false }))
      expect(error).to.include({ status: 503 })
      expect(fake.requests).to.have.length(1)
      expect(fake.requests[0]!.body).to.not.have.property('retry')
    })

    it('a per-call policy overrides the client one (limit 1 instead of 3)', async () => {
      for (let i = 0; i < 4; i++) fake.enqueue('embed', { status: 500, error: 'x' })
      const error = await rejection(clientWith(FAST).embed({ model: 'nomic-embed-text', input: 'x', retry: { limit: 1 } }))
      expect(error).to.include({ status: 500 })
      expect(fake.requests).to.have.length(2)
    })

    it('a per-call policy enables retries on a client created with retry: false', async () => {
      fake.enqueue('show', { status: 503 })
      const reply = await clientWith(false).show({ model: 'llama3.2', retry: { limit: 1, baseDelay: 1 } })
      // `retry: false` on the client is a default the call may override.
      expect(reply.details.family).to.equal('llama')
      expect(fake.requests).to.have.length(2)
    })

    it('retryOn decides, and is asked with the error and the attempt number', async () => {
      const asked: Array<[number | undefined, number]> = []
      const retryOn = (error: OllixirError, attempt: number) => {
        asked.push([(error as ResponseError).status, attempt])
        return attempt < 1
      }
      for (let i = 0; i < 3; i++) fake.enqueue('chat', { status: 503 })
      const error = await rejection(clientWith({ ...FAST, retryOn }).chat({ model: 'llama3.2', messages: hi }))
      expect(error).to.include({ status: 503 })
      expect(asked).to.deep.equal([
        [503, 0],
        [503, 1],
      ])
      expect(fake.requests).to.have.length(2)
    })
  })

  describe('streams', () => {
    it('stream: true is retried before the first byte, then streams normally', async () => {
      fake.enqueue('chat', { status: 503, error: 'loading' }).enqueue('chat', { text: ['a', 'b'] })
      const stream = await clientWith(FAST).chat({ model: 'llama3.2', messages: hi, stream: true })
      const chunks = await stream.collect()
      expect(chunks.map((c) => c.message.content).join('')).to.equal('ab')
      expect(fake.requests).to.have.length(2)
      for (const request of fake.requests) expect(request.body).to.deep.include({ stream: true })
    })

    it('process mode (stream: parent) is retried before the first byte too', async () => {
      fake.enqueue('generate', { status: 502 }).enqueue('generate', { text: ['x', 'y'] })
      const inbox = new Inbox()
      const task = await clientWith(FAST).generate({ model: 'llama3.2', prompt: 'p', stream: inbox })
      const body = await task.await(3000)
      expect(body.response).to.equal('xy')
      expect(inbox.types.filter((t) => t === 'ollixir.error')).to.deep.equal([])
      expect(fake.requests).to.have.length(2)
    })

    it('a stream that drops after data is NOT replayed: exactly one request', async () => {
      fake.enqueue('chat', { text: ['one ', 'two ', 'three'], dropAfter: 2 }).enqueue('chat', { text: 'replayed' })
      const stream = await clientWith(FAST).chat({ model: 'llama3.2', messages: hi, stream: true })
      const seen: string[] = []
      const error = await rejection(
        (async () => {
          for await (const chunk of stream) seen.push(chunk.message.content)
        })(),
      )
      expect(error).to.be.instanceOf(ConnectionError)
      expect(seen.join('')).to.equal('one two ')
      await sleep(50)
      expect(fake.requests).to.have.length(1)
    })

    it('a pull stream whose connection drops mid-progress is not replayed either', async () => {
      fake.enqueue('pull', { dropAfter: 2 })
      const stream = await clientWith(FAST).pull({ model: 'qwen3', stream: true })
      const error = await rejection(stream.collect())
      expect(error).to.be.instanceOf(ConnectionError)
      await sleep(50)
      expect(fake.requests).to.have.length(1)
    })

    it('a non-streamed reply cut before its first byte is retried (nothing was delivered yet)', async () => {
      fake.enqueue('chat', { dropAfter: 0 }).enqueue('chat', { text: 'second try' })
      const reply = await clientWith(FAST).chat({ model: 'llama3.2', messages: hi })
      expect(reply.message.content).to.equal('second try')
      expect(fake.requests).to.have.length(2)
    })
  })

  describe('abort during the backoff wait', () => {
    const SLOW: RetryOptions = { limit: 5, baseDelay: 3000, maxDelay: 3000 }
    /** Well inside the 3 s backoff, and after the first 503 even on a busy machine (50 ms was not). */
    const ABORT_AFTER_MS = 300

    it('the call signal stops retries at once', async () => {
      for (let i = 0; i < 6; i++) fake.enqueue('chat', { status: 503 })
      const controller = new AbortController()
      const started = Date.now()
      setTimeout(() => controller.abort(), ABORT_AFTER_MS)
      const error = await rejection(clientWith(SLOW).chat({ model: 'llama3.2', messages: hi, signal: controller.signal }))
      expect(error).to.be.instanceOf(AbortError)
      expect(Date.now() - started).to.be.below(1000)
      await sleep(50)
      expect(fake.requests).to.have.length(1)
    })

    it('client.abort() stops retries at once', async () => {
      for (let i = 0; i < 6; i++) fake.enqueue('version', { status: 503 })
      const client = clientWith(SLOW)
      const started = Date.now()
      setTimeout(() => client.abort(), ABORT_AFTER_MS)
      const error = await rejection(client.version())
      expect(error).to.be.instanceOf(AbortError)
      expect(Date.now() - started).to.be.below(1000)
      expect(fake.requests).to.have.length(1)
    })

    it('a stream: true call waiting to retry rejects with AbortError', async () => {
      for (let i = 0; i < 6; i++) fake.enqueue('chat', { status: 503 })
      const controller = new AbortController()
      const started = Date.now()
      setTimeout(() => controller.abort(), ABORT_AFTER_MS)
      const error = await rejection(clientWith(SLOW).chat({ model: 'llama3.2', messages: hi, stream: true, signal: controller.signal }))
      expect(error).to.be.instanceOf(AbortError)
      expect(Date.now() - started).to.be.below(1000)
      expect(fake.requests).to.have.length(1)
    })
  })

  describe('connection refused', () => {
    it('is retried by default retryOn, with backoff waits between attempts', async () => {
      const host = `127.0.0.1:${await closedPort()}`
      let started = Date.now()
      const once = await rejection(clientWith(false, host).version())
      const single = Date.now() - started
      expect(once).to.include({ code: 'ECONNREFUSED' })

      started = Date.now()
      const error = await rejection(clientWith({ limit: 3, baseDelay: 50, maxDelay: 50 }, host).version())
      const elapsed = Date.now() - started
      expect(error).to.be.instanceOf(ConnectionError)
      expect(error.code).to.equal('ECONNREFUSED')
      // Three waits of 25–50 ms each (jitter on 50 ms).
      expect(elapsed).to.be.within(70, 2000)
      expect(elapsed).to.be.greaterThan(single + 60)
    })

    it('every attempt is made: retryOn sees ECONNREFUSED for attempts 0..limit-1', async () => {
      const host = `127.0.0.1:${await closedPort()}`
      const asked: Array<[string, number]> = []
      const retryOn = (error: OllixirError, attempt: number) => {
        asked.push([error.code, attempt])
        return true
      }
      const error = await rejection(clientWith({ limit: 2, baseDelay: 1, maxDelay: 2, retryOn }, host).chat({ model: 'llama3.2', messages: hi }))
      expect(error).to.be.instanceOf(ConnectionError)
      expect(asked).to.deep.equal([
        ['ECONNREFUSED', 0],
        ['ECONNREFUSED', 1],
      ])
    })
  })
})
