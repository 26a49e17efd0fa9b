import { expect } from 'chai'
import {
  ChatResponse,
  defineTool,
  planToolCalls,
  RequestError,
  runToolCall,
  runToolCalls,
  Tool,
  toolMessages,
  type ChatResponseWire,
  type MessageInput,
} from '../src/index.js'
import { Inbox, hi, rejection, sentBody, sleep, useRig } from './support/helpers.js'

const weather = defineTool({
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, units: { enum: ['metric', 'imperial'] } },
    required: ['city'],
  },
  run: ({ city, units }) => ({ city, units: units ?? 'metric', temp: 21 }),
})

const add = defineTool({
  name: 'add',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  run: ({ a, b }) => a + b,
})

const call = (name: string, args: unknown, id?: string) => ({ ...(id ? { id } : {}), function: { name, arguments: args as Record<string, unknown> } })

describe('tools', () => {
  const rig = useRig()

  describe('defineTool', () => {
    it('sends defined tools as Ollama tool objects, next to raw ones, in order', async () => {
      const raw = { type: 'function', function: { name: 'raw_tool', parameters: { type: 'object', properties: {} } } }
      await rig.client.chat({ model: 'llama3.2', messages: hi, tools: [weather, raw, add] })
      expect(sentBody(rig.fake, '/api/chat').tools).to.deep.equal([
        { type: 'function', function: { name: 'get_weather', description: 'Current weather in a city', parameters: weather.parameters } },
        raw,
        { type: 'function', function: { name: 'add', parameters: add.parameters } },
      ])
    })

    it('serialises to the wire form, so a tool can be put in JSON as it is', () => {
      expect(JSON.parse(JSON.stringify(add))).to.deep.equal(add.toWire())
      expect(Tool.isTool(add)).to.equal(true)
      expect(Tool.isTool(add.toWire())).to.equal(false)
    })

    it('a tool without parameters takes no arguments', () => {
      const now = defineTool({ name: 'now', run: () => 'noon' })
      expect(now.toWire().function.parameters).to.deep.equal({ type: 'object', properties: {} })
    })

    it('rejects a bad definition where it is written, naming the field', () => {
      const bad = [
        [() => defineTool({ name: '' }), 'name'],
        [() => defineTool({ name: 'x', parameters: { type: 'string' } as never }), 'tools.x.parameters'],
        [() => defineTool({ name: 'y', parameters: { type: 'object', properties: { a: { type: 'strin' } } } }), 'tools.y.parameters'],
        [() => defineTool({ name: 'z', timeout: -5 }), 'tools.z.timeout'],
        [() => defineTool({ name: 'w', run: 'no' as never }), 'tools.w.run'],
      ] as const
      for (const [define, field] of bad) {
        expect(define).to.throw(RequestError).with.property('field', field)
      }
    })
  })

  describe('planToolCalls', () => {
    it('checks every call against its tool and explains what is wrong', () => {
      const plans = planToolCalls(
        [call('get_weather', { city: 'Paris' }), call('get_weather', { units: 'kelvin' }), call('launch', {}), call('add', '{"a": 1, "b": 2}'), call('add', '{a: 1')],
        [weather, add],
      )
      expect(plans.map((plan) => plan.refusal?.reason)).to.deep.equal([undefined, 'invalid-arguments', 'unknown-tool', undefined, 'invalid-arguments'])
      expect(plans[1]!.refusal!.message).to.equal(
        'Invalid arguments for "get_weather": arguments.city is required; arguments.units must be one of "metric", "imperial".',
      )
      expect(plans[2]!.refusal!.message).to.equal('There is no tool named "launch". Available tools: "get_weather", "add".')
      expect(plans[3]!.args, 'a JSON string is parsed').to.deep.equal({ a: 1, b: 2 })
      expect(plans[4]!.refusal!.message).to.match(/^Invalid arguments for "add": arguments are not valid JSON: "\{a: 1"/)
    })
  })

  describe('runToolCalls', () => {
    it('runs the calls of a reply and gives tool messages in call order, with tool_call_id when the call had an id', async () => {
      rig.fake.enqueue('chat', { text: '', toolCalls: [call('get_weather', { city: 'Paris' }, 'call_1'), call('add', { a: 2, b: 3 })] })
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, tools: [weather, add] })
      const outcomes = await runToolCalls(reply, [weather, add])
      expect(outcomes.map((outcome) => outcome.ok)).to.deep.equal([true, true])
      expect(toolMessages(outcomes)).to.deep.equal([
        { role: 'tool', tool_name: 'get_weather', content: '{"city":"Paris","units":"metric","temp":21}', tool_call_id: 'call_1' },
        { role: 'tool', tool_name: 'add', content: '5' },
      ])
    })

    it('runs calls concurrently', async () => {
      let running = 0
      let peak = 0
      const slow = defineTool({
        name: 'slow',
        run: async () => {
          running++
          peak = Math.max(peak, running)
          await sleep(40)
          running--
          return 'ok'
        },
      })
      const outcomes = await runToolCalls([call('slow', {}), call('slow', {}), call('slow', {})], [slow])
      expect(outcomes.every((outcome) => outcome.ok)).to.equal(true)
      expect(peak).to.equal(3)
    })

    it('a failing, a hanging and an invalid call each become an error message for the model; the others still run', async () => {
      let hungSignal: AbortSignal | undefined
      const boom = defineTool({
        name: 'boom',
        run: () => {
          throw new Error('disk on fire')
        },
      })
      const hang = defineTool({
        name: 'hang',
        timeout: 50,
        run: (_args, { signal }) => {
          hungSignal = signal
          return new Promise(() => {})
        },
      })
      const outcomes = await runToolCalls([call('boom', {}), call('hang', {}), call('add', { a: 'one', b: 2 }), call('add', { a: 1, b: 2 })], [boom, hang, add])
      expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.reason))).to.deep.equal(['failed', 'timeout', 'invalid-arguments', 'ok'])
      expect(toolMessages(outcomes).map((message) => message.content)).to.deep.equal([
        'Error: "boom" failed: disk on fire',
        'Error: "hang" did not finish within 50 ms.',
        'Error: Invalid arguments for "add": arguments.a must be number.',
        '3',
      ])
      expect(hungSignal?.aborted, 'the timed-out run is told through its signal').to.equal(true)
    })

    it('the runner timeout applies to tools without their own', async () => {
      const hang = defineTool({ name: 'hang', run: () => new Promise(() => {}) })
      const [outcome] = await runToolCalls([call('hang', {})], [hang], { timeout: 30 })
      expect(outcome).to.include({ ok: false, reason: 'timeout' })
    })

    it('an abort signal cancels the calls still running', async () => {
      const hang = defineTool({ name: 'hang', run: () => new Promise(() => {}) })
      const controller = new AbortController()
      const running = runToolCall(planToolCalls([call('hang', {})], [hang])[0]!, { signal: controller.signal })
      setTimeout(() => controller.abort(), 20)
      expect(await running).to.include({ ok: false, reason: 'aborted' })
    })

    it('a raw Ollama tool can be offered but not run', async () => {
      const raw = { type: 'function', function: { name: 'raw_tool', parameters: { type: 'object' } } }
      const [outcome] = await runToolCalls([call('raw_tool', {})], [raw])
      expect(outcome).to.include({ ok: false, reason: 'not-runnable' })
    })

    it('works on struct replies too', async () => {
      rig.fake.enqueue('chat', { text: '', toolCalls: [call('add', { a: 1, b: 1 })] })
      const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, tools: [add], responseFormat: 'struct' })
      expect(reply).to.be.instanceOf(ChatResponse)
      const [outcome] = await runToolCalls(reply, [add])
      expect(outcome).to.include({ ok: true, value: 2 })
    })
  })

  describe('tool calls in streamed chunks', () => {
    const calls = [call('get_weather', { city: 'Oslo' }), call('add', { a: 4, b: 4 }), call('get_weather', { city: 'Lima' })]

    it('stream: true: calls sent one per chunk are all gathered in the merged reply, in order', async () => {
      rig.fake.enqueue('chat', { text: 'Let me check.', toolCalls: calls, splitToolCalls: true })
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, tools: [weather, add], stream: true })
      const chunks = await stream.collect()
      expect(chunks.filter((chunk) => chunk.message.tool_calls).length, 'one chunk per call').to.equal(3)
      const reply = (await stream.task.await()) as ChatResponseWire
      expect(reply.message.tool_calls).to.deep.equal(calls)
      expect(reply.message.content).to.equal('Let me check.')
      const outcomes = await runToolCalls(reply, [weather, add])
      expect(outcomes.map((outcome) => outcome.ok && outcome.value)).to.deep.equal([{ city: 'Oslo', units: 'metric', temp: 21 }, 8, { city: 'Lima', units: 'metric', temp: 21 }])
    })

    it('process mode: the ok event carries every call', async () => {
      rig.fake.enqueue('chat', { text: '', toolCalls: calls, splitToolCalls: true })
      const inbox = new Inbox()
      await rig.client.chat({ model: 'llama3.2', messages: hi, tools: [weather, add], stream: inbox })
      const ok = await inbox.until('ollixir.ok')
      expect((ok as any).response.body.message.tool_calls).to.deep.equal(calls)
      expect(inbox.types.filter((type) => type === 'ollixir.data').length).to.be.greaterThan(3)
    })
  })

  it('a whole tool round trip: the second request carries the assistant calls and the tool answers', async () => {
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('add', { a: 20, b: 22 }, 'c1')] })
    rig.fake.enqueue('chat', { text: 'It is 42.' })
    const messages: MessageInput[] = [{ role: 'user', content: 'What is 20 + 22?' }]
    const first = await rig.client.chat({ model: 'llama3.2', messages, tools: [add] })
    messages.push(first.message, ...toolMessages(await runToolCalls(first, [add])))
    const second = await rig.client.chat({ model: 'llama3.2', messages, tools: [add] })
    expect(second.message.content).to.equal('It is 42.')
    expect(sentBody(rig.fake, '/api/chat').messages).to.deep.equal([
      { role: 'user', content: 'What is 20 + 22?' },
      { role: 'assistant', content: '', tool_calls: [call('add', { a: 20, b: 22 }, 'c1')] },
      { role: 'tool', tool_name: 'add', content: '42', tool_call_id: 'c1' },
    ])
  })

  it('a malformed raw tool is refused before anything is sent', async () => {
    const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi, tools: [{ type: 'function', function: {} } as never] }))
    expect(error).to.be.instanceOf(RequestError)
    expect(error.field).to.equal('tools[0].function.name')
    expect(rig.fake.requests).to.have.length(0)
  })
})
