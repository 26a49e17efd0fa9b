import { expect } from 'chai'
import { inspect } from 'node:util'
import { AbortError, ConnectionError, OllixirError, Ollixir, RequestError, ResponseError } from '../src/index.js'
import { hi, useRig, rejection, closedPort, TRANSPORTS } from './support/helpers.js'

/** The hint a 404 for a missing model gets (src/errors/hints.ts). */
const pullHint = (model: string): string =>
  `To pull it: \`ollama pull ${model}\` in a shell, or \`await client.pull({ model: '${model}' })\`; \`client.list()\` shows the models this server has.`

for (const { name: transport, options: over, spareConnections: spare } of TRANSPORTS)
describe(`errors [${transport}]`, () => {
  const rig = useRig(over)

  describe('OllixirError.isInstance', () => {
    it('recognises every ollixir error class and nothing else', () => {
      const errors = [
        new OllixirError('x'),
        new ResponseError('x', 500),
        new ConnectionError('x', { code: 'ECONNRESET', host: 'http://h:1' }),
        new RequestError('x', { field: 'model' }),
        new AbortError('POST /api/chat'),
      ]
      for (const error of errors) {
        expect(OllixirError.isInstance(error), error.name).to.equal(true)
        expect(error).to.be.instanceOf(OllixirError)
        expect(error).to.be.instanceOf(Error)
      }
      expect(errors.map((e) => e.name)).to.deep.equal(['OllixirError', 'ResponseError', 'ConnectionError', 'RequestError', 'AbortError'])
      for (const other of [new Error('x'), new TypeError('x'), null, undefined, {}, 'ResponseError', { name: 'OllixirError', code: 'X' }]) {
        expect(OllixirError.isInstance(other), String(other)).to.equal(false)
      }
    })

    it('recognises an error marked by another copy of the package (Symbol.for brand)', () => {
      const foreign = Object.defineProperty(new Error('from elsewhere'), Symbol.for('ollixir.error'), { value: true })
      expect(OllixirError.isInstance(foreign)).to.equal(true)
    })

    it('errors the client rejects with pass isInstance', async () => {
      const error = await rejection(rig.client.chat({ model: 'nope', messages: hi }))
      expect(OllixirError.isInstance(error)).to.equal(true)
    })
  })

  describe('ResponseError', () => {
    for (const status of [429, 500, 502, 503, 504]) {
      it(`HTTP ${status} → ResponseError with status ${status}, retryable`, async () => {
        rig.fake.enqueue('chat', { status, error: `failure ${status}` })
        const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi }))
        expect(error).to.be.instanceOf(ResponseError)
        expect(error.status).to.equal(status)
        expect(error.retryable).to.equal(true)
        expect(error.message).to.equal(`failure ${status}`)
        expect(error.code).to.equal(`HTTP_${status}`)
        expect(rig.fake.requests).to.have.length(1)
      })
    }

    for (const status of [400, 404]) {
      it(`HTTP ${status} → ResponseError, not retryable`, async () => {
        rig.fake.enqueue('generate', { status, error: `failure ${status}` })
        const error = await rejection(rig.client.generate({ model: 'llama3.2', prompt: 'p' }))
        expect(error).to.be.instanceOf(ResponseError)
        expect(error.status).to.equal(status)
        expect(error.retryable).to.equal(false)
        expect(error.message).to.equal(`failure ${status}`)
      })
    }

    it('a status without an error text uses the status text', async () => {
      rig.fake.enqueue('version', { status: 503 })
      const error = await rejection(rig.client.version())
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(503)
      expect(error.message).to.equal('service unavailable')
    })

    it('Retry-After is exposed in seconds', async () => {
      rig.fake.enqueue('chat', { status: 429, error: 'slow down', retryAfter: 7 })
      const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi }))
      expect(error.retryAfter).to.equal(7)
    })

    it("an unknown model → 404 with Ollama's own text, per endpoint", async () => {
      const chat = await rejection(rig.client.chat({ model: 'nope', messages: hi }))
      expect(chat).to.be.instanceOf(ResponseError)
      expect(chat).to.include({ status: 404, retryable: false, message: "model 'nope' not found. " + pullHint('nope') })
      const show = await rejection(rig.client.show({ model: 'nope' }))
      expect(show).to.include({ status: 404, message: "model 'nope' not found. " + pullHint('nope') })
      const embed = await rejection(rig.client.embed({ model: 'nope', input: 'x' }))
      expect(embed).to.include({ status: 404, message: "model \"nope\" not found, try pulling it first. " + pullHint('nope') })
      const copy = await rejection(rig.client.copy({ source: 'nope', destination: 'other' }))
      expect(copy).to.include({ status: 404, message: "model \"nope\" not found. " + pullHint('nope') })
      const del = await rejection(rig.client.delete({ model: 'nope' }))
      expect(del).to.include({ status: 404, message: "model 'nope' not found" })   // no pull hint for a delete
    })

    it('a streamed call with an HTTP error rejects the call itself', async () => {
      const error = await rejection(rig.client.generate({ model: 'nope', prompt: 'p', stream: true }))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error).to.include({ status: 404 })
      expect(error.message).to.equal("model 'nope' not found. " + pullHint('nope'))
    })

    it('toJSON carries name, code, message, status and retryable', async () => {
      rig.fake.enqueue('chat', { status: 502, error: 'bad gateway' })
      const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi }))
      expect(JSON.parse(JSON.stringify(error))).to.deep.equal({ name: 'ResponseError', code: 'HTTP_502', message: 'bad gateway', status: 502, retryable: true })
    })
  })

  describe('ConnectionError', () => {
    it('a refused port → ECONNREFUSED, naming the host and how to start Ollama', async () => {
      const port = await closedPort()
      const client = Ollixir.init({ ...over, host: `127.0.0.1:${port}`, retry: false })
      try {
        for (const call of [() => client.version(), () => client.chat({ model: 'llama3.2', messages: hi }), () => client.blobExists(`sha256:${'a'.repeat(64)}`)]) {
          const error = await rejection(call())
          expect(error).to.be.instanceOf(ConnectionError)
          expect(error.code).to.equal('ECONNREFUSED')
          expect(error.host).to.equal(`http://127.0.0.1:${port}`)
          expect(error.message).to.include(`http://127.0.0.1:${port}`)
          expect(error.message).to.include('ollama serve')
          expect(error.message).to.include('OLLAMA_HOST')
        }
      } finally {
        client.close()
      }
    })

    it('no byte within the per-call timeout → ConnectionError ETIMEDOUT naming the host', async () => {
      rig.fake.enqueue('chat', { headersDelayMs: 1000 })
      const started = Date.now()
      const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi, timeout: 100 }))
      expect(error).to.be.instanceOf(ConnectionError)
      expect(error.code).to.equal('ETIMEDOUT')
      expect(error.message).to.include(rig.fake.url)
      expect(Date.now() - started).to.be.within(80, 800)
    })

    it('error replies do not cost the keep-alive connection', async () => {
      await rejection(rig.client.chat({ model: 'nope', messages: hi }))
      rig.fake.enqueue('version', { status: 500, error: 'x' })
      await rejection(rig.client.version())
      expect((await rig.client.version()).version).to.equal('0.12.6')
      expect(rig.fake.requests).to.have.length(3)
      expect(rig.fake.totalConnections).to.be.at.most(1 + spare)
    })

    it('a non-streamed reply cut before any byte → ConnectionError', async () => {
      rig.fake.enqueue('show', { dropAfter: 0 })
      const error = await rejection(rig.client.show({ model: 'llama3.2' }))
      expect(error).to.be.instanceOf(ConnectionError)
      expect(error.message).to.include(rig.fake.url)
    })
  })

  describe('RequestError (validation before any byte is sent)', () => {
    const cases: Array<[string, string, (client: Ollixir) => Promise<unknown>]> = []
    const add = (what: string, field: string, call: (client: Ollixir) => Promise<unknown>) => cases.push([what, field, call])
    add('chat without a model', 'model', (c) => c.chat({ messages: hi } as never))
    add('chat with an empty model', 'model', (c) => c.chat({ model: '', messages: hi }))
    add('a message without a role', 'messages[0].role', (c) => c.chat({ model: 'llama3.2', messages: [{ content: 'hi' }] as never }))
    add('a later message without a role', 'messages[2].role', (c) => c.chat({ model: 'llama3.2', messages: [...hi, { role: 'assistant', content: 'x' }, { content: 'y' }] as never }))
    add("options.temperature: 'hot'", 'options.temperature', (c) => c.chat({ model: 'llama3.2', messages: hi, options: { temperature: 'hot' as never } }))
    add('generate without a model', 'model', (c) => c.generate({ prompt: 'p' } as never))
    add('generate with a string context', 'context', (c) => c.generate({ model: 'llama3.2', prompt: 'p', context: 'abc' as never }))
    add('embed without input', 'input', (c) => c.embed({ model: 'nomic-embed-text' } as never))
    add('show without a model', 'model', (c) => c.show({} as never))
    add('copy without a destination', 'destination', (c) => c.copy({ source: 'llama3.2' } as never))
    add('a tool without a function name', 'tools[0].function.name', (c) =>
      c.chat({ model: 'llama3.2', messages: hi, tools: [{ type: 'function', function: { parameters: { type: 'object' } } }] as never }),
    )
    add('think: "extreme"', 'think', (c) => c.chat({ model: 'llama3.2', messages: hi, think: 'extreme' as never }))

    for (const [what, field, call] of cases) {
      it(`${what} → RequestError field ${field}, nothing sent`, async () => {
        const error = await rejection(call(rig.client))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.code).to.equal('EINVALID')
        expect(error.field).to.equal(field)
        expect(error.message).to.include(field)
        expect(rig.fake.requests).to.have.length(0)
        expect(rig.fake.totalConnections).to.equal(0)
      })
    }

    it('a streamed call is validated too, before the promise resolves', async () => {
      const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: [{ content: 'x' }] as never, stream: true }))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('messages[0].role')
      expect(rig.fake.totalConnections).to.equal(0)
    })

    it('validate: false lets a bad request through to the server, which answers it', async () => {
      const client = Ollixir.init({ ...over, host: rig.fake.host, retry: false, validate: false })
      try {
        const noModel = await rejection(client.chat({ messages: hi } as never))
        expect(noModel).to.be.instanceOf(ResponseError)
        expect(noModel).to.include({ status: 400, message: 'model is required' })
        expect(rig.fake.lastRequest('/api/chat')!.body).to.deep.equal({ messages: hi, stream: false })

        const reply = await client.chat({ model: 'llama3.2', messages: hi, options: { temperature: 'hot' as never } })
        expect(reply.done).to.equal(true)
        expect(rig.fake.lastRequest('/api/chat')!.body).to.deep.equal({ model: 'llama3.2', messages: hi, options: { temperature: 'hot' }, stream: false })
        expect(rig.fake.requests).to.have.length(2)
      } finally {
        client.close()
      }
    })
  })

  describe('the API key never appears in an error', () => {
    const key = 'sk-very-secret-0123456789'

    function expectNoKey(error: any): void {
      expect(OllixirError.isInstance(error)).to.equal(true)
      expect(error.message).to.not.include(key)
      expect(String(error)).to.not.include(key)
      expect(JSON.stringify(error)).to.not.include(key)
      expect(String(error.stack)).to.not.include(key)
    }

    it('refused port: not in message, String(), JSON or stack', async () => {
      const client = Ollixir.init({ ...over, host: `127.0.0.1:${await closedPort()}`, apiKey: key, retry: false })
      try {
        const error = await rejection(client.chat({ model: 'llama3.2', messages: hi }))
        expect(error).to.be.instanceOf(ConnectionError)
        expectNoKey(error)
      } finally {
        client.close()
      }
    })

    it('HTTP 500: not in message, String(), JSON or stack', async () => {
      const client = Ollixir.init({ ...over, host: rig.fake.host, apiKey: key, retry: false })
      try {
        rig.fake.enqueue('chat', { status: 500, error: 'internal' })
        const error = await rejection(client.chat({ model: 'llama3.2', messages: hi }))
        expect(error).to.be.instanceOf(ResponseError)
        expectNoKey(error)
        expect(inspect(error, { depth: null })).to.not.include(key)
        expect(rig.fake.lastRequest('/api/chat')!.headers.authorization).to.equal(`Bearer ${key}`)
      } finally {
        client.close()
      }
    })

    it('a key given as an explicit authorization header stays out of errors too', async () => {
      const client = Ollixir.init({ ...over, host: rig.fake.host, headers: { authorization: `Bearer ${key}` }, retry: false })
      try {
        rig.fake.enqueue('version', { status: 503, error: 'busy' })
        expectNoKey(await rejection(client.version()))
      } finally {
        client.close()
      }
    })

    // console.error(error) / a logger prints util.inspect(error), which follows `cause`.
    it('refused port: not in util.inspect(error) either (what console.error prints)', async () => {
      const client = Ollixir.init({ ...over, host: `127.0.0.1:${await closedPort()}`, apiKey: key, retry: false })
      try {
        const error = await rejection(client.chat({ model: 'llama3.2', messages: hi }))
        expect(error).to.be.instanceOf(ConnectionError)
        expect(inspect(error)).to.not.include(key)
        expect(inspect(error, { depth: null })).to.not.include(key)
      } finally {
        client.close()
      }
    })

    it('a dropped connection: not in util.inspect(error)', async () => {
      const client = Ollixir.init({ ...over, host: rig.fake.host, apiKey: key, retry: false })
      try {
        rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], dropAfter: 1 })
        const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
        const error = await rejection(stream.collect())
        expect(error).to.be.instanceOf(ConnectionError)
        expectNoKey(error)
        expect(inspect(error)).to.not.include(key)
        expect(inspect(error, { depth: null })).to.not.include(key)
      } finally {
        client.close()
      }
    })
  })
})
