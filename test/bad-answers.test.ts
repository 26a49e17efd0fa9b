import { expect } from 'chai'
import { ListResponse, Ollixir, RequestError, ResponseError } from '../src/index.js'
import { hi, rejection, useRig } from './support/helpers.js'
import { hostileServer, type HostileServer } from './support/hostile-server.js'

/**
 * Issue 9, defect 8: a whole (non-streamed) answer that is not an object of the
 * method's shape never resolves the call; it is a RequestError EBADANSWER quoting it.
 */
describe('malformed non-stream answers', () => {
  let server: HostileServer
  let client: Ollixir
  /** What the server answers next: a status and a body. */
  let answer: { status: number; body: string }
  before(async () => {
    server = await hostileServer((_req, res) => {
      res.writeHead(answer.status, answer.status === 204 ? {} : { 'content-type': 'application/json; charset=utf-8' })
      res.end(answer.status === 204 ? undefined : answer.body)
    })
    client = Ollixir.init({ host: server.host, retry: false })
  })
  after(async () => {
    client.close()
    await server.close()
  })

  const calls: Record<string, (client: Ollixir<any>) => Promise<unknown>> = {
    chat: (c) => c.chat({ model: 'm', messages: hi }),
    generate: (c) => c.generate({ model: 'm', prompt: 'p' }),
    'generate stream: false': (c) => c.generate({ model: 'm', prompt: 'p', stream: false }),
    embed: (c) => c.embed({ model: 'm', input: 'x' }),
    embeddings: (c) => c.embeddings({ model: 'm', prompt: 'x' }),
    list: (c) => c.list(),
    show: (c) => c.show({ model: 'm' }),
    ps: (c) => c.ps(),
    version: (c) => c.version(),
    pull: (c) => c.pull({ model: 'm' }),
    create: (c) => c.create({ model: 'm', from: 'x' }),
    push: (c) => c.push({ model: 'm' }),
  }
  const malformed: Array<[string, { status: number; body: string }, RegExp]> = [
    ['a 204', { status: 204, body: '' }, /is an empty body/],
    ['an empty 200', { status: 200, body: '' }, /is an empty body/],
    ['42', { status: 200, body: '42' }, /is a number, .*: "42"$/],
    ['null', { status: 200, body: 'null' }, /is null, .*: "null"$/],
    ['an array', { status: 200, body: '[{"message":{}}]' }, /is an array/],
    ['a JSON string', { status: 200, body: '"ok"' }, /is a string/],
    ['an object of another shape', { status: 200, body: '{"hello":"world"}' }, /is an object without `\w+`/],
  ]

  for (const [method, call] of Object.entries(calls)) {
    for (const [what, reply, message] of malformed) {
      // show answers with any object: only the non-objects are malformed for it.
      if (method === 'show' && what === 'an object of another shape') continue
      it(`${method}: ${what} → RequestError EBADANSWER`, async () => {
        answer = reply
        const error = await rejection(call(client))
        expect(error).to.be.instanceOf(RequestError)
        expect(error).to.have.property('code', 'EBADANSWER')
        expect(error.message).to.match(message).and.to.include(`(HTTP ${reply.status})`)
      })
    }
  }

  it('chat: a message that is not an object → EBADANSWER naming `message`', async () => {
    answer = { status: 200, body: '{"message":"hi","done":true}' }
    const error = await rejection(client.chat({ model: 'm', messages: hi }))
    expect(error).to.have.property('code', 'EBADANSWER')
    expect(error.message).to.include('`message` (object)')
  })

  it('list: `models` that is not an array → EBADANSWER', async () => {
    answer = { status: 200, body: '{"models":42}' }
    expect(await rejection(client.list())).to.have.property('code', 'EBADANSWER')
  })

  describe('struct mode', () => {
    it('list() does not invent ListResponse{ models: [] } from 42', async () => {
      answer = { status: 200, body: '42' }
      const error = await rejection(client.list({ responseFormat: 'struct' }))
      expect(error).not.to.be.instanceOf(ListResponse)
      expect(error).to.be.instanceOf(RequestError).and.to.have.property('code', 'EBADANSWER')
    })

    it('list() rejects null with a RequestError, not a bare TypeError', async () => {
      answer = { status: 200, body: 'null' }
      const error = await rejection(client.list({ responseFormat: 'struct' }))
      expect(error).to.be.instanceOf(RequestError).and.to.have.property('code', 'EBADANSWER')
    })
  })

  describe('copy and delete', () => {
    for (const reply of [
      { status: 200, body: '' },
      { status: 204, body: '' },
      { status: 200, body: '{}' },
    ]) {
      it(`accept ${reply.status === 204 ? 'a 204' : reply.body ? 'an object' : 'an empty 200'}`, async () => {
        answer = reply
        expect(await client.copy({ source: 'a', destination: 'b' })).to.deep.equal({ status: 'success' })
        expect(await client.delete({ model: 'a' })).to.deep.equal({ status: 'success' })
      })
    }

    it('refuse 42', async () => {
      answer = { status: 200, body: '42' }
      expect(await rejection(client.copy({ source: 'a', destination: 'b' }))).to.have.property('code', 'EBADANSWER')
      expect(await rejection(client.delete({ model: 'a' }))).to.have.property('code', 'EBADANSWER')
    })
  })

  it('the quote is bounded and printable however large and strange the answer', async () => {
    answer = { status: 200, body: `[${'\u0000\u001b[31m'.repeat(100_000)}` }
    const error = await rejection(client.chat({ model: 'm', messages: hi }))
    expect(error).to.have.property('code', 'EBADJSON')
    expect(error.message.length).to.be.below(2000)
    expect(error.message).not.to.match(/[\u0000-\u001f]/)
  })

  it('a body that starts with a byte-order mark is read as if it had none', async () => {
    answer = { status: 200, body: '\ufeff{"version":"0.12.6"}' }
    expect(await client.version()).to.deep.equal({ version: '0.12.6' })
  })

  it('an {"error"} answer with a 200 is a ResponseError that keeps the raw body', async () => {
    answer = { status: 200, body: '{"error":"model is busy"}' }
    const error = await rejection(client.chat({ model: 'm', messages: hi }))
    expect(error).to.be.instanceOf(ResponseError)
    expect(error.message).to.equal('model is busy')
    expect(error.body).to.equal('{"error":"model is busy"}')
  })
})

