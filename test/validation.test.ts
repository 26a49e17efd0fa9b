import { expect } from 'chai'
import { Ollixir, RequestError, ResponseError, type Options } from '../src/index.js'
import { OPTION_NAMES } from '../src/protocol/schemas.js'
import { hi, Inbox, rejection, useRig } from './support/helpers.js'

/** A 1×1 transparent PNG, base64. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

/** Every option of Ollama's `Options`/`Runner` (deprecated ones included), well typed. `Required` makes tsc fail when wire.ts gains or loses one. */
const EVERY_OPTION: Required<Options> = {
  num_ctx: 8192,
  num_batch: 512,
  num_gpu: -1,
  main_gpu: 0,
  use_mmap: true,
  num_thread: 8,
  num_keep: 4,
  seed: 42,
  num_predict: -2,
  top_k: 40,
  top_p: 0.9,
  min_p: 0.05,
  typical_p: 1,
  repeat_last_n: -1,
  temperature: 0.7,
  repeat_penalty: 1.1,
  presence_penalty: 0.5,
  frequency_penalty: -0.5,
  stop: ['\n\n', '<|eot_id|>'],
  numa: false,
  low_vram: false,
  f16_kv: true,
  logits_all: false,
  vocab_only: false,
  use_mlock: false,
  embedding_only: false,
  tfs_z: 1,
  mirostat: 2,
  mirostat_tau: 5,
  mirostat_eta: 0.1,
  penalize_newline: true,
}

