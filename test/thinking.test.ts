import { expect } from 'chai'
import { ChatResponse, GenerateResponse, Message, Ollixir, RequestError, ResponseError, type ThinkValue } from '../src/index.js'
import { FakeOllama } from '../src/testing/index.js'
import { hi, Inbox, rejection, useRig } from './support/helpers.js'

/** A thinking model's reply: two thinking chunks, then two text chunks. */
const THOUGHT = { thinking: ['The user', ' greets me.'], text: ['Hel', 'lo!'] }
const THINKING = 'The user greets me.'
const CONTENT = 'Hello!'

/** [thinking, text] of each chunk THOUGHT streams: the two never share a chunk. */
const THOUGHT_PAIRS = [
  ['The user', ''],
  [' greets me.', ''],
  [null, 'Hel'],
  [null, 'lo!'],
  [null, ''],
]

describe('thinking', () => {
  const rig = useRig()

  describe('think reaches the server unchanged', () => {
    const values: ThinkValue[] = [true, false, 'low', 'medium', 'high', 'max']
    for (const think of values) {
      it(`think: ${JSON.stringify(think)} on chat and generate, in the body and in the bytes`, async () => {
        await rig.client.chat({ model: 'llama3.2', messages: hi, think })
        const chat = rig.fake.lastRequest('/api/chat')!
        expect((chat.body as { think: unknown }).think).to.equal(think)
        expect(chat.raw.toString('utf8')).to.include(`"think":${JSON.stringify(think)}`)
        await rig.client.generate({ model: 'llama3.2', prompt: 'p', think })
        const generate = rig.fake.lastRequest('/api/generate')!
        expect((generate.body as { think: unknown }).think).to.equal(think)
        expect(generate.raw.toString('utf8')).to.include(`"think":${JSON.stringify(think)}`)
      })
    }

    it('no think, no think field', async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi })
      expect(rig.fake.lastRequest('/api/chat')!.body).to.not.have.property('think')
    })

    it("anything else is refused before sending, naming the allowed values", async () => {
      for (const think of ['extreme', 'HIGH', '', 1, null, {}]) {
        const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi, think: think as never }))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('think')
        expect(error.message).to.include("think must be true, false, 'low', 'medium', 'high' or 'max'")
      }
      expect(rig.fake.totalConnections).to.equal(0)
    })
  })

  describe('chat: message.thinking is kept apart from message.content', () => {
    it('stream: true — each chunk carries one of the two; the task merges both', async () => {
      rig.fake.enqueue('chat', THOUGHT)
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, think: true, stream: true })
      const chunks = await stream.collect()
      expect(chunks.map((c) => [c.message.thinking ?? null, c.message.content])).to.deep.equal(THOUGHT_PAIRS)
      const body = await stream.task.await()
      expect(body.message).to.deep.equal({ role: 'assistant', content: CONTENT, thinking: THINKING })
      expect(body.done).to.equal(true)
    })

    it('stream: false — the merged message', async () => {
      rig.fake.enqueue('chat', THOUGHT)
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, think: 'high' })
      expect(reply.message).to.deep.equal({ role: 'assistant', content: CONTENT, thinking: THINKING })
    })

    it('stream: parent — data events one by one, ok with the merged body', async () => {
      rig.fake.enqueue('chat', THOUGHT)
      const inbox = new Inbox()
      const task = await rig.client.chat({ model: 'llama3.2', messages: hi, think: true, stream: inbox })
      const ok: any = await inbox.until('ollixir.ok')
      const data = inbox.events.filter((e) => e.type === 'ollixir.data').map((e) => e.data.message)
      expect(data.map((m) => m.thinking ?? '').join('')).to.equal(THINKING)
      expect(data.map((m) => m.content).join('')).to.equal(CONTENT)
      expect(data.every((m) => !(m.thinking && m.content))).to.equal(true)
      expect(ok.response.body.message).to.deep.equal({ role: 'assistant', content: CONTENT, thinking: THINKING })
      expect((await task.await()).message.thinking).to.equal(THINKING)
    })

    it("responseFormat: 'struct' — ChatResponse/Message instances, in both modes", async () => {
      rig.fake.enqueue('chat', THOUGHT)
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, think: true, responseFormat: 'struct' })
      expect(reply).to.be.instanceOf(ChatResponse)
      expect(reply.message).to.be.instanceOf(Message)
      expect(reply.message.thinking).to.equal(THINKING)
      expect(reply.message.content).to.equal(CONTENT)
      expect(reply.thinkingText).to.equal(THINKING)
      expect(reply.text).to.equal(CONTENT)

      rig.fake.enqueue('chat', THOUGHT)
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, think: true, stream: true, responseFormat: 'struct' })
      const chunks = await stream.collect()
      expect(chunks.every((c) => c instanceof ChatResponse)).to.equal(true)
      expect(chunks.map((c) => c.thinkingText).join('')).to.equal(THINKING)
      expect(chunks.map((c) => c.text).join('')).to.equal(CONTENT)
      const merged = await stream.task.await()
      expect(merged).to.be.instanceOf(ChatResponse)
      expect(merged.message.thinking).to.equal(THINKING)
      expect(merged.message.content).to.equal(CONTENT)
    })

    it('no thinking key at all when the model did not think', async () => {
      rig.fake.enqueue('chat', { text: 'Hi' })
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, think: true })
      expect(reply.message).to.deep.equal({ role: 'assistant', content: 'Hi' })
    })
  })

  describe('generate: thinking is kept apart from response', () => {
    it('stream: true and its merged body', async () => {
      rig.fake.enqueue('generate', THOUGHT)
      const stream = await rig.client.generate({ model: 'llama3.2', prompt: 'Hi', think: 'low', stream: true })
      const chunks = await stream.collect()
      expect(chunks.map((c) => [c.thinking ?? null, c.response])).to.deep.equal(THOUGHT_PAIRS)
      const body = await stream.task.await()
      expect(body.thinking).to.equal(THINKING)
      expect(body.response).to.equal(CONTENT)
    })

    it('stream: false, and struct instances', async () => {
      rig.fake.enqueue('generate', THOUGHT)
      const reply = await rig.client.generate({ model: 'llama3.2', prompt: 'Hi', think: true })
      expect(reply.thinking).to.equal(THINKING)
      expect(reply.response).to.equal(CONTENT)

      rig.fake.enqueue('generate', THOUGHT)
      const struct = await rig.client.generate({ model: 'llama3.2', prompt: 'Hi', think: true, responseFormat: 'struct' })
      expect(struct).to.be.instanceOf(GenerateResponse)
      expect(struct.thinking).to.equal(THINKING)
      expect(struct.thinkingText).to.equal(THINKING)
      expect(struct.text).to.equal(CONTENT)

      rig.fake.enqueue('generate', THOUGHT)
      const stream = await rig.client.generate({ model: 'llama3.2', prompt: 'Hi', think: true, stream: true, responseFormat: 'struct' })
      const chunks = await stream.collect()
      expect(chunks.every((c) => c instanceof GenerateResponse)).to.equal(true)
      const merged = await stream.task.await()
      expect(merged).to.be.instanceOf(GenerateResponse)
      expect(merged.thinking).to.equal(THINKING)
      expect(merged.response).to.equal(CONTENT)
    })

    it('stream: parent', async () => {
      rig.fake.enqueue('generate', THOUGHT)
      const inbox = new Inbox()
      await rig.client.generate({ model: 'llama3.2', prompt: 'Hi', think: 'medium', stream: inbox })
      const ok: any = await inbox.until('ollixir.ok')
      expect(ok.response.body.thinking).to.equal(THINKING)
      expect(ok.response.body.response).to.equal(CONTENT)
    })
  })

  describe('FakeOllama follows the server on think', () => {
    it('think: false — the model does not think: no thinking in chunks or bodies', async () => {
      rig.fake.enqueue('chat', THOUGHT)
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, think: false, stream: true })
      const chunks = await stream.collect()
      expect(chunks.some((c) => 'thinking' in c.message)).to.equal(false)
      expect((await stream.task.await()).message).to.deep.equal({ role: 'assistant', content: CONTENT })

      rig.fake.enqueue('generate', THOUGHT)
      const reply = await rig.client.generate({ model: 'llama3.2', prompt: 'Hi', think: false })
      expect(reply).to.not.have.property('thinking')
      expect(reply.response).to.equal(CONTENT)
    })

    describe('with strictCapabilities', () => {
      let fake: FakeOllama
      let client: Ollixir
      beforeEach(async () => {
        fake = await FakeOllama.start({
          strictCapabilities: true,
          models: [{ name: 'llama3.2' }, { name: 'qwen3:8b', capabilities: ['completion', 'tools', 'thinking'] }],
        })
        client = Ollixir.init({ host: fake.host, retry: false })
      })
      afterEach(async () => {
        client.close()
        await fake.close()
      })

      for (const think of [true, 'high'] as const) {
        it(`think: ${JSON.stringify(think)} for a model without the thinking capability → 400 "<model>" does not support thinking`, async () => {
          for (const call of [
            () => client.chat({ model: 'llama3.2', messages: hi, think }),
            () => client.generate({ model: 'llama3.2', prompt: 'Hi', think }),
            () => client.chat({ model: 'llama3.2', messages: hi, think, stream: true }),
          ]) {
            const error = await rejection(call())
            expect(error).to.be.instanceOf(ResponseError)
            expect(error).to.include({ status: 400 })
            expect(error.message).to.match(/^"llama3\.2" does not support thinking\. Leave out `think` for llama3\.2, or use a model whose/)
          }
          expect(fake.requests).to.have.length(3)
        })
      }

      it('think: false for that model is fine; think left out sends no thinking (the server never parses it)', async () => {
        fake.enqueue('chat', THOUGHT)
        expect((await client.chat({ model: 'llama3.2', messages: hi, think: false })).message).to.deep.equal({ role: 'assistant', content: CONTENT })
        fake.enqueue('chat', THOUGHT)
        expect((await client.chat({ model: 'llama3.2', messages: hi })).message).to.deep.equal({ role: 'assistant', content: CONTENT })
      })

      it('a thinking model thinks when think is true, a level, or left out (the server defaults it to true), not when false', async () => {
        for (const think of [true, 'low', undefined] as const) {
          fake.enqueue('chat', THOUGHT)
          const reply = await client.chat({ model: 'qwen3:8b', messages: hi, ...(think === undefined ? {} : { think }) })
          expect(reply.message.thinking, String(think)).to.equal(THINKING)
          expect(reply.message.content).to.equal(CONTENT)
        }
        fake.enqueue('generate', THOUGHT)
        const off = await client.generate({ model: 'qwen3:8b', prompt: 'Hi', think: false })
        expect(off).to.not.have.property('thinking')
        expect(off.response).to.equal(CONTENT)
      })
    })
  })
})
