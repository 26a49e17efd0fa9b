import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { FakeOllama } from '../src/testing/index.js'

interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Body pieces as the client's socket delivered them (chunked framing removed). */
  pieces: Buffer[]
  body: string
  /** How the response ended: `end` (complete), `aborted` (socket lost mid-body). */
  ended: 'end' | 'aborted'
  headersAfterMs: number
}

/** A plain node:http request that keeps the body pieces as they arrived. */
function call(fake: FakeOllama, method: string, path: string, body?: unknown, opts: { agent?: Agent; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))
  const started = Date.now()
  return new Promise((resolve, reject) => {
    // An explicit Content-Length: node:http sends none for DELETE bodies otherwise.
    const headers = { ...(payload ? { 'Content-Length': String(payload.length) } : {}), ...opts.headers }
    const req = httpRequest(`${fake.url}${path}`, { method, agent: opts.agent ?? false, headers }, (res) => {
      const headersAfterMs = Date.now() - started
      const pieces: Buffer[] = []
      const finish = (ended: 'end' | 'aborted') =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, pieces, body: Buffer.concat(pieces).toString('utf8'), ended, headersAfterMs })
      res.on('data', (d: Buffer) => pieces.push(d))
      res.on('end', () => finish('end'))
      res.on('error', () => finish('aborted'))
      res.on('aborted', () => finish('aborted'))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** Opens a streaming request and resolves with the live response once `n` lines arrived. */
function openStream(fake: FakeOllama, path: string, body: unknown, n: number) {
  return new Promise<{ lines: string[]; destroy: () => void; received: () => string }>((resolve, reject) => {
    let text = ''
    const req = httpRequest(`${fake.url}${path}`, { method: 'POST', agent: false }, (res) => {
      res.on('data', (d: Buffer) => {
        text += d.toString('utf8')
        const lines = text.split('\n').filter(Boolean)
        if (lines.length >= n) resolve({ lines, destroy: () => req.destroy(), received: () => text })
      })
      res.on('error', () => {})
    })
    req.on('error', () => {})
    req.end(JSON.stringify(body))
    setTimeout(() => reject(new Error('stream did not deliver enough lines')), 1500).unref()
  })
}

const lines = (body: string): Array<Record<string, any>> =>
  body
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, any>)

const chatBody = (extra: Record<string, unknown> = {}) => ({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hello there' }], ...extra })
const sha256 = (data: string | Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls until `check` holds (server-side socket events arrive a little after the client's). */
async function until(check: () => boolean, timeoutMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await sleep(2)
  }
}

describe('FakeOllama', () => {
  let fake: FakeOllama

  beforeEach(async () => {
    fake = await FakeOllama.start()
  })

  afterEach(async () => {
    await fake.close()
  })

  describe('lifecycle', () => {
    it('listens on 127.0.0.1 with a url and host', async () => {
      expect(fake.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(fake.host).to.equal(fake.url.slice('http://'.length))
      const res = await call(fake, 'GET', '/')
      expect(res.status).to.equal(200)
      expect(res.body).to.equal('Ollama is running')
    })

    it('close() ends stalled streams without counting them as client closes', async () => {
      fake.enqueue('chat', { stallAfter: 1 })
      const stream = await openStream(fake, '/api/chat', chatBody(), 1)
      expect(stream.lines).to.have.length(1)
      expect(fake.inFlight).to.equal(1)
      await fake.close()
      expect(fake.openConnections).to.equal(0)
      expect(fake.closedResponses).to.equal(0)
      let refused = false
      await call(fake, 'GET', '/').catch(() => (refused = true))
      expect(refused).to.equal(true)
    })
  })

  describe('chat', () => {
    it('streams NDJSON chunks like Ollama by default', async () => {
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.status).to.equal(200)
      expect(res.headers['content-type']).to.equal('application/x-ndjson')
      expect(res.headers['transfer-encoding']).to.equal('chunked')
      expect(res.body.endsWith('\n')).to.equal(true)
      const chunks = lines(res.body)
      const final = chunks.at(-1) as Record<string, any>
      expect(chunks.slice(0, -1).map((c) => c.message.content).join('')).to.equal('Hello from FakeOllama')
      for (const c of chunks.slice(0, -1)) {
        expect(c).to.include({ model: 'llama3.2', done: false })
        expect(c.message.role).to.equal('assistant')
        expect(c.created_at).to.be.a('string')
      }
      expect(final).to.include({ done: true, done_reason: 'stop' })
      expect(final.message).to.deep.equal({ role: 'assistant', content: '' })
      for (const k of ['total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration']) {
        expect(final[k], k).to.be.a('number').above(0)
      }
    })

    it('sends scripted thinking, exact text chunks, tool calls and extra', async () => {
      const toolCalls = [{ function: { name: 'get_weather', arguments: { city: 'Paris' } } }]
      fake.enqueue('chat', { thinking: 'Let me think', text: ['Hel', 'lo'], toolCalls, done_reason: 'length', extra: { logprobs: [] } })
      const chunks = lines((await call(fake, 'POST', '/api/chat', chatBody())).body)
      expect(chunks.map((c) => c.message.thinking ?? null)).to.deep.equal(['Let', ' me', ' think', null, null, null, null])
      expect(chunks.slice(3, 5).map((c) => c.message.content)).to.deep.equal(['Hel', 'lo'])
      expect(chunks[5]?.message.tool_calls).to.deep.equal(toolCalls)
      expect(chunks[6]).to.include({ done: true, done_reason: 'length' })
      expect(chunks[6]?.logprobs).to.deep.equal([])
    })

    it('answers stream:false with one merged object', async () => {
      const toolCalls = [{ function: { name: 'f', arguments: {} } }]
      fake.enqueue('chat', { thinking: ['a', 'b'], text: 'one two', toolCalls })
      const res = await call(fake, 'POST', '/api/chat', chatBody({ stream: false }))
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8')
      const body = JSON.parse(res.body)
      expect(body.message).to.deep.equal({ role: 'assistant', content: 'one two', thinking: 'ab', tool_calls: toolCalls })
      expect(body).to.include({ done: true, done_reason: 'stop', model: 'llama3.2' })
      expect(body.eval_count).to.be.above(0)
    })

    it('loads (and unloads) a model for an empty message list', async () => {
      const load = JSON.parse((await call(fake, 'POST', '/api/chat', { model: 'llama3.2', messages: [] })).body)
      expect(load).to.include({ done: true, done_reason: 'load' })
      expect(load.message).to.deep.equal({ role: 'assistant', content: '' })
      const unload = JSON.parse((await call(fake, 'POST', '/api/chat', { model: 'llama3.2', messages: [], keep_alive: 0 })).body)
      expect(unload.done_reason).to.equal('unload')
    })

    it('uses Ollama status codes and error texts', async () => {
      const cases: Array<[unknown, number, string]> = [
        [{ model: 'missing', messages: [] }, 404, "model 'missing' not found"],
        [{ messages: [] }, 400, 'model is required'],
        ['{not json', 400, "invalid character 'n' looking for beginning of value"],
        ['', 400, 'missing request body'],
        [{ model: 5 }, 400, 'json: cannot unmarshal number into Go struct field ChatRequest.model of type string'],
        [chatBody({ top_logprobs: 21 }), 400, 'top_logprobs must be between 0 and 20'],
      ]
      for (const [body, status, error] of cases) {
        const res = await call(fake, 'POST', '/api/chat', body)
        expect(res.status, JSON.stringify(body)).to.equal(status)
        expect(res.headers['content-type']).to.equal('application/json; charset=utf-8')
        expect(JSON.parse(res.body)).to.deep.equal({ error })
      }
    })

    it('enforces capabilities only when asked to', async () => {
      const strict = await FakeOllama.start({ strictCapabilities: true })
      try {
        const think = await call(strict, 'POST', '/api/chat', chatBody({ think: true }))
        expect(think.status).to.equal(400)
        expect(JSON.parse(think.body).error).to.equal('"llama3.2" does not support thinking')
        const tools = await call(strict, 'POST', '/api/chat', chatBody({ tools: [{ type: 'function', function: { name: 'f' } }] }))
        expect(JSON.parse(tools.body).error).to.equal('registry.ollama.ai/library/llama3.2:latest does not support tools')
        const embedOnly = await call(strict, 'POST', '/api/chat', { model: 'nomic-embed-text', messages: [{ role: 'user', content: 'x' }] })
        expect(JSON.parse(embedOnly.body).error).to.equal('"nomic-embed-text" does not support chat')
      } finally {
        await strict.close()
      }
      expect((await call(fake, 'POST', '/api/chat', chatBody({ think: true }))).status).to.equal(200)
    })
  })

  describe('generate', () => {
    it('streams `response` chunks and a final chunk with context', async () => {
      fake.enqueue('generate', { text: 'Blue sky' })
      const res = await call(fake, 'POST', '/api/generate', { model: 'llama3.2', prompt: 'Why is the sky blue?' })
      const chunks = lines(res.body)
      expect(chunks.slice(0, -1).map((c) => c.response)).to.deep.equal(['Blue', ' sky'])
      const final = chunks.at(-1) as Record<string, any>
      expect(final).to.include({ done: true, done_reason: 'stop', response: '' })
      expect(final.context).to.be.an('array').that.is.not.empty
    })

    it('omits context in raw mode and merges with stream:false', async () => {
      const body = JSON.parse((await call(fake, 'POST', '/api/generate', { model: 'llama3.2', prompt: 'x', raw: true, stream: false })).body)
      expect(body.response).to.equal('Hello from FakeOllama')
      expect(body).to.not.have.property('context')
    })

    it('loads the model for an empty prompt and 404s an unknown model', async () => {
      const load = JSON.parse((await call(fake, 'POST', '/api/generate', { model: 'llama3.2' })).body)
      expect(load).to.include({ done: true, done_reason: 'load', response: '' })
      const unknown = await call(fake, 'POST', '/api/generate', { model: 'nope', prompt: 'x' })
      expect(unknown.status).to.equal(404)
      expect(JSON.parse(unknown.body)).to.deep.equal({ error: "model 'nope' not found" })
    })
  })

  describe('embeddings', () => {
    it('embeds deterministically and reports the input count', async () => {
      const a = JSON.parse((await call(fake, 'POST', '/api/embed', { model: 'nomic-embed-text', input: ['a', 'b'] })).body)
      const b = JSON.parse((await call(fake, 'POST', '/api/embed', { model: 'nomic-embed-text', input: 'a' })).body)
      expect(a.model).to.equal('nomic-embed-text')
      expect(a.embeddings).to.have.length(2)
      expect(b.embeddings[0]).to.deep.equal(a.embeddings[0])
      expect(a.prompt_eval_count).to.equal(2)
      expect(a.total_duration).to.be.above(0)
      const norm = Math.hypot(...(a.embeddings[0] as number[]))
      expect(norm).to.be.closeTo(1, 1e-9)
    })

    it('uses scripted vectors, the legacy endpoint and Ollama errors', async () => {
      fake.enqueue('embed', { embeddings: [[1, 2]] })
      fake.enqueue('embeddings', { embeddings: [0.5, 0.25] })
      expect(JSON.parse((await call(fake, 'POST', '/api/embed', { model: 'nomic-embed-text', input: 'x' })).body).embeddings).to.deep.equal([[1, 2]])
      expect(JSON.parse((await call(fake, 'POST', '/api/embeddings', { model: 'nomic-embed-text', prompt: 'x' })).body)).to.deep.equal({ embedding: [0.5, 0.25] })
      const unknown = await call(fake, 'POST', '/api/embed', { model: 'nope', input: 'x' })
      expect(unknown.status).to.equal(404)
      expect(JSON.parse(unknown.body).error).to.equal('model "nope" not found, try pulling it first')
      const badInput = await call(fake, 'POST', '/api/embed', { model: 'nomic-embed-text', input: 5 })
      expect(JSON.parse(badInput.body)).to.deep.equal({ error: 'invalid input type' })
      expect(JSON.parse((await call(fake, 'POST', '/api/embed', { model: 'nomic-embed-text' })).body).embeddings).to.deep.equal([])
    })
  })

  describe('faults and timing', () => {
    it('replies with a status, an error body and Retry-After', async () => {
      fake.enqueue('chat', { status: 429, error: 'server busy', retryAfter: 3 })
      const res = await call(fake, 'POST', '/api/chat', { garbage: true })
      expect(res.status).to.equal(429)
      expect(res.headers['retry-after']).to.equal('3')
      expect(JSON.parse(res.body)).to.deep.equal({ error: 'server busy' })
      expect((await call(fake, 'POST', '/api/chat', chatBody())).status).to.equal(200)
    })

    it('keeps a queued reply for the next valid request', async () => {
      fake.enqueue('chat', { text: 'scripted' })
      expect((await call(fake, 'POST', '/api/chat', { model: 'missing', messages: [] })).status).to.equal(404)
      const chunks = lines((await call(fake, 'POST', '/api/chat', chatBody())).body)
      expect(chunks[0]?.message.content).to.equal('scripted')
    })

    it('delays headers and chunks', async () => {
      fake.enqueue('chat', { headersDelayMs: 60, chunkDelayMs: 20, text: ['a', 'b', 'c'] })
      const started = Date.now()
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.headersAfterMs).to.be.at.least(55)
      expect(Date.now() - started).to.be.at.least(55 + 3 * 20 - 5)
      expect(lines(res.body)).to.have.length(4)
    })

    it('splits the output into writes of N bytes, across UTF-8 sequences and lines', async () => {
      const text = ['héllo ', 'wörld ', '🎉']
      fake.enqueue('chat', { text, writeBytes: 5 })
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.pieces.length).to.be.above(lines(res.body).length)
      for (const piece of res.pieces) expect(piece.length).to.be.at.most(5)
      expect(lines(res.body).map((c) => c.message.content).join('')).to.equal(text.join(''))
    })

    it('sends an error line mid-stream and ends the response', async () => {
      fake.enqueue('chat', { text: ['a', 'b', 'c'], errorLineAfter: 2, errorLine: 'model runner crashed' })
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.status).to.equal(200)
      expect(res.ended).to.equal('end')
      const chunks = lines(res.body)
      expect(chunks).to.have.length(3)
      expect(chunks[2]).to.deep.equal({ error: 'model runner crashed' })
    })

    it('turns an error line into a 500 without streaming', async () => {
      fake.enqueue('chat', { errorLineAfter: 1 })
      const res = await call(fake, 'POST', '/api/chat', chatBody({ stream: false }))
      expect(res.status).to.equal(500)
      expect(JSON.parse(res.body)).to.have.property('error')
    })

    it('drops the socket after N chunks', async () => {
      fake.enqueue('chat', { text: ['a', 'b', 'c'], dropAfter: 1, chunkDelayMs: 5 })
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.ended).to.equal('aborted')
      expect(lines(res.body)).to.have.length(1)
      expect(fake.closedResponses).to.equal(0)
    })

    it('drops the socket after N bytes, mid-line and mid-character', async () => {
      fake.enqueue('chat', { text: ['日本語', 'b', 'c'], dropAfterBytes: 60, writeBytes: 7 })
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.ended).to.equal('aborted')
      expect(Buffer.concat(res.pieces)).to.have.length(60)
      expect(res.body).not.to.include('\n')
      expect(fake.closedResponses).to.equal(0)
    })

    it('stalls after N chunks until the client closes, and reports the close', async () => {
      fake.enqueue('chat', { text: ['a', 'b', 'c'], stallAfter: 2 })
      const stream = await openStream(fake, '/api/chat', chatBody(), 2)
      await sleep(30)
      expect(stream.received().split('\n').filter(Boolean)).to.have.length(2)
      expect(fake.inFlight).to.equal(1)
      const closed = fake.waitForClientClose(1000)
      stream.destroy()
      await closed
      expect(fake.closedResponses).to.equal(1)
      expect(fake.inFlight).to.equal(0)
    })

    it('resolves waitForClientClose for a close that already happened, and times out otherwise', async () => {
      fake.enqueue('generate', { stallAfter: 0 })
      const stream = await new Promise<() => void>((resolve) => {
        const req = httpRequest(`${fake.url}/api/generate`, { method: 'POST', agent: false }, () => resolve(() => req.destroy()))
        req.on('error', () => {})
        req.end(JSON.stringify({ model: 'llama3.2', prompt: 'hi' }))
      })
      stream()
      await until(() => fake.closedResponses === 1)
      await fake.waitForClientClose(100)
      let timedOut = false
      await fake.waitForClientClose(30).catch(() => (timedOut = true))
      expect(timedOut).to.equal(true)
    })

    it('drops or stalls a non-stream answer before the status line, as Ollama sends nothing early', async () => {
      fake.enqueue('chat', { dropAfter: 0 })
      let failed = false
      await call(fake, 'POST', '/api/chat', chatBody({ stream: false })).catch(() => (failed = true))
      expect(failed).to.equal(true)

      fake.enqueue('tags', { stallAfter: 0 })
      const req = httpRequest(`${fake.url}/api/tags`, { agent: false }, () => expect.fail('no headers expected'))
      req.on('error', () => {})
      req.end()
      await until(() => fake.inFlight === 1)
      const closed = fake.waitForClientClose(1000)
      req.destroy()
      await closed
    })

    it('writes a malformed line and continues', async () => {
      fake.enqueue('chat', { text: ['a', 'b'], malformedAfter: 1 })
      const raw = (await call(fake, 'POST', '/api/chat', chatBody())).body.split('\n')
      expect(raw[1]).to.equal('{"message": oops}')
      expect(JSON.parse(raw[3] as string).done).to.equal(true)
    })

    it('ends cleanly without the done chunk', async () => {
      fake.enqueue('chat', { text: ['a', 'b'], endWithoutDone: true })
      const res = await call(fake, 'POST', '/api/chat', chatBody())
      expect(res.ended).to.equal('end')
      expect(lines(res.body).map((c) => c.done)).to.deep.equal([false, false])
    })

    it('writes a never-terminated line and keeps the socket open', async () => {
      fake.enqueue('chat', { noNewlineBytes: 4096 })
      const got = await new Promise<{ bytes: number; destroy: () => void }>((resolve) => {
        let bytes = 0
        const req = httpRequest(`${fake.url}/api/chat`, { method: 'POST', agent: false }, (res) => {
          res.on('data', (d: Buffer) => {
            bytes += d.length
            if (bytes >= 4096) resolve({ bytes, destroy: () => req.destroy() })
          })
          res.on('error', () => {})
        })
        req.on('error', () => {})
        req.end(JSON.stringify(chatBody()))
      })
      expect(got.bytes).to.equal(4096)
      expect(fake.inFlight).to.equal(1)
      const closed = fake.waitForClientClose(1000)
      got.destroy()
      await closed
    })
  })

  describe('recording', () => {
    it('records method, path, headers, parsed body and raw bytes', async () => {
      await call(fake, 'POST', '/api/chat?x=1', chatBody({ format: 'json', options: { temperature: 0 } }), { headers: { Authorization: 'Bearer secret' } })
      await call(fake, 'POST', '/api/blobs/sha256:00', Buffer.from([0xff, 0x00]))
      const chat = fake.lastRequest('/api/chat')
      expect(chat?.method).to.equal('POST')
      expect(chat?.path).to.equal('/api/chat')
      expect(chat?.headers.authorization).to.equal('Bearer secret')
      expect(chat?.body).to.deep.equal(chatBody({ format: 'json', options: { temperature: 0 } }))
      expect(chat?.raw.toString()).to.equal(JSON.stringify(chatBody({ format: 'json', options: { temperature: 0 } })))
      expect(chat?.at).to.be.a('number')
      expect(Buffer.isBuffer(fake.lastRequest()?.body)).to.equal(true)
      expect(fake.requests.map((r) => r.path)).to.deep.equal(['/api/chat', '/api/blobs/sha256:00'])
      fake.reset()
      expect(fake.requests).to.have.length(0)
      expect(fake.hasModel('llama3.2')).to.equal(true)
    })
  })

  describe('routing', () => {
    it('answers unknown paths and wrong methods like gin', async () => {
      const missing = await call(fake, 'GET', '/api/nothing')
      expect(missing.status).to.equal(404)
      expect(missing.body).to.equal('404 page not found')
      expect(missing.headers['content-type']).to.equal('text/plain')
      const wrong = await call(fake, 'GET', '/api/chat')
      expect(wrong.status).to.equal(405)
      expect(wrong.body).to.equal('405 method not allowed')
    })

    it('reports the version', async () => {
      expect(JSON.parse((await call(fake, 'GET', '/api/version')).body)).to.have.property('version').that.is.a('string')
    })
  })

  describe('models', () => {
    it('lists, shows, copies and deletes models', async () => {
      fake.addModel({ name: 'qwen3', capabilities: ['completion', 'tools', 'thinking'] })
      const tags = JSON.parse((await call(fake, 'GET', '/api/tags')).body)
      expect(tags.models.map((m: { name: string }) => m.name)).to.deep.equal(['qwen3:latest', 'nomic-embed-text:latest', 'llama3.2:latest'])
      expect(tags.models[0]).to.have.all.keys('name', 'model', 'modified_at', 'size', 'digest', 'details', 'capabilities', 'context_length')
      expect(tags.models[0]).to.include({ context_length: 4096 })
      expect(tags.models[0].capabilities).to.deep.equal(['completion', 'tools', 'thinking'])

      const show = JSON.parse((await call(fake, 'POST', '/api/show', { model: 'qwen3' })).body)
      expect(show).to.include.all.keys('modelfile', 'parameters', 'template', 'details', 'model_info', 'capabilities', 'modified_at')
      expect(show.capabilities).to.deep.equal(['completion', 'tools', 'thinking'])
      expect(JSON.parse((await call(fake, 'POST', '/api/show', {})).body)).to.deep.equal({ error: 'model is required' })
      expect((await call(fake, 'POST', '/api/show', { model: 'nope' })).status).to.equal(404)

      const copied = await call(fake, 'POST', '/api/copy', { source: 'qwen3', destination: 'qwen3-backup' })
      expect(copied.status).to.equal(200)
      expect(copied.body).to.equal('')
      expect(fake.hasModel('qwen3-backup:latest')).to.equal(true)
      const badCopy = await call(fake, 'POST', '/api/copy', { source: 'nope', destination: 'x' })
      expect(badCopy.status).to.equal(404)
      expect(JSON.parse(badCopy.body)).to.deep.equal({ error: 'model "nope" not found' })

      const deleted = await call(fake, 'DELETE', '/api/delete', { model: 'qwen3-backup' })
      expect(deleted.status).to.equal(200)
      expect(deleted.body).to.equal('')
      const again = await call(fake, 'DELETE', '/api/delete', { name: 'qwen3-backup' })
      expect(again.status).to.equal(404)
      expect(JSON.parse(again.body)).to.deep.equal({ error: "model 'qwen3-backup' not found" })
    })

    it('lists models in /api/ps once used', async () => {
      expect(JSON.parse((await call(fake, 'GET', '/api/ps')).body)).to.deep.equal({ models: [] })
      await call(fake, 'POST', '/api/chat', chatBody())
      const ps = JSON.parse((await call(fake, 'GET', '/api/ps')).body)
      expect(ps.models).to.have.length(1)
      expect(ps.models[0]).to.include({ name: 'llama3.2:latest', model: 'llama3.2:latest' })
      expect(ps.models[0]).to.include.all.keys('size', 'digest', 'details', 'expires_at', 'size_vram', 'context_length')
    })

    it('pulls an unknown model with progress and adds it', async () => {
      const res = await call(fake, 'POST', '/api/pull', { model: 'mistral' })
      const steps = lines(res.body)
      expect(steps.map((s) => s.status)).to.include.members(['pulling manifest', 'verifying sha256 digest', 'writing manifest', 'success'])
      expect(steps.find((s) => s.total !== undefined)).to.include.keys('digest', 'total')
      expect(steps.at(-1)).to.deep.equal({ status: 'success' })
      expect(fake.hasModel('mistral')).to.equal(true)

      const quiet = await call(fake, 'POST', '/api/pull', { model: 'phi3', stream: false })
      expect(quiet.headers['content-type']).to.equal('application/json')
      expect(JSON.parse(quiet.body)).to.deep.equal({ status: 'success' })
      expect(JSON.parse((await call(fake, 'POST', '/api/pull', {})).body)).to.deep.equal({ error: 'invalid model name' })
    })

    it('uses scripted progress and does not add a model when the pull is cut short', async () => {
      fake.enqueue('pull', { progress: [{ status: 'pulling manifest' }], extra: { note: 1 } })
      expect(lines((await call(fake, 'POST', '/api/pull', { model: 'a' })).body)).to.deep.equal([{ status: 'pulling manifest' }, { status: 'success', note: 1 }])
      fake.enqueue('pull', { errorLineAfter: 1, errorLine: 'max retries exceeded' })
      const failed = lines((await call(fake, 'POST', '/api/pull', { model: 'b' })).body)
      expect(failed.at(-1)).to.deep.equal({ error: 'max retries exceeded' })
      expect(fake.hasModel('b')).to.equal(false)
    })

    it('fails to push a model that does not exist locally', async () => {
      const res = await call(fake, 'POST', '/api/push', { model: 'user/nothing' })
      const steps = lines(res.body)
      expect(steps.slice(0, 2).map((s) => s.status)).to.deep.equal(['retrieving manifest', "couldn't retrieve manifest"])
      expect(steps.at(-1)?.error).to.match(/no such file or directory/)
      expect(lines((await call(fake, 'POST', '/api/push', { model: 'llama3.2' })).body).at(-1)).to.deep.equal({ status: 'success' })
    })
  })

  describe('blobs and create', () => {
    it('checks digests on upload and reports existence', async () => {
      const data = Buffer.from('GGUF fake weights')
      const digest = sha256(data)
      expect((await call(fake, 'HEAD', `/api/blobs/${digest}`)).status).to.equal(404)
      const wrong = await call(fake, 'POST', `/api/blobs/${sha256('other')}`, data)
      expect(wrong.status).to.equal(400)
      expect(JSON.parse(wrong.body).error).to.equal(`digest mismatch, expected "${sha256('other')}", got "${digest}"`)
      expect((await call(fake, 'POST', `/api/blobs/${digest}`, data)).status).to.equal(201)
      expect((await call(fake, 'HEAD', `/api/blobs/${digest}`)).status).to.equal(200)
      expect((await call(fake, 'POST', `/api/blobs/${digest}`, data)).status).to.equal(200)
      const invalid = await call(fake, 'POST', '/api/blobs/md5:abc', data)
      expect(invalid.status).to.equal(400)
      expect(JSON.parse(invalid.body)).to.deep.equal({ error: 'invalid digest format' })
    })

    it('creates models from files or from another model', async () => {
      const unknown = sha256('never uploaded')
      const missing = await call(fake, 'POST', '/api/create', { model: 'mine', files: { 'model.gguf': unknown } })
      expect(missing.status).to.equal(400)
      expect(JSON.parse(missing.body).error).to.match(/^blob not found for model\.gguf \(digest sha256:[0-9a-f]{64}\)/)

      const digest = fake.addBlob('weights')
      const created = lines((await call(fake, 'POST', '/api/create', { model: 'mine', files: { 'model.gguf': digest } })).body)
      expect(created.at(-1)).to.deep.equal({ status: 'success' })
      expect(fake.hasModel('mine')).to.equal(true)

      const mario = lines((await call(fake, 'POST', '/api/create', { model: 'mario', from: 'llama3.2', system: 'You are Mario' })).body)
      expect(mario.map((s) => s.status)).to.include('writing manifest')
      const show = JSON.parse((await call(fake, 'POST', '/api/show', { model: 'mario' })).body)
      expect(show.system).to.equal('You are Mario')

      const neither = await call(fake, 'POST', '/api/create', { model: 'x' })
      expect(JSON.parse(neither.body)).to.deep.equal({ error: "neither 'from' or 'files' was specified" })
    })
    it('scripts HEAD and POST separately with blobExists / blobUpload; blobs serves whichever comes next', async () => {
      const data = Buffer.from('split queues')
      const digest = sha256(data)
      fake.enqueue('blobUpload', { status: 503, error: 'upload busy' }).enqueue('blobExists', { status: 500, error: 'head broke' })
      const head = await call(fake, 'HEAD', `/api/blobs/${digest}`)
      expect(head.status).to.equal(500)
      const post = await call(fake, 'POST', `/api/blobs/${digest}`, data)
      expect(post.status).to.equal(503)
      expect(JSON.parse(post.body)).to.deep.equal({ error: 'upload busy' })
      // Both queues are empty now: the real handlers answer.
      expect((await call(fake, 'POST', `/api/blobs/${digest}`, data)).status).to.equal(201)
      expect((await call(fake, 'HEAD', `/api/blobs/${digest}`)).status).to.equal(200)

      // A HEAD-only reply is not taken by a POST, even when enqueued first.
      fake.enqueue('blobExists', { status: 404, error: 'gone' })
      expect((await call(fake, 'POST', `/api/blobs/${digest}`, data)).status).to.equal(200)
      expect((await call(fake, 'HEAD', `/api/blobs/${digest}`)).status).to.equal(404)
    })

    it("keeps 'blobs' working for both methods, after the method's own queue is used up", async () => {
      const data = Buffer.from('shared queue')
      const digest = sha256(data)
      fake.enqueue('blobs', { status: 502, error: 'first' }).enqueue('blobs', { status: 503, error: 'second' })
      expect((await call(fake, 'POST', `/api/blobs/${digest}`, data)).status).to.equal(502)
      expect((await call(fake, 'HEAD', `/api/blobs/${digest}`)).status).to.equal(503)
      expect((await call(fake, 'HEAD', `/api/blobs/${digest}`)).status).to.equal(404)

      fake.enqueue('blobs', { status: 500, error: 'shared' }).enqueue('blobUpload', { status: 507, error: 'own' })
      const own = await call(fake, 'POST', `/api/blobs/${digest}`, data)
      expect(JSON.parse(own.body)).to.deep.equal({ error: 'own' })
      const shared = await call(fake, 'POST', `/api/blobs/${digest}`, data)
      expect(JSON.parse(shared.body)).to.deep.equal({ error: 'shared' })
      expect((await call(fake, 'POST', `/api/blobs/${digest}`, data)).status).to.equal(201)
    })
  })

  describe('web search and fetch (ollama.com hosted API)', () => {
    const auth = { headers: { Authorization: 'Bearer test-key', 'Content-Type': 'application/json' } }

    it('answers 401 {"error":"unauthorized"} without a Bearer key, before looking at the body', async () => {
      for (const [path, body] of [
        ['/api/web_search', { query: 'ollama' }],
        ['/api/web_fetch', { url: 'https://ollama.com' }],
        ['/api/web_search', {}],
      ] as const) {
        const res = await call(fake, 'POST', path, body)
        expect(res.status, path).to.equal(401)
        expect(res.headers['content-type']).to.equal('application/json; charset=utf-8')
        expect(JSON.parse(res.body)).to.deep.equal({ error: 'unauthorized' })
      }
      const basic = await call(fake, 'POST', '/api/web_search', { query: 'ollama' }, { headers: { Authorization: 'Basic dXNlcjpwYXNz' } })
      expect(basic.status).to.equal(401)
      const empty = await call(fake, 'POST', '/api/web_search', { query: 'ollama' }, { headers: { Authorization: 'Bearer ' } })
      expect(empty.status).to.equal(401)
      // With plain fetch too, as a cloud client without a key would send it.
      const res = await fetch(`${fake.url}/api/web_fetch`, { method: 'POST', body: JSON.stringify({ url: 'https://ollama.com' }) })
      expect(res.status).to.equal(401)
      expect(await res.json()).to.deep.equal({ error: 'unauthorized' })
    })

    it('searches deterministically: 5 results by default, max_results honoured and capped at 10', async () => {
      const res = await call(fake, 'POST', '/api/web_search', { query: 'what is ollama?' }, auth)
      expect(res.status).to.equal(200)
      expect(res.headers['content-type']).to.equal('application/json; charset=utf-8')
      const body = JSON.parse(res.body)
      expect(Object.keys(body)).to.deep.equal(['results'])
      expect(body.results).to.have.length(5)
      for (const r of body.results) {
        expect(Object.keys(r)).to.deep.equal(['title', 'url', 'content'])
        expect(r.title).to.include('what is ollama?')
        expect(r.url).to.match(/^https:\/\//)
      }
      expect(new Set(body.results.map((r: { url: string }) => r.url)).size).to.equal(5)
      const again = await call(fake, 'POST', '/api/web_search', { query: 'what is ollama?' }, auth)
      expect(again.body).to.equal(res.body)

      const three = JSON.parse((await call(fake, 'POST', '/api/web_search', { query: 'x', max_results: 3 }, auth)).body)
      expect(three.results).to.have.length(3)
      const many = JSON.parse((await call(fake, 'POST', '/api/web_search', { query: 'x', max_results: 50 }, auth)).body)
      expect(many.results).to.have.length(10)
      expect(fake.lastRequest('/api/web_search')?.headers.authorization).to.equal('Bearer test-key')
    })

    it('fetches a page: title, content and links, with or without a scheme', async () => {
      const page = JSON.parse((await call(fake, 'POST', '/api/web_fetch', { url: 'https://ollama.com/blog' }, auth)).body)
      expect(Object.keys(page)).to.deep.equal(['title', 'content', 'links'])
      expect(page.title).to.equal('ollama.com')
      expect(page.content).to.include('https://ollama.com/blog')
      expect(page.links).to.be.an('array').that.is.not.empty
      for (const link of page.links) expect(link).to.match(/^https:\/\/ollama\.com\//)
      const bare = JSON.parse((await call(fake, 'POST', '/api/web_fetch', { url: 'ollama.com' }, auth)).body)
      expect(bare.title).to.equal('ollama.com')
    })

    it('answers 400 for a missing or empty query/url and for bodies of the wrong shape', async () => {
      const cases: Array<[string, unknown, string | RegExp]> = [
        ['/api/web_search', {}, 'query is required'],
        ['/api/web_search', { query: '   ', max_results: 2 }, 'query is required'],
        ['/api/web_fetch', {}, 'url is required'],
        ['/api/web_fetch', { url: '' }, 'url is required'],
        ['/api/web_search', { query: 42 }, /cannot unmarshal number .*query of type string/],
        ['/api/web_search', '', 'missing request body'],
      ]
      for (const [path, body, error] of cases) {
        const res = await call(fake, 'POST', path, body, auth)
        expect(res.status, JSON.stringify(body)).to.equal(400)
        const message = JSON.parse(res.body).error as string
        if (typeof error === 'string') expect(message).to.equal(error)
        else expect(message).to.match(error)
      }
      expect((await call(fake, 'GET', '/api/web_search')).status).to.equal(405)
    })

    it('is scriptable with enqueue: body replaces the answer, extra is merged, faults answer anything', async () => {
      const results = [{ title: 'Ollama', url: 'https://ollama.com/', content: 'Cloud models are now available...' }]
      fake.enqueue('webSearch', { body: { results } })
      fake.enqueue('webFetch', { body: { title: 'Ollama', content: 'Hello', links: ['https://ollama.com/models'] } })
      // An invalid request leaves the scripted reply in place.
      expect((await call(fake, 'POST', '/api/web_search', { query: 'x' })).status).to.equal(401)
      expect(JSON.parse((await call(fake, 'POST', '/api/web_search', { query: 'x' }, auth)).body)).to.deep.equal({ results })
      expect(JSON.parse((await call(fake, 'POST', '/api/web_fetch', { url: 'x.org' }, auth)).body)).to.deep.equal({
        title: 'Ollama',
        content: 'Hello',
        links: ['https://ollama.com/models'],
      })
      // Queues are per endpoint, and empty again.
      expect(JSON.parse((await call(fake, 'POST', '/api/web_search', { query: 'x' }, auth)).body).results).to.have.length(5)

      fake.enqueue('webFetch', { extra: { note: 'merged' } })
      expect(JSON.parse((await call(fake, 'POST', '/api/web_fetch', { url: 'x.org' }, auth)).body)).to.include({ note: 'merged', title: 'x.org' })

      fake.enqueue('webSearch', { status: 429, error: 'too many requests', retryAfter: 3 })
      const limited = await call(fake, 'POST', '/api/web_search', { query: 'x' })
      expect(limited.status).to.equal(429)
      expect(limited.headers['retry-after']).to.equal('3')
    })
  })

  describe('connections', () => {
    it('counts sockets, so tests can assert keep-alive reuse', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 })
      try {
        for (let i = 0; i < 3; i++) await call(fake, 'GET', '/api/tags', undefined, { agent })
        expect(fake.totalConnections).to.equal(1)
        expect(fake.openConnections).to.equal(1)
      } finally {
        agent.destroy()
      }
      await call(fake, 'GET', '/api/tags')
      await call(fake, 'GET', '/api/tags')
      expect(fake.totalConnections).to.equal(3)
      await until(() => fake.openConnections === 0)
    })
  })
})