describe('request validation', () => {
  const rig = useRig()

  /** Asserts a RequestError for `field` whose message includes `says`, and that no socket was ever opened. */
  async function refused(call: Promise<unknown>, field: string, says: string | RegExp): Promise<RequestError> {
    const error = await rejection(call)
    expect(error, String(error)).to.be.instanceOf(RequestError)
    expect(error.code).to.equal('EINVALID')
    expect(error.field).to.equal(field)
    if (typeof says === 'string') expect(error.message).to.include(says)
    else expect(error.message).to.match(says)
    expect(rig.fake.requests).to.have.length(0)
    expect(rig.fake.totalConnections).to.equal(0)
    return error
  }

  const chat = (extra: Record<string, unknown>) => rig.client.chat({ model: 'llama3.2', messages: hi, ...extra } as never)
  const sentChat = () => rig.fake.lastRequest('/api/chat')!.body as Record<string, any>

  describe('options', () => {
    it('the schema knows exactly the options of the Options type', () => {
      expect([...OPTION_NAMES].sort()).to.deep.equal(Object.keys(EVERY_OPTION).sort())
      expect(OPTION_NAMES).to.have.length(31)
    })

    it('every option, deprecated ones included, passes and reaches the server unchanged', async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi, options: EVERY_OPTION })
      expect(sentChat().options).to.deep.equal(EVERY_OPTION)
    })

    it('says which option and which type, in the documented words', async () => {
      const error = await refused(chat({ options: { temperature: 'hot' } }), 'options.temperature', 'options.temperature')
      expect(error.message).to.equal('Invalid chat request: options.temperature must be number.')
    })

    const wrong: Array<[string, unknown, string]> = [
      ['num_ctx', 4096.5, 'must be integer'],
      ['num_ctx', '4096', 'must be integer'],
      ['seed', 1.5, 'must be integer'],
      ['num_predict', true, 'must be integer'],
      ['top_k', 40.2, 'must be integer'],
      ['num_gpu', 0.5, 'must be integer'],
      ['mirostat', 1.5, 'must be integer'],
      ['top_p', '0.9', 'must be number'],
      ['min_p', null, 'must be number'],
      ['repeat_penalty', [1.1], 'must be number'],
      ['use_mmap', 'yes', 'must be boolean'],
      ['numa', 1, 'must be boolean'],
      ['penalize_newline', 0, 'must be boolean'],
    ]
    for (const [name, value, says] of wrong) {
      it(`options.${name}: ${JSON.stringify(value)} → "${says}", nothing sent`, async () => {
        await refused(chat({ options: { [name]: value } }), `options.${name}`, `options.${name} ${says}`)
      })
    }

    it('a whole number is an integer even when written 8192.0, and floats take integers', async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi, options: { num_ctx: 8192.0, temperature: 1, top_p: 1 } })
      expect(sentChat().options).to.deep.equal({ num_ctx: 8192, temperature: 1, top_p: 1 })
    })

    it('stop: a lone string is sent as a one-element array (Ollama reads only arrays); the caller keeps its object', async () => {
      const options: Options = { stop: 'END', temperature: 0 }
      await rig.client.chat({ model: 'llama3.2', messages: hi, options })
      expect(sentChat().options).to.deep.equal({ stop: ['END'], temperature: 0 })
      expect(options).to.deep.equal({ stop: 'END', temperature: 0 })
      await rig.client.generate({ model: 'llama3.2', prompt: 'p', options: { stop: ['a', 'b'] } })
      expect((rig.fake.lastRequest('/api/generate')!.body as any).options).to.deep.equal({ stop: ['a', 'b'] })
    })

    it('stop: a number → "a string or an array of strings"; an array with a number names the item', async () => {
      await refused(chat({ options: { stop: 5 } }), 'options.stop', "options.stop must be a string or an array of strings; got 5")
      await refused(chat({ options: { stop: ['ok', 7] } }), 'options.stop[1]', 'options.stop[1] must be string')
    })

    it('options itself must be an object', async () => {
      await refused(chat({ options: 'fast' }), 'options', 'options must be object')
    })

    it('embed, embeddings, show and create check their options too', async () => {
      await refused(rig.client.embed({ model: 'nomic-embed-text', input: 'x', options: { num_ctx: 'big' as never } }), 'options.num_ctx', 'must be integer')
      await refused(rig.client.embeddings({ model: 'nomic-embed-text', prompt: 'x', options: { seed: 0.5 } }), 'options.seed', 'must be integer')
      await refused(rig.client.show({ model: 'llama3.2', options: { top_p: 'x' as never } }), 'options.top_p', 'must be number')
      await refused(rig.client.create({ model: 'mine', from: 'llama3.2', parameters: { temperature: 'hot' as never } }), 'parameters.temperature', 'parameters.temperature must be number')
    })
  })

  describe('top-level fields', () => {
    it("think: 'extreme' → the allowed values and what came", async () => {
      const error = await refused(chat({ think: 'extreme' }), 'think', 'think')
      expect(error.message).to.equal("Invalid chat request: think must be true, false, 'low', 'medium', 'high' or 'max'; got 'extreme'.")
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', think: 1 as never }), 'think', "think must be true, false, 'low', 'medium', 'high' or 'max'; got 1")
    })

    it("format: 'yaml' or an array → '', 'json' or a JSON Schema object", async () => {
      await refused(chat({ format: 'yaml' }), 'format', "format must be '', 'json' or a JSON Schema object; got 'yaml'")
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', format: [] as never }), 'format', "got an array")
    })

    it('keep_alive: numbers and Go durations pass; the string "-1" and other text do not', async () => {
      for (const keep_alive of ['5m', '1h30m', '-1h', '0', '1.5s', '300ms', 300, -1, 0]) {
        await rig.client.generate({ model: 'llama3.2', prompt: 'p', keep_alive })
        expect((rig.fake.lastRequest('/api/generate')!.body as any).keep_alive).to.equal(keep_alive)
      }
      rig.fake.reset()
      const before = rig.fake.totalConnections
      for (const keep_alive of ['-1', '300', 'soon', '5 m', '']) {
        const error = await rejection(chat({ keep_alive }))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('keep_alive')
        expect(error.message).to.include("keep_alive must be a number of seconds or a Go duration string such as '5m', '1h30m' or '-1h'")
        expect(error.message).to.include(`got '${keep_alive}'`)
      }
      expect(rig.fake.requests).to.have.length(0)
      expect(rig.fake.totalConnections).to.equal(before)
    })

    it('top_logprobs: 0 to 20 (the server refuses others), integers only', async () => {
      await rig.client.chat({ model: 'llama3.2', messages: hi, logprobs: true, top_logprobs: 0 })
      await rig.client.chat({ model: 'llama3.2', messages: hi, logprobs: true, top_logprobs: 20 })
      expect(sentChat().top_logprobs).to.equal(20)
      rig.fake.reset()
      const before = rig.fake.totalConnections
      for (const [value, says] of [
        [21, 'top_logprobs must be from 0 to 20; got 21'],
        [-1, 'top_logprobs must be from 0 to 20; got -1'],
        [2.5, 'top_logprobs must be integer'],
      ] as const) {
        const error = await rejection(rig.client.generate({ model: 'llama3.2', prompt: 'p', top_logprobs: value }))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('top_logprobs')
        expect(error.message).to.include(says)
      }
      expect(rig.fake.totalConnections).to.equal(before)
    })

    it('logprobs, truncate, shift, raw, _debug_render_only must be booleans', async () => {
      await refused(chat({ logprobs: 'yes' }), 'logprobs', 'logprobs must be boolean')
      await refused(chat({ truncate: 1 }), 'truncate', 'truncate must be boolean')
      await refused(chat({ shift: 'no' }), 'shift', 'shift must be boolean')
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', raw: 'true' as never }), 'raw', 'raw must be boolean')
      await refused(chat({ _debug_render_only: 1 }), '_debug_render_only', 'must be boolean')
    })

    it('generate: suffix, system, template are strings; context is integers', async () => {
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', suffix: 5 as never }), 'suffix', 'suffix must be string')
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', context: [1, 'two'] as never }), 'context[1]', 'context[1] must be integer')
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', context: [1, 2.5] }), 'context[1]', 'must be integer')
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 42 as never }), 'prompt', 'prompt must be string')
    })

    it('embed: input is a string or strings, dimensions an integer >= 1', async () => {
      await refused(rig.client.embed({ model: 'nomic-embed-text', input: 5 as never }), 'input', 'input must be a string or an array of strings; got 5')
      await refused(rig.client.embed({ model: 'nomic-embed-text', input: ['a', 2] as never }), 'input[1]', 'input[1] must be string')
      await refused(rig.client.embed({ model: 'nomic-embed-text', input: 'a', dimensions: 0 }), 'dimensions', 'dimensions must be >= 1; got 0')
      await refused(rig.client.embed({ model: 'nomic-embed-text', input: 'a', dimensions: 12.5 }), 'dimensions', 'must be integer')
    })

    it('an empty model name says so', async () => {
      const error = await refused(chat({ model: '' }), 'model', 'model must not be empty')
      expect(error.message).to.equal('Invalid chat request: model must not be empty.')
    })

    it('model-management calls need model (or the legacy name)', async () => {
      await refused(rig.client.pull({} as never), 'model', 'Invalid pull request: model is required.')
    })
  })

  describe('messages', () => {
    const say = (messages: unknown[]) => rig.client.chat({ model: 'llama3.2', messages } as never)

    it('roles are not restricted (the server lowercases and passes any), but must not be empty', async () => {
      const messages = [
        { role: 'developer', content: 'Be brief' },
        { role: 'USER', content: 'Hi' },
      ]
      await say(messages)
      expect(sentChat().messages).to.deep.equal(messages)
      rig.fake.reset()
      const before = rig.fake.totalConnections
      const error = await rejection(say([{ role: '', content: 'x' }]))
      expect(error.field).to.equal('messages[0].role')
      expect(error.message).to.equal('Invalid chat request: messages[0].role must not be empty.')
      const typed = await rejection(say([...hi, { role: 7, content: 'x' }]))
      expect(typed.field).to.equal('messages[1].role')
      expect(typed.message).to.include('must be string')
      expect(rig.fake.totalConnections).to.equal(before)
    })

    it('content, thinking, tool_name and tool_call_id are strings', async () => {
      await refused(say([{ role: 'user', content: 42 }]), 'messages[0].content', 'messages[0].content must be string')
      await refused(say([{ role: 'assistant', content: '', thinking: ['a'] }]), 'messages[0].thinking', 'must be string')
      await refused(say([...hi, { role: 'tool', content: 'sunny', tool_name: 5 }]), 'messages[1].tool_name', 'must be string')
      await refused(say([...hi, { role: 'tool', content: 'sunny', tool_call_id: {} }]), 'messages[1].tool_call_id', 'must be string')
    })

    it('tool_calls: function.name required, arguments an object (not OpenAI-style JSON text)', async () => {
      await refused(say([...hi, { role: 'assistant', content: '', tool_calls: [{ function: { arguments: {} } }] }]), 'messages[1].tool_calls[0].function.name', 'is required')
      await refused(
        say([...hi, { role: 'assistant', content: '', tool_calls: [{ function: { name: 'weather', arguments: '{"city":"Paris"}' } }] }]),
        'messages[1].tool_calls[0].function.arguments',
        'messages[1].tool_calls[0].function.arguments must be object',
      )
      await refused(say([...hi, { role: 'assistant', content: '', tool_calls: [{ id: 'c1' }] }]), 'messages[1].tool_calls[0].function', 'is required')
      await refused(say([...hi, { role: 'assistant', content: '', tool_calls: [{ function: { name: 'w', arguments: {}, index: 'first' } }] }]), 'messages[1].tool_calls[0].function.index', 'must be integer')
    })

    it('a complete tool round trip passes unchanged', async () => {
      const messages = [
        ...hi,
        { role: 'assistant', content: '', thinking: 'need weather', tool_calls: [{ id: 'call_1', function: { index: 0, name: 'weather', arguments: { city: 'Paris' } } }] },
        { role: 'tool', content: 'sunny', tool_name: 'weather', tool_call_id: 'call_1' },
      ]
      await say(messages)
      expect(sentChat().messages).to.deep.equal(messages)
    })

    it('messages must be an array of objects', async () => {
      await refused(say('hello' as never), 'messages', 'messages must be array')
      await refused(say(['hello']), 'messages[0]', 'messages[0] must be object')
    })
  })

  describe('tools (the raw wire form)', () => {
    const weather = {
      type: 'function',
      function: {
        name: 'weather',
        description: 'Weather in a city',
        parameters: {
          type: 'object',
          required: ['city'],
          properties: {
            city: { type: 'string', description: 'City' },
            unit: { type: ['string', 'null'], enum: ['C', 'F', null] },
            when: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
            where: { type: 'object', properties: { lat: { type: 'number' } } },
          },
        },
      },
    }

    it('a full tool passes and reaches the server unchanged', async () => {
      await chat({ tools: [weather] })
      expect(sentChat().tools).to.deep.equal([weather])
    })

    it('a tool without parameters passes (the server does not require them)', async () => {
      const bare = { type: 'function', function: { name: 'now' } }
      await chat({ tools: [bare] })
      expect(sentChat().tools).to.deep.equal([bare])
    })

    const broken: Array<[string, unknown, string, string]> = [
      ['no function', { type: 'function' }, 'tools[0].function', 'tools[0].function is required'],
      ['no type', { function: { name: 'w' } }, 'tools[0].type', 'tools[0].type is required'],
      ['an empty name', { type: 'function', function: { name: '' } }, 'tools[0].function.name', 'must not be empty'],
      ['parameters as text', { type: 'function', function: { name: 'w', parameters: '{}' } }, 'tools[0].function.parameters', 'must be object'],
      ['required not a list', { type: 'function', function: { name: 'w', parameters: { type: 'object', required: 'city' } } }, 'tools[0].function.parameters.required', 'must be array'],
      [
        'a property description that is not text',
        { type: 'function', function: { name: 'w', parameters: { type: 'object', properties: { city: { type: 'string', description: 5 } } } } },
        'tools[0].function.parameters.properties.city.description',
        'must be string',
      ],
      [
        'a nested property of the wrong kind',
        { type: 'function', function: { name: 'w', parameters: { type: 'object', properties: { where: { type: 'object', properties: { lat: 'number' } } } } } },
        'tools[0].function.parameters.properties.where.properties.lat',
        'must be object',
      ],
      [
        'an anyOf branch with a bad type',
        { type: 'function', function: { name: 'w', parameters: { type: 'object', properties: { when: { anyOf: [{ type: 3 }] } } } } },
        'tools[0].function.parameters.properties.when.anyOf[0].type',
        'must be a string or an array of strings',
      ],
    ]
    for (const [what, tool, field, says] of broken) {
      it(`${what} → ${field}, nothing sent`, async () => {
        await refused(chat({ tools: [tool] }), field, says)
      })
    }
  })

  describe('images', () => {
    it('bytes, a file path and base64 pass and are sent as base64', async () => {
      const bytes = Buffer.from(PNG, 'base64')
      await rig.client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'look', images: [bytes, PNG] }] })
      expect(sentChat().messages[0].images).to.deep.equal([PNG, PNG])
    })

    it('an image that is neither bytes, an existing path nor base64 → RequestError naming messages[0].images[1], nothing sent', async () => {
      const error = await refused(
        rig.client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'look', images: [PNG, './no/such/picture.png'] }] }),
        'messages[0].images[1]',
        'messages[0].images[1] is neither an existing file nor base64 text',
      )
      expect(error.message).to.include('./no/such/picture.png')
    })

    it('generate: the field is images[i]; a non-array images is a schema error', async () => {
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', images: [PNG, { not: 'an image' } as never] }), 'images[1]', 'images[1] must be bytes')
      await refused(rig.client.generate({ model: 'llama3.2', prompt: 'p', images: PNG as never }), 'images', 'images must be array')
    })
  })

  describe('unknown fields', () => {
    it('an unknown top-level field and an unknown option reach the server untouched', async () => {
      const future = { nested: [1, 'two', null, { deep: true }] }
      await rig.client.chat({ model: 'llama3.2', messages: hi, x_future_field: future, options: { temperature: 0.1, x_future_option: 'kept' } } as never)
      expect(sentChat()).to.deep.equal({ model: 'llama3.2', messages: hi, x_future_field: future, options: { temperature: 0.1, x_future_option: 'kept' }, stream: false })
      await rig.client.generate({ model: 'llama3.2', prompt: 'p', aspect_ratio: '16:9' } as never)
      expect((rig.fake.lastRequest('/api/generate')!.body as any).aspect_ratio).to.equal('16:9')
    })

    it('unknown fields inside messages and tools pass too', async () => {
      const messages = [{ role: 'user', content: 'hi', x_meta: { id: 1 } }]
      const tools = [{ type: 'function', x_tool: true, function: { name: 'w', x_fn: 1, parameters: { type: 'object', additionalProperties: false, properties: {} } } }]
      await rig.client.chat({ model: 'llama3.2', messages, tools } as never)
      expect(sentChat().messages).to.deep.equal(messages)
      expect(sentChat().tools).to.deep.equal(tools)
    })
  })

  describe('every error comes before a socket is opened', () => {
    it('stream: false and stream: true reject; stream: parent mails ollixir.error (its promise resolves at once with the Task)', async () => {
      const bad = { model: 'llama3.2', messages: hi, options: { num_ctx: 'x' } }
      for (const stream of [false, true]) {
        const error = await rejection(rig.client.chat({ ...bad, stream } as never))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('options.num_ctx')
      }
      const inbox = new Inbox()
      await rig.client.chat({ ...bad, stream: inbox } as never)
      const event: any = await inbox.until('ollixir.error')
      expect(event.reason).to.be.instanceOf(RequestError)
      expect(event.reason.field).to.equal('options.num_ctx')
      expect(inbox.types).to.not.include('ollixir.data')
      expect(rig.fake.requests).to.have.length(0)
      expect(rig.fake.totalConnections).to.equal(0)
    })
  })

  describe('validate: false', () => {
    let loose: Ollixir
    beforeEach(() => {
      loose = Ollixir.init({ host: rig.fake.host, retry: false, validate: false })
    })
    afterEach(() => loose.close())

    it("think: 'extreme' reaches the server, which answers 400 as Ollama does", async () => {
      const error = await rejection(loose.chat({ model: 'llama3.2', messages: hi, think: 'extreme' as never }))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(400)
      expect(error.message).to.equal('invalid think value: "extreme" (must be "high", "medium", "low", "max", true, or false)')
      expect((rig.fake.lastRequest('/api/chat')!.body as any).think).to.equal('extreme')
      expect(rig.fake.totalConnections).to.be.greaterThan(0)
    })

    it('top_logprobs: 50 and think: 1 reach the server too, and so does a missing model', async () => {
      const range = await rejection(loose.generate({ model: 'llama3.2', prompt: 'p', logprobs: true, top_logprobs: 50 }))
      expect(range).to.be.instanceOf(ResponseError)
      expect(range).to.include({ status: 400, message: 'top_logprobs must be between 0 and 20' })
      const type = await rejection(loose.generate({ model: 'llama3.2', prompt: 'p', think: 1 as never }))
      expect(type).to.include({ status: 400, message: 'think must be a boolean or string ("high", "medium", "low", "max", true, or false)' })
      const model = await rejection(loose.chat({ messages: hi } as never))
      expect(model).to.include({ status: 400, message: 'model is required' })
      expect(rig.fake.requests.map((r) => r.path)).to.deep.equal(['/api/generate', '/api/generate', '/api/chat'])
    })

    it('a type the server tolerates goes through as it is', async () => {
      const reply = await loose.chat({ model: 'llama3.2', messages: hi, keep_alive: '-1', options: { num_ctx: 'big' as never } })
      expect(reply.done).to.equal(true)
      expect(rig.fake.lastRequest('/api/chat')!.body).to.deep.equal({ model: 'llama3.2', messages: hi, keep_alive: '-1', options: { num_ctx: 'big' }, stream: false })
    })

    it('images are still encoded, so an image that is none of the three still fails before sending', async () => {
      const error = await rejection(loose.generate({ model: 'llama3.2', prompt: 'p', images: [12 as never] }))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('images[0]')
      expect(rig.fake.totalConnections).to.equal(0)
    })
  })
})