describe('well-formed answers from FakeOllama still resolve', () => {
  const rig = useRig()

  it('every non-stream method of the fake passes the check', async () => {
    const { client } = rig
    expect((await client.chat({ model: 'llama3.2', messages: hi })).message.role).to.equal('assistant')
    expect((await client.generate({ model: 'llama3.2', prompt: '' })).done).to.equal(true)
    expect((await client.embed({ model: 'nomic-embed-text', input: 'x' })).embeddings).to.have.length(1)
    expect((await client.embeddings({ model: 'nomic-embed-text', prompt: 'x' })).embedding).to.be.an('array')
    expect((await client.list()).models).to.be.an('array')
    expect(await client.show({ model: 'llama3.2' })).to.have.property('capabilities')
    expect((await client.ps()).models).to.be.an('array')
    expect((await client.version()).version).to.be.a('string')
    expect((await client.pull({ model: 'llama3.2' })).status).to.equal('success')
    expect(await client.copy({ source: 'llama3.2', destination: 'copy' })).to.deep.equal({ status: 'success' })
    expect(await client.delete({ model: 'copy' })).to.deep.equal({ status: 'success' })
  })

  it('FakeOllama scripted 42 and [] are refused too', async () => {
    rig.fake.enqueue('embed', { body: 42 }).enqueue('tags', { body: [] })
    expect(await rejection(rig.client.embed({ model: 'nomic-embed-text', input: 'x' }))).to.have.property('code', 'EBADANSWER')
    expect(await rejection(rig.client.list())).to.have.property('code', 'EBADANSWER')
  })
})
