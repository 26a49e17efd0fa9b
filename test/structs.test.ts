import { expect } from 'chai'

import {
  ChatResponse,
  EmbedResponse,
  EmbeddingsResponse,
  GenerateResponse,
  ListResponse,
  Message,
  ModelDetails,
  ModelResponse,
  ProcessResponse,
  ProgressResponse,
  RunningModel,
  ShowResponse,
  ToolCall,
  VersionResponse,
  WebFetchResponse,
  WebSearchResponse,
  toStruct,
} from '../src/types/index.js'
import type {
  ChatResponseWire,
  GenerateResponseWire,
  ListResponseWire,
  MessageInput,
  ModelDetailsWire,
  ProcessResponseWire,
  ShowResponseWire,
  StructKind,
  Wire,
} from '../src/types/index.js'

// --- fixtures, shaped like real Ollama replies -----------------------------

const details: ModelDetailsWire = {
  parent_model: '',
  format: 'gguf',
  family: 'llama',
  families: ['llama'],
  parameter_size: '3.2B',
  quantization_level: 'Q4_K_M',
}

const chatChunk: ChatResponseWire = {
  model: 'llama3.2',
  created_at: '2025-01-01T12:00:00.000000Z',
  message: { role: 'assistant', content: 'Hel' },
  done: false,
}

const chatFinal: ChatResponseWire = {
  model: 'qwen3',
  created_at: '2025-01-01T12:00:01.5Z',
  message: {
    role: 'assistant',
    content: '',
    thinking: 'The user wants the weather.',
    tool_calls: [
      { id: 'call_1', function: { index: 0, name: 'get_weather', arguments: { city: 'Paris' } } },
      { function: { index: 1, name: 'get_time', arguments: {} } },
    ],
  },
  done: true,
  done_reason: 'stop',
  total_duration: 1_500_000_000,
  load_duration: 250_000_000,
  prompt_eval_count: 40,
  prompt_eval_duration: 200_000_000,
  eval_count: 50,
  eval_duration: 1_000_000_000,
  logprobs: [{ token: 'Hi', logprob: -0.1, top_logprobs: [{ token: 'Hi', logprob: -0.1 }] }],
}

const generateFinal: GenerateResponseWire = {
  model: 'llama3.2',
  created_at: '2025-01-01T12:00:00Z',
  response: 'The sky is blue.',
  thinking: 'hmm',
  done: true,
  done_reason: 'stop',
  context: [1, 2, 3],
  total_duration: 2_000_000,
  eval_count: 8,
  eval_duration: 400_000_000,
}

const list: ListResponseWire = {
  models: [
    {
      name: 'llama3.2:latest',
      model: 'llama3.2:latest',
      modified_at: '2025-01-01T00:00:00Z',
      size: 2_019_393_189,
      digest: 'a80c4f17acd5',
      details,
    },
    {
      name: 'gpt-oss:120b-cloud',
      model: 'gpt-oss:120b-cloud',
      remote_model: 'gpt-oss:120b',
      remote_host: 'https://ollama.com:443',
      modified_at: '2025-01-02T00:00:00Z',
      size: 384,
      digest: 'b1',
      details: { ...details, families: null },
    },
  ],
}

const ps: ProcessResponseWire = {
  models: [
    {
      name: 'llama3.2:latest',
      model: 'llama3.2:latest',
      size: 4_000,
      digest: 'a80c4f17acd5',
      details,
      expires_at: '2025-01-01T00:05:00Z',
      size_vram: 3_000,
      context_length: 4096,
    },
  ],
}

const show: ShowResponseWire = {
  license: 'MIT',
  modelfile: 'FROM llama3.2',
  parameters: 'stop "<|eot_id|>"',
  template: '{{ .Prompt }}',
  details,
  messages: [{ role: 'user', content: 'hi' }],
  model_info: {
    'general.architecture': 'llama',
    'general.parameter_count': 3_212_749_888,
    'llama.context_length': 131072,
  },
  capabilities: ['completion', 'tools'],
  modified_at: '2025-01-01T00:00:00Z',
}

/** JSON round-trip: the struct serializes to exactly the wire JSON. */
function expectSameJson(struct: object, wire: object): void {
  expect(JSON.stringify(struct)).to.equal(JSON.stringify(wire))
}

