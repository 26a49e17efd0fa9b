import { expect } from 'chai'
import { createHash } from 'node:crypto'
import {
  ChatResponse,
  ListResponse,
  presets,
  ProcessResponse,
  RequestError,
  ResponseError,
  ShowResponse,
  ToolCall,
  type MessageInput,
  type Options,
} from '../src/index.js'
import { IGNORED_OPTIONS } from '../src/protocol/wire/options.js'
import { hi, Inbox, rejection, useRig } from './support/helpers.js'

/**
 * The fields and behaviours of the current server (issue 11), through FakeOllama, in both
 * stream modes where they stream.
 */
describe('current server: fields of the 2026 protocol', () => {
  const rig = useRig()

  /** Both stream modes of one chat: the chunks as iterated, and the data events plus the merged body of a Task. */
  async function chatBothWays(request: Record<string, unknown>, script: () => void) {
    script()
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, ...(request as object), stream: true })
    const chunks: any[] = await stream.collect()
    const iterated = await stream.task.await()
    script()
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, ...(request as object), stream: inbox })
    const ok: any = await inbox.until('ollixir.ok')
    const data = inbox.events.filter((e) => e.type === 'ollixir.data').map((e) => e.data)
    return { chunks, iterated: iterated as any, data: data as any[], merged: ok.response.body }
  }

  describe("think: 'max' and levels a model does not take", () => {
    it("'max' passes validation and reaches the server, on chat and generate, in both stream modes", async () => {
      const { chunks, data } = await chatBothWays({ think: 'max' }, () => rig.fake.enqueue('chat', { thinking: 'Deep', text: 'Yes' }))
      expect(chunks.map((c) => c.message.thinking ?? '').join('')).to.equal('Deep')
      expect(data.map((c) => c.message.thinking ?? '').join('')).to.equal('Deep')
      expect(rig.fake.requests.filter((r) => r.path === '/api/chat').map((r) => (r.body as any).think)).to.deep.equal(['max', 'max'])
      const generated = await rig.client.generate({ model: 'llama3.2', prompt: 'p', think: 'max', stream: true })
      await generated.collect()
      expect((rig.fake.lastRequest('/api/generate')!.body as any).think).to.equal('max')
    })

    it('a level the model does not take: the server\'s 400 text, in both stream modes', async () => {
      rig.fake.addModel({ name: 'gpt-oss', capabilities: ['completion', 'thinking'], thinkLevels: ['low', 'medium', 'high'] })
      const refused = await rejection(rig.client.chat({ model: 'gpt-oss', messages: hi, think: 'max', stream: true }))
      expect(refused).to.be.instanceOf(ResponseError)
      expect(refused.status).to.equal(400)
      expect(refused.message).to.equal('think value "max" is not supported for this model')

      const inbox = new Inbox()
      await rig.client.generate({ model: 'gpt-oss', prompt: 'p', think: 'max', stream: inbox })
      const error: any = await inbox.until('ollixir.error')
      expect(error.reason).to.be.instanceOf(ResponseError)
      expect(error.reason.message).to.equal('think value "max" is not supported for this model')

      // The levels it does take, and true/false, pass.
      await rig.client.chat({ model: 'gpt-oss', messages: hi, think: 'low' })
      await rig.client.chat({ model: 'gpt-oss', messages: hi, think: true })
    })
  })

  describe('remote models: remote_model and remote_host', () => {
    const remote = { model: 'gpt-oss:120b', host: 'https://ollama.com:443' }
    beforeEach(() => rig.fake.addModel({ name: 'gpt-oss:120b-cloud', capabilities: ['completion', 'tools', 'thinking'], remote }))

    it('on every chat chunk and on the merged reply, in both stream modes', async () => {
      const { chunks, iterated, data, merged } = await chatBothWays({ model: 'gpt-oss:120b-cloud' }, () => rig.fake.enqueue('chat', { text: 'Hi there' }))
      for (const chunk of [...chunks, ...data]) expect(chunk).to.include({ remote_model: remote.model, remote_host: remote.host })
      for (const body of [iterated, merged]) expect(body).to.include({ remote_model: remote.model, remote_host: remote.host })
      const struct = await rig.client.chat({ model: 'gpt-oss:120b-cloud', messages: hi, responseFormat: 'struct' })
      expect(struct).to.be.instanceOf(ChatResponse)
      expect(struct.remote_host).to.equal(remote.host)
    })

    it('on generate chunks', async () => {
      const stream = await rig.client.generate({ model: 'gpt-oss:120b-cloud', prompt: 'p', stream: true })
      for (const chunk of await stream.collect()) expect(chunk.remote_model).to.equal(remote.model)
    })

    it('on list, ps and show entries; ModelResponse.isRemote says so', async () => {
      const list = await rig.client.list({ responseFormat: 'struct' })
      expect(list).to.be.instanceOf(ListResponse)
      const entry = list.find('gpt-oss:120b-cloud')!
      expect(entry).to.include({ remote_model: remote.model, remote_host: remote.host })
      expect(entry.isRemote).to.equal(true)
      expect(list.find('llama3.2')!.isRemote).to.equal(false)
      await rig.client.chat({ model: 'gpt-oss:120b-cloud', messages: hi })
      const ps = await rig.client.ps()
      expect(ps.models.find((m) => m.name === 'gpt-oss:120b-cloud')).to.include({ remote_model: remote.model, remote_host: remote.host, size_vram: 0 })
      expect(await rig.client.show({ model: 'gpt-oss:120b-cloud' })).to.include({ remote_model: remote.model, remote_host: remote.host })
    })
  })

  describe('logprobs: with the tokens\' bytes', () => {
    it('each chunk carries its logprobs with UTF-8 bytes and top_logprobs; the merged reply gathers them, in both stream modes', async () => {
      const text = ['Caf', 'é ', '☕']
      const { chunks, iterated, data, merged } = await chatBothWays({ logprobs: true, top_logprobs: 2 }, () => rig.fake.enqueue('chat', { text }))
      for (const list of [chunks, data]) {
        const withLogprobs = list.filter((c) => c.logprobs)
        expect(withLogprobs.map((c) => c.logprobs[0].token)).to.deep.equal(text)
        for (const chunk of withLogprobs) {
          const [entry] = chunk.logprobs
          expect(entry.bytes).to.deep.equal([...Buffer.from(entry.token, 'utf8')])
          expect(entry.logprob).to.be.below(0)
          expect(entry.top_logprobs).to.have.length(2)
        }
      }
      expect(Buffer.from(chunks[2].logprobs[0].bytes).toString('utf8')).to.equal('☕')
      for (const body of [iterated, merged]) expect(body.logprobs.map((l: any) => l.token)).to.deep.equal(text)
      const whole = await rig.client.generate({ model: 'llama3.2', prompt: 'p', logprobs: true })
      expect(whole.logprobs!.length).to.be.greaterThan(0)
      expect(whole.logprobs![0]).to.have.property('bytes').that.is.an('array')
    })

    it('no logprobs unless asked', async () => {
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi })
      expect(reply).to.not.have.property('logprobs')
    })
  })

  describe('tool calls with id and function.index; tool results with tool_name and tool_call_id', () => {
    const calls = [
      { id: 'call_a1', function: { index: 0, name: 'weather', arguments: { city: 'Paris' } } },
      { id: 'call_b2', function: { index: 1, name: 'time', arguments: { zone: 'CET' } } },
    ]

    it('come through chunks and merged replies unchanged, in both stream modes, and as ToolCall structs', async () => {
      const { chunks, iterated, data, merged } = await chatBothWays({}, () => rig.fake.enqueue('chat', { text: '', toolCalls: calls, splitToolCalls: true }))
      expect(chunks.flatMap((c) => c.message.tool_calls ?? [])).to.deep.equal(calls)
      expect(data.flatMap((c) => c.message.tool_calls ?? [])).to.deep.equal(calls)
      for (const body of [iterated, merged]) expect(body.message.tool_calls).to.deep.equal(calls)
      rig.fake.enqueue('chat', { text: '', toolCalls: calls })
      const struct = await rig.client.chat({ model: 'llama3.2', messages: hi, responseFormat: 'struct' })
      expect(struct.toolCalls[1]).to.be.instanceOf(ToolCall)
      expect(struct.toolCalls.map((c) => [c.id, c.function.index, c.name])).to.deep.equal([['call_a1', 0, 'weather'], ['call_b2', 1, 'time']])
    })

    it('the answering tool messages reach the server with tool_name and tool_call_id; both are checked', async () => {
      const messages: MessageInput[] = [
        ...hi,
        { role: 'assistant', content: '', tool_calls: calls },
        { role: 'tool', content: '18°C', tool_name: 'weather', tool_call_id: 'call_a1' },
        { role: 'tool', content: '14:00', tool_name: 'time', tool_call_id: 'call_b2' },
      ]
      await rig.client.chat({ model: 'llama3.2', messages })
      expect((rig.fake.lastRequest('/api/chat')!.body as any).messages.slice(2)).to.deep.equal(messages.slice(2))
      const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: [{ role: 'tool', content: 'x', tool_call_id: 7 as never }] }))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.message).to.equal('Invalid chat request: messages[0].tool_call_id must be string.')
      const index = await rejection(rig.client.chat({ model: 'llama3.2', messages: [{ role: 'assistant', content: '', tool_calls: [{ function: { index: 0.5, name: 'x', arguments: {} } }] }] }))
      expect(index.field).to.equal('messages[0].tool_calls[0].function.index')
    })
  })

  describe('list and ps entries: capabilities and context_length', () => {
    it('list entries say what each model can do and its context length', async () => {
      rig.fake.addModel({ name: 'qwen3', capabilities: ['completion', 'tools', 'thinking'], contextLength: 40960 })
      const list = await rig.client.list()
      expect(list.models.find((m) => m.name === 'qwen3:latest')).to.deep.include({ capabilities: ['completion', 'tools', 'thinking'], context_length: 40960 })
      expect(list.models.find((m) => m.name === 'nomic-embed-text:latest')!.capabilities).to.deep.equal(['embedding'])
    })

    it('ps entries too', async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi })
      const ps = await rig.client.ps({ responseFormat: 'struct' })
      expect(ps).to.be.instanceOf(ProcessResponse)
      expect(ps.find('llama3.2')).to.deep.include({ capabilities: ['completion'], context_length: 4096 })
    })
  })

  describe('show: verbose', () => {
    it('verbose: true asks for the tensors and the tokenizer vocabulary; without it they are left out', async () => {
      const full = await rig.client.show({ model: 'llama3.2', verbose: true, responseFormat: 'struct' })
      expect(full).to.be.instanceOf(ShowResponse)
      expect((rig.fake.lastRequest('/api/show')!.body as any).verbose).to.equal(true)
      expect(full.tensors).to.be.an('array').that.is.not.empty
      expect(full.tensors![0]).to.have.all.keys('name', 'type', 'shape')
      expect(full.model_info!['tokenizer.ggml.tokens']).to.be.an('array')
      const brief = await rig.client.show({ model: 'llama3.2' })
      expect(brief).to.not.have.property('tensors')
      expect(brief.model_info!['tokenizer.ggml.tokens']).to.equal(null)
      const error = await rejection(rig.client.show({ model: 'llama3.2', verbose: 'yes' as never }))
      expect(error.field).to.equal('verbose')
    })
  })

  describe('create: every current field', () => {
    it('renderer, parser, requires, info, remote_host, messages and license reach the server; in both stream modes', async () => {
      const request = {
        model: 'mine-cloud',
        from: 'llama3.2',
        renderer: 'qwen3-coder',
        parser: 'qwen3-coder',
        requires: '0.12.0',
        remote_host: 'https://ollama.com:443',
        info: { capabilities: ['completion', 'tools'], context_length: 262144 },
        messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }],
        license: ['MIT', 'Apache-2.0'],
        system: 'Be brief.',
        parameters: { temperature: 0.3, stop: ['END'] },
      }
      const stream = await rig.client.create({ ...request, stream: true })
      expect((await stream.collect()).at(-1)!.status).to.equal('success')
      expect(rig.fake.lastRequest('/api/create')!.body).to.deep.equal({ ...request, stream: true })
      const inbox = new Inbox()
      await rig.client.create({ ...request, model: 'mine-cloud-2', stream: inbox })
      expect(((await inbox.until('ollixir.ok')) as any).response.body.status).to.equal('success')
    })

    it('a draft model for speculative decoding: draft_files are uploaded like files, draft_quantize sent', async () => {
      const model = Buffer.from('main model gguf')
      const draft = Buffer.from('draft model gguf')
      const stream = await rig.client.create({ model: 'fast', files: { 'model.gguf': model }, draft_files: { 'draft.gguf': draft }, draft_quantize: 'q8_0', stream: true })
      const statuses = (await stream.collect()).map((c) => c.status)
      expect(statuses).to.include('uploading draft.gguf')
      expect(statuses.at(-1)).to.equal('success')
      const sent = rig.fake.lastRequest('/api/create')!.body as any
      expect(sent.draft_files).to.deep.equal({ 'draft.gguf': `sha256:${createHash('sha256').update(draft).digest('hex')}` })
      expect(sent.draft_quantize).to.equal('q8_0')
      expect(rig.fake.hasBlob(sent.draft_files['draft.gguf'])).to.equal(true)

      const missing = `sha256:${'ab'.repeat(32)}`
      const error = await rejection(rig.client.create({ model: 'fast2', files: sent.files, draft_files: { 'draft.gguf': missing } }))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(400)
      expect(error.message).to.include('draft.gguf')
    })

    it('checks the new fields\' types before sending', async () => {
      const info = await rejection(rig.client.create({ model: 'm', from: 'llama3.2', info: 'tools' as never }))
      expect(info).to.be.instanceOf(RequestError)
      expect(info.message).to.equal('Invalid create request: info must be object.')
      expect((await rejection(rig.client.create({ model: 'm', from: 'llama3.2', requires: 12 as never }))).field).to.equal('requires')
      expect(rig.fake.requests).to.have.length(0)
    })

    it('the deprecated name and quantization still pass, as the server still reads them', async () => {
      await rig.client.create({ name: 'old-style', from: 'llama3.2', quantization: 'q4_K_M' } as never)
      expect(rig.fake.lastRequest('/api/create')!.body).to.include({ name: 'old-style', quantization: 'q4_K_M' })
    })
  })

  describe('options the server ignores', () => {
    it('are the @deprecated ones, still accepted and sent (old Modelfiles use them)', async () => {
      expect(IGNORED_OPTIONS).to.include.members(['mirostat', 'tfs_z', 'penalize_newline', 'numa'])
      expect(IGNORED_OPTIONS).to.not.include('temperature')
      const options: Options = { mirostat: 2, temperature: 0.5 }
      await rig.client.chat({ model: 'llama3.2', messages: hi, options })
      expect((rig.fake.lastRequest('/api/chat')!.body as any).options).to.deep.equal(options)
    })

    it('no preset uses one', () => {
      for (const [name, preset] of Object.entries(presets)) {
        const used = Object.keys(preset).filter((option) => IGNORED_OPTIONS.includes(option))
        expect(used, name).to.deep.equal([])
      }
    })
  })
})
