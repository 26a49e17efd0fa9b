import { expect } from 'chai'
import { ConnectionError, OllixirError, Ollixir, RequestError, ResponseError } from '../src/index.js'
import { FakeOllama, type Reply } from '../src/testing/index.js'
import { hi, Inbox, TRANSPORTS, useRig } from './support/helpers.js'

/** Runs a chat against a scripted reply in one streaming mode; returns the text seen and the error. */
type Mode = (client: Ollixir) => Promise<{ text: string; error: unknown }>

const modes: Record<string, Mode> = {
  'enumerable mode': async (client) => {
    let text = ''
    try {
      const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
      for await (const chunk of stream) text += chunk.message.content
      return { text, error: null }
    } catch (error) {
      return { text, error }
    }
  },
  'process mode': async (client) => {
    const inbox = new Inbox()
    await client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    const end = await Promise.race([inbox.until('ollixir.ok', 5000), inbox.until('ollixir.error', 5000)])
    const text = inbox.events.map((e) => (e.type === 'ollixir.data' ? e.data.message.content : '')).join('')
    return { text, error: end.type === 'ollixir.error' ? end.reason : null }
  },
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `w${i} `)

for (const { name: transport, options: over } of TRANSPORTS)
for (const [name, run] of Object.entries(modes)) {
  describe(`faults in ${name} [${transport}]`, () => {
    const rig = useRig({ ...over, timeout: 300 })

    const script = (reply: Reply) => rig.fake.enqueue('chat', reply)

    it('HTTP 500 → ResponseError with the status, retryable', async () => {
      script({ status: 500, error: 'llama runner process has terminated' })
      const { error } = await run(rig.client)
      expect(error).to.be.instanceOf(ResponseError)
      expect(error).to.include({ status: 500, retryable: true, message: 'llama runner process has terminated' })
    })

    it('a mid-stream {"error"} line → ResponseError, never merged as data', async () => {
      script({ text: many(5), errorLineAfter: 3, errorLine: 'an error was encountered while running the model' })
      const { text, error } = await run(rig.client)
      expect(text).to.equal('w0 w1 w2 ')
      expect(error).to.be.instanceOf(ResponseError)
      expect((error as Error).message).to.equal('an error was encountered while running the model')
    })

    it('a dropped connection → ConnectionError', async () => {
      script({ text: many(5), dropAfter: 2 })
      const { text, error } = await run(rig.client)
      expect(text).to.equal('w0 w1 ')
      expect(error).to.be.instanceOf(ConnectionError)
      expect((error as ConnectionError).message).to.include(rig.fake.url)
    })

    it('a stall → ConnectionError ETIMEDOUT after the idle timeout, and the socket is closed', async () => {
      script({ text: many(5), stallAfter: 2 })
      const closed = rig.fake.waitForClientClose()
      const started = Date.now()
      const { text, error } = await run(rig.client)
      expect(text).to.equal('w0 w1 ')
      expect(error).to.be.instanceOf(ConnectionError)
      expect(error).to.have.property('code', 'ETIMEDOUT')
      expect(Date.now() - started).to.be.within(250, 3000)
      await closed
    })

    it('the idle timeout resets on every byte: a slow but steady stream is not cut', async () => {
      script({ text: many(8), chunkDelayMs: 100 })
      const { text, error } = await run(rig.client)
      expect(error).to.equal(null)
      expect(text).to.equal(many(8).join(''))
    })

    it('a malformed line → RequestError quoting the line', async () => {
      script({ text: many(5), malformedAfter: 2, malformedLine: '{"message": oops}' })
      const { text, error } = await run(rig.client)
      expect(text).to.equal('w0 w1 ')
      expect(error).to.be.instanceOf(RequestError)
      expect(error).to.have.property('code', 'EBADLINE')
      expect((error as Error).message).to.include('{\\"message\\": oops}')
    })

    it('a stream that ends without its final chunk → ConnectionError EINCOMPLETE, never silent success', async () => {
      script({ text: many(3), endWithoutDone: true })
      const { text, error } = await run(rig.client)
      expect(text).to.equal(many(3).join(''))
      expect(error).to.be.instanceOf(ConnectionError)
      expect(error).to.have.property('code', 'EINCOMPLETE')
    })

    it('a line that is JSON but not an object → RequestError EBADLINE', async () => {
      script({ text: many(3), malformedAfter: 1, malformedLine: '[1, 2]' })
      const { text, error } = await run(rig.client)
      expect(text).to.equal('w0 ')
      expect(error).to.be.instanceOf(RequestError)
      expect(error).to.have.property('code', 'EBADLINE')
    })

    it('1-byte writes: lines split across reads and UTF-8 split mid-character arrive intact', async () => {
      const pieces = ['héllo ', '日本語 ', '🦙 ', 'ok']
      script({ text: pieces, writeBytes: 1 })
      const { text, error } = await run(rig.client)
      expect(error).to.equal(null)
      expect(text).to.equal(pieces.join(''))
    })

    it('odd-sized writes (7 bytes) deliver the same chunks', async () => {
      const pieces = ['α', 'β', 'γ', '—', 'done']
      script({ text: pieces, writeBytes: 7 })
      expect((await run(rig.client)).text).to.equal(pieces.join(''))
    })
  })
}

describe('line-length cap', () => {
  let fake: FakeOllama
  let client: Ollixir
  beforeEach(async () => {
    fake = await FakeOllama.start()
    client = Ollixir.init({ host: fake.host, retry: false, maxLineBytes: 64 * 1024 })
  })
  afterEach(async () => {
    client.close()
    await fake.close()
  })

  it('a line over maxLineBytes ends the stream with ELINETOOLONG without buffering the rest', async () => {
    fake.enqueue('chat', { noNewlineBytes: 1024 * 1024 })
    const closed = fake.waitForClientClose()
    const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
    const error = await stream.collect().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(RequestError)
    expect(error).to.have.property('code', 'ELINETOOLONG')
    expect(OllixirError.isInstance(error)).to.equal(true)
    await closed
  })
})
