import { expect } from 'chai'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ChatResponse,
  ChunkStream,
  EmbeddingsResponse,
  EmbedResponse,
  GenerateResponse,
  ListResponse,
  Ollixir,
  ProcessResponse,
  ProgressResponse,
  RequestError,
  ResponseError,
  ShowResponse,
  VersionResponse,
  WebFetchResponse,
  WebSearchResponse,
} from '../src/index.js'
import type { RecordedRequest } from '../src/testing/index.js'
import { hi, useRig } from './support/helpers.js'

/** The rejection of `promise`, or a failure when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<any> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error,
  )
}

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype

/** Call options that must never reach the wire. */
const callOptions = () => ({ signal: new AbortController().signal, timeout: 5000, responseFormat: 'map' as const, retry: false as const })

describe('client methods', () => {
  const rig = useRig()

  /** The last request on `path`, asserting it exists and used `method`. */
  function sent(method: string, path: string): RecordedRequest {
    const request = rig.fake.lastRequest(path)
    expect(request, `a request to ${path}`).to.not.equal(undefined)
    expect(request!.method).to.equal(method)
    expect(request!.path).to.equal(path)
    return request!
  }

  describe('chat', () => {
    it('POSTs /api/chat with stream: false and exactly the request fields, and resolves with the merged reply', async () => {
      rig.fake.enqueue('chat', { text: ['Hel', 'lo'] })
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, ...callOptions() })
      const request = sent('POST', '/api/chat')
      expect(request.body).to.deep.equal({ model: 'llama3.2', messages: hi, stream: false })
      expect(request.headers['content-type']).to.equal('application/json')
      expect(isPlainObject(reply)).to.equal(true)
      expect(reply.model).to.equal('llama3.2')
      expect(reply.message).to.deep.equal({ role: 'assistant', content: 'Hello' })
      expect(reply.done).to.equal(true)
      expect(reply.done_reason).to.equal('stop')
      expect(reply.eval_count).to.be.a('number')
    })

    it('passes every Ollama field through untouched, unknown ones included', async () => {
      const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
      const tools = [
        {
          type: 'function',
          function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string', description: 'City' } }, required: ['city'] } },
        },
      ]
      const messages = [
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: 'sunny', tool_name: 'weather' },
      ]
      const fields = {
        model: 'llama3.2',
        messages,
        think: 'high' as const,
        format: schema,
        tools,
        keep_alive: '10m',
        options: { temperature: 0.2, num_ctx: 8192, stop: ['\n\n'], seed: 42, top_k: 20 },
        logprobs: true,
        top_logprobs: 3,
        truncate: false,
        shift: false,
        x_future_field: { nested: [1, 'two', null] },
      }
      await rig.client.chat({ ...fields, ...callOptions() })
      expect(sent('POST', '/api/chat').body).to.deep.equal({ ...fields, stream: false })
    })

    it('a think/tool reply keeps thinking and tool_calls in the merged message', async () => {
      rig.fake.enqueue('chat', { thinking: 'Hmm', text: 'Sure', toolCalls: [{ function: { name: 'weather', arguments: { city: 'Oslo' } } }] })
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, think: true })
      expect(reply.message.thinking).to.equal('Hmm')
      expect(reply.message.content).to.equal('Sure')
      expect(reply.message.tool_calls).to.deep.equal([{ function: { name: 'weather', arguments: { city: 'Oslo' } } }])
    })

    it('stream: true sends stream: true and yields chunks', async () => {
      rig.fake.enqueue('chat', { text: ['a', 'b'] })
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, timeout: 5000 })
      expect(stream).to.be.instanceOf(ChunkStream)
      const chunks = await stream.collect()
      expect(chunks.map((c) => c.message.content).join('')).to.equal('ab')
      expect(sent('POST', '/api/chat').body).to.deep.equal({ model: 'llama3.2', messages: hi, stream: true })
    })
  })

  describe('generate / completion', () => {
    for (const name of ['generate', 'completion'] as const) {
      it(`${name}: POSTs /api/generate with stream: false and the request fields`, async () => {
        rig.fake.enqueue('generate', { text: ['4', '2'] })
        const fields = {
          model: 'llama3.2',
          prompt: 'def answer():',
          suffix: '    return x',
          system: 'You write Python',
          context: [1, 2, 3],
          format: 'json' as const,
          think: false,
          keep_alive: '5m',
          options: { num_predict: 16, temperature: 0 },
          logprobs: true,
          top_logprobs: 2,
          truncate: true,
          shift: true,
          x_extra: 'kept',
        }
        const reply = await rig.client[name]({ ...fields, ...callOptions() })
        expect(sent('POST', '/api/generate').body).to.deep.equal({ ...fields, stream: false })
        expect(isPlainObject(reply)).to.equal(true)
        expect(reply.response).to.equal('42')
        expect(reply.done).to.equal(true)
        expect(reply.context).to.be.an('array')
      })
    }

    it('raw: true passes through (and the fake returns no context)', async () => {
      const reply = await rig.client.generate({ model: 'llama3.2', prompt: '[INST] hi [/INST]', raw: true })
      expect(sent('POST', '/api/generate').body).to.deep.equal({ model: 'llama3.2', prompt: '[INST] hi [/INST]', raw: true, stream: false })
      expect(reply.context).to.equal(undefined)
    })

    it('stream: true on completion yields generate chunks', async () => {
      rig.fake.enqueue('generate', { text: ['x', 'y', 'z'] })
      const chunks = await (await rig.client.completion({ model: 'llama3.2', prompt: 'p', stream: true })).collect()
      expect(chunks.map((c) => c.response).join('')).to.equal('xyz')
      expect(sent('POST', '/api/generate').body).to.deep.equal({ model: 'llama3.2', prompt: 'p', stream: true })
    })
  })

  describe('embed / embeddings', () => {
    it('embed POSTs /api/embed without a stream field and returns one vector per input', async () => {
      const fields = { model: 'nomic-embed-text', input: ['first', 'second'], truncate: true, dimensions: 8, keep_alive: 30, options: { num_ctx: 2048 } }
      const reply = await rig.client.embed({ ...fields, ...callOptions() })
      const request = sent('POST', '/api/embed')
      expect(request.body).to.deep.equal(fields)
      expect(request.body).to.not.have.property('stream')
      expect(reply.model).to.equal('nomic-embed-text')
      expect(reply.embeddings).to.have.length(2)
      expect(reply.embeddings[0]).to.have.length(8)
      expect(reply.embeddings[0]).to.not.deep.equal(reply.embeddings[1])
    })

    it('embed returns scripted vectors unchanged', async () => {
      rig.fake.enqueue('embed', { embeddings: [[0.5, -0.5, 0.25]] })
      const reply = await rig.client.embed({ model: 'nomic-embed-text', input: 'one' })
      expect(reply.embeddings).to.deep.equal([[0.5, -0.5, 0.25]])
    })

    it('embeddings (legacy) POSTs /api/embeddings and returns one vector', async () => {
      rig.fake.enqueue('embeddings', { embeddings: [0.1, 0.2, 0.3] })
      const reply = await rig.client.embeddings({ model: 'nomic-embed-text', prompt: 'hello', keep_alive: '1m', ...callOptions() })
      const request = sent('POST', '/api/embeddings')
      expect(request.body).to.deep.equal({ model: 'nomic-embed-text', prompt: 'hello', keep_alive: '1m' })
      expect(reply).to.deep.equal({ embedding: [0.1, 0.2, 0.3] })
    })
  })

  describe('model management', () => {
    for (const name of ['list', 'listModels'] as const) {
      it(`${name}: GET /api/tags with no body`, async () => {
        const reply = await rig.client[name]({ timeout: 5000, signal: new AbortController().signal })
        const request = sent('GET', '/api/tags')
        expect(request.raw.length).to.equal(0)
        expect(reply.models.map((m) => m.name)).to.have.members(['llama3.2:latest', 'nomic-embed-text:latest'])
        const llama = reply.models.find((m) => m.name === 'llama3.2:latest')!
        expect(llama.details.family).to.equal('llama')
        expect(llama.digest).to.match(/^[0-9a-f]{64}$/)
        expect(llama.size).to.be.a('number')
      })
    }

    it('list() with no argument works too', async () => {
      const reply = await rig.client.list()
      expect(reply.models).to.have.length(2)
      sent('GET', '/api/tags')
    })

    for (const name of ['show', 'showModel'] as const) {
      it(`${name}: POSTs /api/show with the request fields only`, async () => {
        const reply = await rig.client[name]({ model: 'llama3.2', verbose: true, ...callOptions() })
        expect(sent('POST', '/api/show').body).to.deep.equal({ model: 'llama3.2', verbose: true })
        expect(reply.details.family).to.equal('llama')
        expect(reply.capabilities).to.deep.equal(['completion'])
        expect(reply.template).to.be.a('string')
        expect(reply.model_info?.['general.architecture']).to.equal('llama')
      })
    }

    for (const name of ['ps', 'listRunning'] as const) {
      it(`${name}: GET /api/ps lists models loaded by earlier calls`, async () => {
        const before = await rig.client[name]()
        expect(before.models).to.deep.equal([])
        await rig.client.chat({ model: 'llama3.2', messages: hi })
        const after = await rig.client[name]({ timeout: 5000 })
        const request = sent('GET', '/api/ps')
        expect(request.raw.length).to.equal(0)
        expect(after.models.map((m) => m.name)).to.deep.equal(['llama3.2:latest'])
        expect(after.models[0]!.expires_at).to.be.a('string')
        expect(after.models[0]!.context_length).to.equal(4096)
      })
    }

    for (const name of ['create', 'createModel'] as const) {
      it(`${name}: POSTs /api/create with stream: false and resolves with status success`, async () => {
        const fields = { model: `mine-${name}`, from: 'llama3.2', system: 'Be brief', parameters: { temperature: 0.1 }, license: ['MIT'] }
        const reply = await rig.client[name]({ ...fields, ...callOptions() })
        expect(sent('POST', '/api/create').body).to.deep.equal({ ...fields, stream: false })
        expect(reply).to.deep.equal({ status: 'success' })
        expect(rig.fake.hasModel(`mine-${name}`)).to.equal(true)
      })
    }

    it('create with stream: true yields progress chunks up to status success', async () => {
      const stream = await rig.client.create({ model: 'mine', from: 'llama3.2', template: '{{ .Prompt }}', stream: true })
      const chunks = await stream.collect()
      const statuses = chunks.map((c) => c.status)
      expect(statuses.at(-1)).to.equal('success')
      expect(statuses).to.include('writing manifest')
      expect(statuses.some((s) => s.startsWith('using existing layer sha256:'))).to.equal(true)
      expect(statuses.some((s) => s.startsWith('creating new layer sha256:'))).to.equal(true)
      expect(sent('POST', '/api/create').body).to.deep.equal({ model: 'mine', from: 'llama3.2', template: '{{ .Prompt }}', stream: true })
      expect(await stream.task.await()).to.deep.equal({ status: 'success' })
      expect(rig.fake.hasModel('mine')).to.equal(true)
    })

    for (const name of ['copy', 'copyModel'] as const) {
      it(`${name}: POSTs /api/copy and resolves with { status: 'success' }`, async () => {
        const reply = await rig.client[name]({ source: 'llama3.2', destination: `backup-${name}`, ...callOptions() })
        expect(sent('POST', '/api/copy').body).to.deep.equal({ source: 'llama3.2', destination: `backup-${name}` })
        expect(reply).to.deep.equal({ status: 'success' })
        expect(rig.fake.hasModel(`backup-${name}`)).to.equal(true)
      })
    }

    for (const name of ['delete', 'deleteModel'] as const) {
      it(`${name}: sends HTTP DELETE /api/delete with a JSON body`, async () => {
        const reply = await rig.client[name]({ model: 'nomic-embed-text', ...callOptions() })
        const request = sent('DELETE', '/api/delete')
        expect(request.body).to.deep.equal({ model: 'nomic-embed-text' })
        expect(request.headers['content-type']).to.equal('application/json')
        expect(reply).to.deep.equal({ status: 'success' })
        expect(rig.fake.hasModel('nomic-embed-text')).to.equal(false)
      })
    }

    it('the legacy name field is accepted by show, create, pull, push and delete', async () => {
      const show = await rig.client.show({ name: 'llama3.2' } as never)
      expect(show.details.family).to.equal('llama')
      expect(sent('POST', '/api/show').body).to.deep.equal({ name: 'llama3.2' })
      expect(await rig.client.create({ name: 'legacy', from: 'llama3.2' } as never)).to.deep.equal({ status: 'success' })
      expect(sent('POST', '/api/create').body).to.deep.equal({ name: 'legacy', from: 'llama3.2', stream: false })
      expect(await rig.client.pull({ name: 'qwen3' } as never)).to.deep.equal({ status: 'success' })
      expect(sent('POST', '/api/pull').body).to.deep.equal({ name: 'qwen3', stream: false })
      expect(await rig.client.push({ name: 'legacy' } as never)).to.deep.equal({ status: 'success' })
      expect(sent('POST', '/api/push').body).to.deep.equal({ name: 'legacy', stream: false })
      await rig.client.delete({ name: 'llama3.2' } as never)
      expect(sent('DELETE', '/api/delete').body).to.deep.equal({ name: 'llama3.2' })
      expect(rig.fake.hasModel('llama3.2')).to.equal(false)
    })

    for (const name of ['pull', 'pullModel'] as const) {
      it(`${name}: POSTs /api/pull with stream: false and resolves with status success`, async () => {
        const reply = await rig.client[name]({ model: 'qwen3', insecure: true, ...callOptions() })
        expect(sent('POST', '/api/pull').body).to.deep.equal({ model: 'qwen3', insecure: true, stream: false })
        expect(reply).to.deep.equal({ status: 'success' })
        expect(rig.fake.hasModel('qwen3')).to.equal(true)
      })
    }

    it('pull with stream: true yields digest/total/completed progress', async () => {
      const chunks = await (await rig.client.pullModel({ model: 'qwen3', stream: true })).collect()
      expect(chunks[0]).to.deep.equal({ status: 'pulling manifest' })
      const download = chunks.find((c) => c.completed !== undefined)!
      expect(download.digest).to.match(/^sha256:[0-9a-f]{64}$/)
      expect(download.total).to.be.a('number')
      expect(chunks.at(-1)).to.deep.equal({ status: 'success' })
      expect(sent('POST', '/api/pull').body).to.deep.equal({ model: 'qwen3', stream: true })
    })

    for (const name of ['push', 'pushModel'] as const) {
      it(`${name}: POSTs /api/push with stream: false and resolves with status success`, async () => {
        const reply = await rig.client[name]({ model: 'llama3.2', insecure: false, ...callOptions() })
        expect(sent('POST', '/api/push').body).to.deep.equal({ model: 'llama3.2', insecure: false, stream: false })
        expect(reply).to.deep.equal({ status: 'success' })
      })
    }

    it('push with stream: true yields progress, and a push of a missing model fails with Ollama\'s text', async () => {
      const chunks = await (await rig.client.push({ model: 'llama3.2', stream: true })).collect()
      expect(chunks[0]!.status).to.equal('retrieving manifest')
      expect(chunks.at(-1)!.status).to.equal('success')
      const error = await rejection(rig.client.push({ model: 'nobody/absent' }))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(500)
      expect(error.message).to.match(/^open .*manifests.*absent.*: no such file or directory$/)
    })

    it('version: GET /api/version', async () => {
      const reply = await rig.client.version({ timeout: 5000 })
      expect(sent('GET', '/api/version').raw.length).to.equal(0)
      expect(reply).to.deep.equal({ version: '0.12.6' })
    })
  })

  describe('webSearch / webFetch (FakeOllama answers as ollama.com on cloudHost, and as the local proxy)', () => {
    let saved: string | undefined
    beforeEach(() => {
      saved = process.env.OLLAMA_API_KEY
      delete process.env.OLLAMA_API_KEY
    })
    afterEach(() => {
      if (saved === undefined) delete process.env.OLLAMA_API_KEY
      else process.env.OLLAMA_API_KEY = saved
    })

    it('without any API key: the local server\'s /api/experimental/web_* routes, no Authorization sent', async () => {
      rig.fake.signIn()
      const client = Ollixir.init({ host: rig.fake.host, cloudHost: 'http://127.0.0.1:9', retry: false })
      try {
        const results = await client.webSearch({ query: 'ollama', max_results: 2 })
        expect(results.results).to.have.length(2)
        const page = await client.webFetch({ url: 'https://ollama.com' })
        expect(page.title).to.equal('ollama.com')
        expect(rig.fake.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['POST /api/experimental/web_search', 'POST /api/experimental/web_fetch'])
        expect(sent('POST', '/api/experimental/web_search').body).to.deep.equal({ query: 'ollama', max_results: 2 })
        for (const request of rig.fake.requests) expect(request.headers).to.not.have.property('authorization')
      } finally {
        client.close()
      }
    })

    it('without any API key, a server not signed in: ResponseError 401 with signinUrl', async () => {
      const client = Ollixir.init({ host: rig.fake.host, retry: false })
      try {
        for (const call of [() => client.webSearch({ query: 'ollama' }), () => client.webFetch({ url: 'https://ollama.com' })]) {
          const error = await rejection(call())
          expect(error).to.be.instanceOf(ResponseError)
          expect(error.status).to.equal(401)
          expect(error.message).to.equal('unauthorized')
          expect(error.signinUrl).to.match(/^https:\/\/ollama\.com\/connect\?/)
        }
      } finally {
        client.close()
      }
    })

    it('webSearch POSTs /api/web_search to cloudHost with the key and resolves with the results', async () => {
      const client = Ollixir.init({ host: '127.0.0.1:9', cloudHost: rig.fake.url, apiKey: 'cloud-key', retry: false })
      try {
        const reply = await client.webSearch({ query: 'what is ollama', max_results: 3, ...callOptions() })
        const request = sent('POST', '/api/web_search')
        expect(request.body).to.deep.equal({ query: 'what is ollama', max_results: 3 })
        expect(request.headers.authorization).to.equal('Bearer cloud-key')
        expect(isPlainObject(reply)).to.equal(true)
        expect(reply.results).to.have.length(3)
        for (const result of reply.results) {
          expect(Object.keys(result)).to.deep.equal(['title', 'url', 'content'])
          expect(result.title).to.include('what is ollama')
        }
      } finally {
        client.close()
      }
    })

    it("webSearch with responseFormat: 'struct' resolves with a WebSearchResponse (5 results unless max_results)", async () => {
      const client = Ollixir.init({ host: rig.fake.host, cloudHost: rig.fake.url, apiKey: 'k', retry: false })
      try {
        const reply = await client.webSearch({ query: 'ollama', responseFormat: 'struct' })
        expect(reply).to.be.instanceOf(WebSearchResponse)
        expect(reply.results).to.have.length(5)
        expect(reply.urls()).to.deep.equal(reply.results.map((r) => r.url))
      } finally {
        client.close()
      }
    })

    it('webFetch POSTs /api/web_fetch using OLLAMA_API_KEY from the environment and resolves with the page', async () => {
      process.env.OLLAMA_API_KEY = 'env-cloud-key'
      const client = Ollixir.init({ host: '127.0.0.1:9', cloudHost: rig.fake.url, retry: false })
      try {
        const reply = await client.webFetch({ url: 'https://ollama.com', ...callOptions() })
        const request = sent('POST', '/api/web_fetch')
        expect(request.body).to.deep.equal({ url: 'https://ollama.com' })
        expect(request.headers.authorization).to.equal('Bearer env-cloud-key')
        expect(isPlainObject(reply)).to.equal(true)
        expect(reply.title).to.equal('ollama.com')
        expect(reply.content).to.be.a('string').that.includes('https://ollama.com')
        expect(reply.links).to.be.an('array').that.is.not.empty
        const page = await client.webFetch({ url: 'https://ollama.com', responseFormat: 'struct' })
        expect(page).to.be.instanceOf(WebFetchResponse)
        expect(page.links).to.deep.equal(reply.links)
      } finally {
        client.close()
      }
    })

    it('passes scripted answers through untouched', async () => {
      const results = [{ title: 'Ollama', url: 'https://ollama.com/', content: 'Cloud models are now available...', score: 0.9 }]
      const page = { title: 'Ollama', content: '[Cloud models](https://ollama.com/blog/cloud-models) are now available', links: ['https://ollama.com/models'] }
      rig.fake.enqueue('webSearch', { body: { results } }).enqueue('webFetch', { body: page })
      const client = Ollixir.init({ host: rig.fake.host, cloudHost: rig.fake.url, apiKey: 'k', retry: false })
      try {
        expect(await client.webSearch({ query: 'ollama', responseFormat: 'map' })).to.deep.equal({ results })
        expect(await client.webFetch({ url: 'ollama.com', responseFormat: 'map' })).to.deep.equal(page)
      } finally {
        client.close()
      }
    })

    it('a key the server refuses surfaces as ResponseError 401 "unauthorized"', async () => {
      rig.fake.enqueue('webSearch', { status: 401, error: 'unauthorized' }).enqueue('webFetch', { status: 401, error: 'unauthorized' })
      const client = Ollixir.init({ host: rig.fake.host, cloudHost: rig.fake.url, apiKey: 'revoked', retry: false })
      try {
        for (const call of [() => client.webSearch({ query: 'ollama' }), () => client.webFetch({ url: 'https://ollama.com' })]) {
          const error = await rejection(call())
          expect(error).to.be.instanceOf(ResponseError)
          expect(error.status).to.equal(401)
          expect(error.message).to.equal('unauthorized')
        }
      } finally {
        client.close()
      }
    })

    it('validates webSearch before sending (empty query)', async () => {
      const client = Ollixir.init({ host: rig.fake.host, cloudHost: rig.fake.url, apiKey: 'k', retry: false })
      try {
        const error = await rejection(client.webSearch({ query: '' }))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('query')
        expect(rig.fake.requests).to.have.length(0)
      } finally {
        client.close()
      }
    })
  })

  describe('images', () => {
    let dir: string
    let imagePath: string
    const fileBytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 250, 251, 252])
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 255])
    const buffer = Buffer.from('a buffer image')
    const base64 = Buffer.from('already base64').toString('base64')
    // A view into the middle of a larger buffer: only its own bytes may be sent.
    const view = new Uint8Array(Buffer.from('XXXXinsideYYYY')).subarray(4, 10)

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'ollixir-images-'))
      imagePath = join(dir, 'pixel.png')
      await writeFile(imagePath, fileBytes)
    })
    after(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    const expected = () => [
      Buffer.from(bytes).toString('base64'),
      buffer.toString('base64'),
      fileBytes.toString('base64'),
      base64,
      Buffer.from('inside').toString('base64'),
    ]

    it('generate.images: Uint8Array, Buffer, file path and base64 are all sent as base64', async () => {
      await rig.client.generate({ model: 'llama3.2', prompt: 'describe', images: [bytes, buffer, imagePath, base64, view] })
      expect(sent('POST', '/api/generate').body).to.deep.equal({ model: 'llama3.2', prompt: 'describe', images: expected(), stream: false })
    })

    it('chat.messages[i].images: the same encodings, other messages untouched', async () => {
      const messages = [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'look', images: [bytes, buffer, imagePath, base64, view] },
      ]
      await rig.client.chat({ model: 'llama3.2', messages })
      expect(sent('POST', '/api/chat').body).to.deep.equal({
        model: 'llama3.2',
        messages: [
          { role: 'system', content: 'sys' },
          { role: 'user', content: 'look', images: expected() },
        ],
        stream: false,
      })
      // The caller's request is not mutated.
      expect(messages[1]!.images![0]).to.equal(bytes)
    })

    it('a data: URL is sent as its base64 payload', async () => {
      await rig.client.generate({ model: 'llama3.2', prompt: 'p', images: [`data:image/png;base64,${base64}`] })
      expect((sent('POST', '/api/generate').body as { images: string[] }).images).to.deep.equal([base64])
    })

    const badImages: Array<[string, unknown]> = [
      ['a number', 12345],
      ['an object', { path: 'x.png' }],
      ['a missing file path', '/definitely/not/here.png'],
      ['text that is not base64', 'not an image!'],
    ]
    for (const [what, image] of badImages) {
      it(`chat: an image that is ${what} → RequestError field messages[1].images[0], nothing sent`, async () => {
        const messages = [
          { role: 'user', content: 'ok' },
          { role: 'user', content: 'look', images: [image as string] },
        ]
        const error = await rejection(rig.client.chat({ model: 'llama3.2', messages }))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('messages[1].images[0]')
        expect(error.message).to.include('messages[1].images[0]')
        expect(rig.fake.requests).to.have.length(0)
        expect(rig.fake.totalConnections).to.equal(0)
      })
    }

    it('generate: a bad second image → RequestError field images[1], nothing sent', async () => {
      const error = await rejection(rig.client.generate({ model: 'llama3.2', prompt: 'p', images: [base64, 42 as unknown as string] }))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('images[1]')
      expect(rig.fake.requests).to.have.length(0)
    })
  })

  describe("responseFormat: 'struct'", () => {
    it('per call: every method returns its exported class', async () => {
      const chat = await rig.client.chat({ model: 'llama3.2', messages: hi, responseFormat: 'struct' })
      expect(chat).to.be.instanceOf(ChatResponse)
      expect(chat.text).to.equal('Hello from FakeOllama')
      const generate = await rig.client.generate({ model: 'llama3.2', prompt: 'p', responseFormat: 'struct' })
      expect(generate).to.be.instanceOf(GenerateResponse)
      expect(generate.text).to.equal('Hello from FakeOllama')
      const embed = await rig.client.embed({ model: 'nomic-embed-text', input: 'x', responseFormat: 'struct' })
      expect(embed).to.be.instanceOf(EmbedResponse)
      expect(embed.embeddings).to.have.length(1)
      const embeddings = await rig.client.embeddings({ model: 'nomic-embed-text', prompt: 'x', responseFormat: 'struct' })
      expect(embeddings).to.be.instanceOf(EmbeddingsResponse)
      const list = await rig.client.list({ responseFormat: 'struct' })
      expect(list).to.be.instanceOf(ListResponse)
      expect(list.models).to.have.length(2)
      const show = await rig.client.show({ model: 'llama3.2', responseFormat: 'struct' })
      expect(show).to.be.instanceOf(ShowResponse)
      expect(show.capabilities).to.deep.equal(['completion'])
      const ps = await rig.client.ps({ responseFormat: 'struct' })
      expect(ps).to.be.instanceOf(ProcessResponse)
      expect(ps.models.length).to.be.greaterThan(0)
      const version = await rig.client.version({ responseFormat: 'struct' })
      expect(version).to.be.instanceOf(VersionResponse)
      expect(version.parts).to.deep.equal([0, 12, 6])
      const pull = await rig.client.pull({ model: 'qwen3', responseFormat: 'struct' })
      expect(pull).to.be.instanceOf(ProgressResponse)
      expect(pull.isSuccess).to.equal(true)
      const create = await rig.client.create({ model: 'mine', from: 'llama3.2', responseFormat: 'struct' })
      expect(create).to.be.instanceOf(ProgressResponse)
      const push = await rig.client.push({ model: 'llama3.2', responseFormat: 'struct' })
      expect(push).to.be.instanceOf(ProgressResponse)
      for (const request of rig.fake.requests) {
        if (Buffer.isBuffer(request.body)) continue
        expect(request.body, request.path).to.not.have.property('responseFormat')
      }
    })

    it('per client, with a per-call map override', async () => {
      const client = Ollixir.init({ host: rig.fake.host, retry: false, responseFormat: 'struct' })
      try {
        expect(await client.chat({ model: 'llama3.2', messages: hi })).to.be.instanceOf(ChatResponse)
        expect(await client.list()).to.be.instanceOf(ListResponse)
        expect(await client.show({ model: 'llama3.2' })).to.be.instanceOf(ShowResponse)
        expect(await client.ps()).to.be.instanceOf(ProcessResponse)
        expect(await client.embed({ model: 'nomic-embed-text', input: 'x' })).to.be.instanceOf(EmbedResponse)
        expect(await client.version()).to.be.instanceOf(VersionResponse)
        expect(await client.pull({ model: 'qwen3' })).to.be.instanceOf(ProgressResponse)
        const plain = await client.chat({ model: 'llama3.2', messages: hi, responseFormat: 'map' })
        expect(plain).to.not.be.instanceOf(ChatResponse)
        expect(isPlainObject(plain)).to.equal(true)
        expect(isPlainObject(await client.version({ responseFormat: 'map' }))).to.equal(true)
      } finally {
        client.close()
      }
    })
  })

  describe('headers', () => {
    let saved: string | undefined
    beforeEach(() => {
      saved = process.env.OLLAMA_API_KEY
    })
    afterEach(() => {
      if (saved === undefined) delete process.env.OLLAMA_API_KEY
      else process.env.OLLAMA_API_KEY = saved
    })

    it('apiKey is sent as Authorization: Bearer to the configured host, on every kind of call', async () => {
      const client = Ollixir.init({ host: rig.fake.host, apiKey: 'local-key', retry: false })
      try {
        await client.chat({ model: 'llama3.2', messages: hi })
        await client.list()
        await client.delete({ model: 'nomic-embed-text' })
        await client.blobExists(`sha256:${'0'.repeat(64)}`)
        expect(rig.fake.requests).to.have.length(4)
        for (const request of rig.fake.requests) expect(request.headers.authorization, request.path).to.equal('Bearer local-key')
      } finally {
        client.close()
      }
    })

    it('an explicit authorization header wins over apiKey (any letter case)', async () => {
      const client = Ollixir.init({ host: rig.fake.host, apiKey: 'local-key', headers: { Authorization: 'Basic dXNlcjpwYXNz' }, retry: false })
      try {
        await client.version()
        await client.chat({ model: 'llama3.2', messages: hi })
        for (const request of rig.fake.requests) expect(request.headers.authorization).to.equal('Basic dXNlcjpwYXNz')
      } finally {
        client.close()
      }
    })

    it('custom headers are sent with every request', async () => {
      const client = Ollixir.init({ host: rig.fake.host, headers: { 'X-Trace-Id': 'abc123', 'x-team': 'ml' }, retry: false })
      try {
        await client.version()
        await client.embed({ model: 'nomic-embed-text', input: 'x' })
        for (const request of rig.fake.requests) {
          expect(request.headers['x-trace-id']).to.equal('abc123')
          expect(request.headers['x-team']).to.equal('ml')
          expect(request.headers.authorization).to.equal(undefined)
        }
      } finally {
        client.close()
      }
    })

    it('OLLAMA_API_KEY from the environment is never sent to a local host', async () => {
      process.env.OLLAMA_API_KEY = 'env-secret'
      const client = Ollixir.init({ host: rig.fake.host, retry: false })
      try {
        await client.chat({ model: 'llama3.2', messages: hi })
        await client.version()
        await client.pull({ model: 'qwen3' })
        expect(rig.fake.requests).to.have.length(3)
        for (const request of rig.fake.requests) {
          expect(request.headers.authorization).to.equal(undefined)
          expect(JSON.stringify(request.headers)).to.not.include('env-secret')
        }
      } finally {
        client.close()
      }
    })

    it('the user-agent starts with ollixir/ and accept matches the mode', async () => {
      await rig.client.version()
      const request = sent('GET', '/api/version')
      expect(request.headers['user-agent']).to.match(/^ollixir\/\d+\.\d+\.\d+/)
      expect(request.headers.accept).to.equal('application/json')
      await (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })).collect()
      expect(sent('POST', '/api/chat').headers.accept).to.equal('application/x-ndjson')
    })
  })

  it('keep-alive: sequential calls of every kind share one connection', async () => {
    await rig.client.version()
    await rig.client.list()
    await rig.client.chat({ model: 'llama3.2', messages: hi })
    await (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })).collect()
    await rig.client.show({ model: 'llama3.2' })
    await rig.client.embed({ model: 'nomic-embed-text', input: 'x' })
    await rig.client.copy({ source: 'llama3.2', destination: 'copy' })
    await rig.client.delete({ model: 'copy' })
    expect(rig.fake.requests).to.have.length(8)
    expect(rig.fake.totalConnections).to.equal(1)
  })
})