// --- tests ----------------------------------------------------------------

describe('structs', () => {
  describe('ChatResponse', () => {
    it('round-trips to the wire JSON and keeps the wire fields', () => {
      for (const wire of [chatChunk, chatFinal]) {
        const struct = ChatResponse.from(wire)
        expectSameJson(struct, wire)
        expect(struct).to.deep.include(wire)
        expect(Object.keys(struct)).to.deep.equal(Object.keys(wire))
      }
    })

    it('converts the message and its tool calls to classes', () => {
      const struct = ChatResponse.from(chatFinal)
      expect(struct).to.be.instanceOf(ChatResponse)
      expect(struct.message).to.be.instanceOf(Message)
      expect(struct.message.tool_calls![0]).to.be.instanceOf(ToolCall)
      expect(struct.toolCalls.map((c) => c.name)).to.deep.equal(['get_weather', 'get_time'])
      expect(struct.toolCalls[0]!.args).to.deep.equal({ city: 'Paris' })
      expect(struct.toolCalls[0]!.id).to.equal('call_1')
      expect(struct.message.hasToolCalls).to.equal(true)
    })

    it('does not mutate the wire object', () => {
      const wire = structuredClone(chatFinal)
      ChatResponse.from(wire)
      expect(wire).to.deep.equal(chatFinal)
      expect(wire.message).to.not.be.instanceOf(Message)
    })

    it('has text, thinking and metric getters', () => {
      const chunk = ChatResponse.from(chatChunk)
      expect(chunk.text).to.equal('Hel')
      expect(chunk.thinkingText).to.equal('')
      expect(chunk.toolCalls).to.deep.equal([])
      expect(chunk.tokensPerSecond).to.equal(undefined)
      expect(chunk.totalDurationMs).to.equal(undefined)

      const final = ChatResponse.from(chatFinal)
      expect(final.thinkingText).to.equal('The user wants the weather.')
      expect(final.totalDurationMs).to.equal(1500)
      expect(final.loadDurationMs).to.equal(250)
      expect(final.promptEvalDurationMs).to.equal(200)
      expect(final.evalDurationMs).to.equal(1000)
      expect(final.tokensPerSecond).to.equal(50)
      expect(final.promptTokensPerSecond).to.equal(200)
      expect(final.createdAt!.toISOString()).to.equal('2025-01-01T12:00:01.500Z')
    })

    it('keeps unknown fields, top-level and nested', () => {
      const wire = {
        ...chatChunk,
        future_field: { a: 1 },
        message: { ...chatChunk.message, images: ['aGk='], new_msg_field: true },
      }
      const struct = ChatResponse.from(wire)
      expectSameJson(struct, wire)
      expect(struct).to.have.property('future_field').that.deep.equals({ a: 1 })
      expect(struct.message).to.have.property('new_msg_field', true)
    })

    it('lets a wire field that shadows a getter win', () => {
      // Should Ollama ever add a top-level `text`, its value must survive.
      const wire = { ...chatChunk, text: 'from the server' }
      const struct = ChatResponse.from(wire)
      expect(struct.text).to.equal('from the server')
      expectSameJson(struct, wire)
    })

    it('is idempotent', () => {
      const struct = ChatResponse.from(chatFinal)
      expect(ChatResponse.from(struct)).to.equal(struct)
    })

    it('puts no methods or getters on the instance', () => {
      const struct = ChatResponse.from(chatFinal)
      expect(Object.keys(struct)).to.not.include.members(['text', 'toolCalls', 'tokensPerSecond'])
      expect(Object.getOwnPropertyNames(struct)).to.deep.equal(Object.keys(chatFinal))
    })

    it('message structs can go back into a chat history', () => {
      const history: MessageInput[] = [{ role: 'user', content: 'weather?' }]
      history.push(ChatResponse.from(chatFinal).message)
      expect(JSON.parse(JSON.stringify(history))[1]).to.deep.equal(chatFinal.message)
    })
  })

  describe('GenerateResponse', () => {
    it('round-trips and exposes text/thinking/metrics', () => {
      const struct = GenerateResponse.from(generateFinal)
      expectSameJson(struct, generateFinal)
      expect(struct).to.deep.include(generateFinal)
      expect(struct.text).to.equal('The sky is blue.')
      expect(struct.thinking).to.equal('hmm')
      expect(struct.thinkingText).to.equal('hmm')
      expect(struct.totalDurationMs).to.equal(2)
      expect(struct.tokensPerSecond).to.equal(20)
      expect(struct.toolCalls).to.deep.equal([])
    })

    it('converts tool_calls', () => {
      const wire: GenerateResponseWire = {
        ...generateFinal,
        tool_calls: [{ function: { name: 'f', arguments: { x: 1 } } }],
      }
      const struct = GenerateResponse.from(wire)
      expect(struct.toolCalls[0]).to.be.instanceOf(ToolCall)
      expectSameJson(struct, wire)
    })
  })

  describe('embeddings', () => {
    it('EmbedResponse has dimensions and count', () => {
      const wire = { model: 'nomic-embed-text', embeddings: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], total_duration: 5e6 }
      const struct = EmbedResponse.from(wire)
      expectSameJson(struct, wire)
      expect(struct.dimensions).to.equal(3)
      expect(struct.count).to.equal(2)
      expect(struct.totalDurationMs).to.equal(5)
      expect(EmbedResponse.from({ model: 'm', embeddings: [] }).dimensions).to.equal(0)
    })

    it('EmbeddingsResponse has dimensions', () => {
      const wire = { embedding: [1, 2, 3, 4] }
      const struct = EmbeddingsResponse.from(wire)
      expectSameJson(struct, wire)
      expect(struct.dimensions).to.equal(4)
    })
  })

  describe('ListResponse', () => {
    it('round-trips with nested ModelResponse and ModelDetails', () => {
      const struct = ListResponse.from(list)
      expectSameJson(struct, list)
      expect(struct.models[0]).to.be.instanceOf(ModelResponse)
      expect(struct.models[0]!.details).to.be.instanceOf(ModelDetails)
      expect(struct.models[1]!.details.families).to.equal(null)
    })

    it('names(), find() and model getters', () => {
      const struct = ListResponse.from(list)
      expect(struct.names()).to.deep.equal(['llama3.2:latest', 'gpt-oss:120b-cloud'])
      expect(struct.find('llama3.2')?.digest).to.equal('a80c4f17acd5')
      expect(struct.find('llama3.2:latest')?.digest).to.equal('a80c4f17acd5')
      expect(struct.find('llama3.2:1b')).to.equal(undefined)
      expect(struct.models[0]!.isRemote).to.equal(false)
      expect(struct.models[1]!.isRemote).to.equal(true)
      expect(struct.models[0]!.modifiedAt!.getUTCFullYear()).to.equal(2025)
    })

    it('treats a null model list as empty', () => {
      expect(ListResponse.from({ models: null } as unknown as ListResponseWire).names()).to.deep.equal([])
    })
  })

  describe('ProcessResponse', () => {
    it('round-trips with RunningModel entries', () => {
      const struct = ProcessResponse.from(ps)
      expectSameJson(struct, ps)
      const running = struct.models[0]!
      expect(running).to.be.instanceOf(RunningModel)
      expect(running.details).to.be.instanceOf(ModelDetails)
      expect(running.gpuFraction).to.equal(0.75)
      expect(running.expiresAt!.toISOString()).to.equal('2025-01-01T00:05:00.000Z')
      expect(struct.names()).to.deep.equal(['llama3.2:latest'])
      expect(struct.find('llama3.2')).to.equal(running)
    })
  })

  describe('ShowResponse', () => {
    it('round-trips with nested details and messages', () => {
      const struct = ShowResponse.from(show)
      expectSameJson(struct, show)
      expect(struct.details).to.be.instanceOf(ModelDetails)
      expect(struct.messages![0]).to.be.instanceOf(Message)
    })

    it('hasCapability() and model_info getters', () => {
      const struct = ShowResponse.from(show)
      expect(struct.hasCapability('tools')).to.equal(true)
      expect(struct.hasCapability('vision')).to.equal(false)
      expect(struct.architecture).to.equal('llama')
      expect(struct.contextLength).to.equal(131072)
      expect(struct.parameterCount).to.equal(3_212_749_888)
      const bare = ShowResponse.from({ details, modified_at: '2025-01-01T00:00:00Z' })
      expect(bare.hasCapability('completion')).to.equal(false)
      expect(bare.contextLength).to.equal(undefined)
    })
  })

  describe('ProgressResponse', () => {
    it('percent, fraction and isSuccess', () => {
      const manifest = ProgressResponse.from({ status: 'pulling manifest' })
      expect(manifest.percent).to.equal(undefined)
      expect(manifest.isSuccess).to.equal(false)

      const wire = { status: 'pulling a80c4f17acd5', digest: 'sha256:a80c', total: 200, completed: 50 }
      const blob = ProgressResponse.from(wire)
      expectSameJson(blob, wire)
      expect(blob.fraction).to.equal(0.25)
      expect(blob.percent).to.equal(25)

      // `completed` is omitted by Ollama while still 0.
      expect(ProgressResponse.from({ status: 'pulling x', total: 10 }).percent).to.equal(0)
      expect(ProgressResponse.from({ status: 'success' }).isSuccess).to.equal(true)
    })
  })

  describe('VersionResponse', () => {
    it('parts and atLeast()', () => {
      const v = VersionResponse.from({ version: '0.12.11' })
      expectSameJson(v, { version: '0.12.11' })
      expect(v.parts).to.deep.equal([0, 12, 11])
      expect(v.atLeast('0.9.0')).to.equal(true)
      expect(v.atLeast('0.12.11')).to.equal(true)
      expect(v.atLeast('0.13.0')).to.equal(false)
      expect(v.atLeast('1.0.0')).to.equal(false)
      expect(VersionResponse.from({ version: '0.13.0-rc1' }).atLeast('0.13.0')).to.equal(true)
      expect(VersionResponse.from({ version: 'dev' }).atLeast('0.1.0')).to.equal(false)
    })
  })

  describe('web', () => {
    it('WebSearchResponse and WebFetchResponse round-trip', () => {
      const search = { results: [{ title: 'Ollama', url: 'https://ollama.com/', content: 'Get up and running' }] }
      const s = WebSearchResponse.from(search)
      expectSameJson(s, search)
      expect(s.urls()).to.deep.equal(['https://ollama.com/'])

      const fetched = { title: 'Ollama', content: 'text', links: ['https://ollama.com/search'] }
      expectSameJson(WebFetchResponse.from(fetched), fetched)
    })
  })

  describe('toStruct', () => {
    it('dispatches every kind to its class', () => {
      const cases: Array<[StructKind, object, Function]> = [
        ['chat', chatFinal, ChatResponse],
        ['generate', generateFinal, GenerateResponse],
        ['embed', { model: 'm', embeddings: [[1]] }, EmbedResponse],
        ['embeddings', { embedding: [1] }, EmbeddingsResponse],
        ['list', list, ListResponse],
        ['show', show, ShowResponse],
        ['ps', ps, ProcessResponse],
        ['progress', { status: 'success' }, ProgressResponse],
        ['version', { version: '0.1.0' }, VersionResponse],
        ['webSearch', { results: [] }, WebSearchResponse],
        ['webFetch', { title: '', content: '', links: [] }, WebFetchResponse],
      ]
      for (const [kind, wire, cls] of cases) {
        const struct = toStruct(kind, wire)
        expect(struct, kind).to.be.instanceOf(cls)
        expectSameJson(struct, wire)
      }
    })

    it('is typed per kind', () => {
      const chat = toStruct('chat', chatChunk)
      // Compile-time check: `text` exists on the chat struct type.
      const text: string = chat.text
      expect(text).to.equal('Hel')
    })

    it('rejects an unknown kind', () => {
      expect(() => toStruct('nope' as StructKind, {})).to.throw(TypeError, /unknown kind/)
    })
  })

  describe('wire namespace', () => {
    it('exposes the plain wire shapes as types', () => {
      const msg: Wire.Message = { role: 'user', content: 'hi' }
      const req: Wire.ChatRequest = { model: 'm', messages: [msg], think: 'high', format: { type: 'object' } }
      expect(req.messages).to.have.length(1)
    })
  })
})
