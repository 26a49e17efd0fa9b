import { expect } from 'chai'
import { assign, createActor, setup, waitFor, type AnyActorRef, type InspectionEvent } from 'xstate'
import {
  createAgent,
  defineTool,
  ResponseError,
  type AgentActorRef,
  type AgentEmitted,
  type AgentMessage,
  type AgentOptions,
  type AgentOutput,
} from '../src/index.js'
import { eventually, sleep, useRig } from './support/helpers.js'

type Body = { model: string; messages: AgentMessage[]; tools?: unknown[]; [key: string]: unknown }

const idOf = (ref: unknown): string | undefined => (ref as AnyActorRef | undefined)?.id

const call = (name: string, args: Record<string, unknown>, id?: string) => ({ ...(id ? { id } : {}), function: { name, arguments: args } })

/** A tool that never finishes; `signal()` is the AbortSignal its run was given. */
function hangingTool() {
  let signal: AbortSignal | undefined
  const hang = defineTool({
    name: 'hang',
    run: (_args, context) => {
      signal = context.signal
      return new Promise(() => {})
    },
  })
  return { hang, signal: () => signal }
}

const weather = defineTool({
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  run: ({ city }) => ({ city, temp: 21 }),
})

const add = defineTool({
  name: 'add',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  run: ({ a, b }) => a + b,
})

describe('createAgent: a multi-turn tool-calling agent machine', () => {
  const rig = useRig()
  const actors: AnyActorRef[] = []
  afterEach(() => {
    for (const actor of actors.splice(0)) actor.stop()
  })

  /** Bodies of every /api/chat request the fake received, in order. */
  const chatBodies = (): Body[] => rig.fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Body)

  /** A started agent actor, stopped after the test; emitted events recorded in `emitted`. */
  const start = (options: Partial<AgentOptions> = {}, input?: Parameters<typeof createActor<ReturnType<typeof createAgent>>>[1]) => {
    const agent = createAgent({ client: rig.client, model: 'llama3.2', tools: [weather, add], ...options })
    const actor = createActor(agent, input)
    const emitted: AgentEmitted[] = []
    actor.on('*', (event) => emitted.push(event))
    actors.push(actor)
    actor.start()
    return { agent, actor, emitted }
  }
  const settle = (actor: AgentActorRef, state: 'idle' | 'failed' | 'done' | 'awaitingApproval' = 'idle') =>
    waitFor(actor, (snapshot) => snapshot.value === state, { timeout: 4000 })
  const context = (actor: AgentActorRef) => actor.getSnapshot().context

  it('runs a two-tool turn, feeds the results back in call order, and rests with the answer', async () => {
    rig.fake.enqueue('chat', { thinking: 'Need both.', text: '', toolCalls: [call('get_weather', { city: 'Paris' }, 'call_1'), call('add', { a: 2, b: 3 }, 'call_2')] })
    rig.fake.enqueue('chat', { text: ['It is 21 degrees', ' and 2+3=5.'] })
    const inspected: InspectionEvent[] = []
    const { actor, emitted } = start({ system: 'Use tools.', options: { temperature: 0 } }, { inspect: (event) => inspected.push(event) })
    const persisted: string[] = []
    actor.subscribe(() => persisted.push(JSON.stringify(actor.getPersistedSnapshot())))
    expect(actor.getSnapshot().value).to.equal('idle')
    actor.send({ type: 'agent.ask', content: 'Weather in Paris, and 2+3?' })
    expect(actor.getSnapshot().value).to.equal('streaming')
    await settle(actor)

    const [first, second] = chatBodies()
    expect(first).to.deep.include({ model: 'llama3.2', options: { temperature: 0 }, stream: true })
    expect(first!.tools).to.deep.equal([weather.toWire(), add.toWire()])
    expect(first!.messages).to.deep.equal([
      { role: 'system', content: 'Use tools.' },
      { role: 'user', content: 'Weather in Paris, and 2+3?' },
    ])
    const assistant = {
      role: 'assistant',
      content: '',
      thinking: 'Need both.',
      tool_calls: [call('get_weather', { city: 'Paris' }, 'call_1'), call('add', { a: 2, b: 3 }, 'call_2')],
    }
    expect(second!.messages).to.deep.equal([
      { role: 'system', content: 'Use tools.' },
      { role: 'user', content: 'Weather in Paris, and 2+3?' },
      assistant,
      { role: 'tool', tool_name: 'get_weather', content: '{"city":"Paris","temp":21}', tool_call_id: 'call_1' },
      { role: 'tool', tool_name: 'add', content: '5', tool_call_id: 'call_2' },
    ])
    expect(chatBodies()).to.have.length(2)

    const done = context(actor)
    expect(done).to.deep.include({ answer: 'It is 21 degrees and 2+3=5.', stopReason: 'answer', turn: 2, runTurns: 2, current: '', error: null })
    expect(done.messages.at(-1)).to.deep.equal({ role: 'assistant', content: 'It is 21 degrees and 2+3=5.' })
    expect(done.steps.map((step) => step.type)).to.deep.equal(['user', 'reply', 'tool', 'tool', 'reply', 'stop'])
    const toolSteps = done.steps.filter((step) => step.type === 'tool')
    expect(toolSteps.map((step) => [step.name, step.ok, step.content])).to.have.deep.members([
      ['get_weather', true, '{"city":"Paris","temp":21}'],
      ['add', true, '5'],
    ])
    for (const step of toolSteps) expect(step.durationMs).to.be.a('number')
    expect(done.steps[1]).to.deep.equal({ type: 'reply', turn: 1, content: '', thinking: 'Need both.', toolCalls: [{ index: 0, name: 'get_weather', args: { city: 'Paris' } }, { index: 1, name: 'add', args: { a: 2, b: 3 } }] })

    const types = emitted.map((event) => event.type)
    expect(types.filter((type) => type === 'agent.toolCall')).to.have.length(2)
    expect(types.filter((type) => type === 'agent.toolResult')).to.have.length(2)
    expect(types.at(-1)).to.equal('agent.answer')
    const deltas = emitted.filter((event) => event.type === 'agent.delta')
    expect(deltas.map((event) => event.thinking).join(''), 'thinking streams apart from the text').to.equal('Need both.')
    expect(deltas.map((event) => event.content).join('')).to.equal('It is 21 degrees and 2+3=5.')
    const result = emitted.find((event) => event.type === 'agent.toolResult' && event.name === 'get_weather')
    expect(result).to.deep.include({ ok: true, value: { city: 'Paris', temp: 21 } })

    // Real XState children with readable ids, seen by the inspector.
    const spawned = inspected.filter((event) => event.type === '@xstate.actor').map((event) => idOf(event.actorRef))
    expect(spawned).to.include.members(['model.1', 'tool.1.0.get_weather', 'tool.1.1.add', 'model.2'])
    expect(Object.keys(actor.getSnapshot().children), 'no child left behind').to.deep.equal([])
    // Every snapshot on the way was JSON.
    expect(persisted.length).to.be.greaterThan(3)
    expect(persisted.some((json) => json.includes('"callingTools"'))).to.equal(true)
  })

  it('streams the model with coalesce: a burst of chunks is one agent.delta with their text joined', async () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i} `)
    rig.fake.enqueue('chat', { text: words, writeBytes: 1 << 20 })
    const { actor, emitted } = start()
    actor.send({ type: 'agent.ask', content: 'Go' })
    await settle(actor)
    const deltas = emitted.filter((event) => event.type === 'agent.delta')
    expect(deltas).to.deep.equal([{ type: 'agent.delta', turn: 1, content: words.join(''), thinking: '' }])
    expect(context(actor).answer).to.equal(words.join(''))
  })

  it('runs the calls of a turn concurrently', async () => {
    const started: string[] = []
    let release!: () => void
    const bothStarted = new Promise<void>((resolve) => (release = resolve))
    const slow = (name: string) =>
      defineTool({
        name,
        run: async () => {
          started.push(name)
          if (started.length === 2) release()
          await bothStarted // never resolves unless the other call has started too
          return `${name} done`
        },
      })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('one', {}), call('two', {})] })
    rig.fake.enqueue('chat', { text: 'Both done.' })
    const { actor } = start({ tools: [slow('one'), slow('two')], toolTimeout: 1500 }, { input: { prompt: 'Go' } })
    await settle(actor, 'done')
    expect(started).to.have.members(['one', 'two'])
    expect(chatBodies()[1]!.messages.slice(-2)).to.deep.equal([
      { role: 'tool', tool_name: 'one', content: 'one done' },
      { role: 'tool', tool_name: 'two', content: 'two done' },
    ])
  })

  it('feeds a failing tool back to the model as a tool message, and the model answers', async () => {
    const boom = defineTool({
      name: 'boom',
      run: () => {
        throw new Error('disk on fire')
      },
    })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('boom', {}), call('add', { a: 1, b: 1 })] })
    rig.fake.enqueue('chat', { text: 'The disk is on fire; 1+1=2.' })
    const { actor, emitted } = start({ tools: [boom, add] }, { input: { prompt: 'Try' } })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(chatBodies()[1]!.messages.slice(-2)).to.deep.equal([
      { role: 'tool', tool_name: 'boom', content: 'Error: "boom" failed: disk on fire' },
      { role: 'tool', tool_name: 'add', content: '2' },
    ])
    expect(output).to.deep.include({ answer: 'The disk is on fire; 1+1=2.', stopReason: 'answer', turns: 2 })
    expect(emitted.find((event) => event.type === 'agent.toolResult' && event.name === 'boom')).to.deep.include({ ok: false, reason: 'failed' })
  })

  it('times a hanging tool out (its signal aborts) and tells the model', async () => {
    const { hang, signal: signalOf } = hangingTool()
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('hang', {})] })
    rig.fake.enqueue('chat', { text: 'It timed out.' })
    const { actor } = start({ tools: [hang], toolTimeout: 60 }, { input: { prompt: 'Wait' } })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(chatBodies()[1]!.messages.at(-1)).to.deep.equal({ role: 'tool', tool_name: 'hang', content: 'Error: "hang" did not finish within 60 ms.' })
    expect(output.steps.find((step) => step.type === 'tool')).to.deep.include({ ok: false, reason: 'timeout' })
    expect(signalOf()?.aborted).to.equal(true)
    expect(output.answer).to.equal('It timed out.')
  })

  it('feeds an unknown tool and invalid arguments back to the model without running anything', async () => {
    let ran = 0
    const counted = defineTool({
      name: 'add',
      parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
      run: ({ a, b }) => (ran++, a + b),
    })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('launch_rockets', { n: 3 }), call('add', { a: 'one', b: 2 })] })
    rig.fake.enqueue('chat', { text: 'I cannot do that.' })
    const inspected: InspectionEvent[] = []
    const { actor } = start({ tools: [counted] }, { input: { prompt: 'Launch' }, inspect: (event) => inspected.push(event) })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(chatBodies()[1]!.messages.slice(-2)).to.deep.equal([
      { role: 'tool', tool_name: 'launch_rockets', content: 'Error: There is no tool named "launch_rockets". Available tools: "add".' },
      { role: 'tool', tool_name: 'add', content: 'Error: Invalid arguments for "add": arguments.a must be number.' },
    ])
    expect(ran).to.equal(0)
    expect(inspected.filter((event) => event.type === '@xstate.actor').map((event) => idOf(event.actorRef)).filter((id) => id?.startsWith('tool.'))).to.deep.equal([])
    expect(output.steps.filter((step) => step.type === 'tool').map((step) => step.type === 'tool' && step.reason)).to.deep.equal(['unknown-tool', 'invalid-arguments'])
    expect(output).to.deep.include({ answer: 'I cannot do that.', stopReason: 'answer' })
  })

  it('agent.cancel mid-stream closes the socket and rests with the history consistent', async () => {
    rig.fake.enqueue('chat', { text: ['Once ', 'upon ', 'a ', 'time'], chunkDelayMs: 10, stallAfter: 2 })
    const { actor } = start()
    actor.send({ type: 'agent.ask', content: 'Tell a story' })
    await eventually(() => context(actor).current.length > 0)
    expect(actor.getSnapshot().children['model.1']).to.not.equal(undefined)
    const closed = rig.fake.waitForClientClose()
    actor.send({ type: 'agent.cancel' })
    await closed
    expect(actor.getSnapshot().value).to.equal('idle')
    expect(context(actor)).to.deep.include({ stopReason: 'cancelled', current: '', answer: null })
    expect(context(actor).messages).to.deep.equal([{ role: 'user', content: 'Tell a story' }])
    expect(actor.getSnapshot().children).to.deep.equal({})

    // It goes on afterwards.
    rig.fake.enqueue('chat', { text: 'Short one.' })
    actor.send({ type: 'agent.ask', content: 'A short one then' })
    await settle(actor)
    expect(context(actor)).to.deep.include({ answer: 'Short one.', stopReason: 'answer', turn: 2, runTurns: 1 })
  })

  it('agent.cancel while a tool hangs aborts its signal, keeps the finished results and answers the rest "cancelled"', async () => {
    const { hang, signal: signalOf } = hangingTool()
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('add', { a: 1, b: 2 }), call('hang', {}, 'h1')] })
    const { actor, emitted } = start({ tools: [add, hang] }, { input: { prompt: 'Go', once: false } })
    await eventually(() => signalOf() !== undefined && context(actor).calls[0]?.status === 'done')
    expect(actor.getSnapshot().value).to.equal('callingTools')
    expect(Object.keys(actor.getSnapshot().children)).to.deep.equal(['tool.1.1.hang'])
    actor.send({ type: 'agent.cancel' })
    expect(signalOf()!.aborted).to.equal(true)
    expect(actor.getSnapshot().value).to.equal('idle')
    expect(context(actor).stopReason).to.equal('cancelled')
    expect(context(actor).messages.slice(-2)).to.deep.equal([
      { role: 'tool', tool_name: 'add', content: '3' },
      { role: 'tool', tool_name: 'hang', content: 'Error: the call was cancelled by the user before it finished.', tool_call_id: 'h1' },
    ])
    expect(emitted.find((event) => event.type === 'agent.toolResult' && event.name === 'hang')).to.deep.include({ ok: false, reason: 'cancelled' })
    expect(actor.getSnapshot().children).to.deep.equal({})
    await sleep(30)
    expect(chatBodies(), 'no request after the cancel').to.have.length(1)
  })

  it('asks for approval before running the listed tools; approved calls run', async () => {
    let sent = 0
    const sendEmail = defineTool({
      name: 'send_email',
      parameters: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] },
      run: ({ to }) => (sent++, `sent to ${to}`),
    })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('send_email', { to: 'bob' }), call('add', { a: 1, b: 1 })] })
    rig.fake.enqueue('chat', { text: 'Email sent.' })
    const { actor, emitted } = start({ tools: [sendEmail, add], approve: ['send_email'] }, { input: { prompt: 'Mail Bob' } })
    await settle(actor, 'awaitingApproval')
    expect(sent).to.equal(0)
    expect(context(actor).pending.map((pending) => [pending.index, pending.name, pending.args])).to.deep.equal([[0, 'send_email', { to: 'bob' }]])
    expect(emitted.find((event) => event.type === 'agent.approvalNeeded')).to.deep.include({ turn: 1 })
    expect(actor.getSnapshot().can({ type: 'agent.approve', index: 1 }), 'index 1 needs no approval').to.equal(false)
    await sleep(20)
    expect(chatBodies()).to.have.length(1)

    actor.send({ type: 'agent.approve', index: 0 })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(sent).to.equal(1)
    expect(chatBodies()[1]!.messages.slice(-2)).to.deep.equal([
      { role: 'tool', tool_name: 'send_email', content: 'sent to bob' },
      { role: 'tool', tool_name: 'add', content: '2' },
    ])
    expect(output.steps.filter((step) => step.type === 'approval')).to.deep.equal([{ type: 'approval', turn: 1, index: 0, name: 'send_email', approved: true }])
    expect(output.answer).to.equal('Email sent.')
  })

  it('a denied call is not run; the model is told and answers without it', async () => {
    let ran = 0
    const deleteAll = defineTool({ name: 'delete_all', run: () => (ran++, 'deleted') })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('delete_all', {}, 'd1')] })
    rig.fake.enqueue('chat', { text: 'Understood, nothing was deleted.' })
    const { actor, emitted } = start({ tools: [deleteAll], approve: (toolCall) => toolCall.name.startsWith('delete') }, { input: { prompt: 'Clean up' } })
    await settle(actor, 'awaitingApproval')
    actor.send({ type: 'agent.deny', reason: 'too risky' })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(ran).to.equal(0)
    const denial = chatBodies()[1]!.messages.at(-1)!
    expect(denial).to.include({ role: 'tool', tool_name: 'delete_all', tool_call_id: 'd1' })
    expect(denial.content).to.match(/^Error: the user denied this call \(too risky\)/)
    expect(emitted.find((event) => event.type === 'agent.toolResult')).to.deep.include({ ok: false, reason: 'denied' })
    expect(output.steps.find((step) => step.type === 'approval')).to.deep.equal({ type: 'approval', turn: 1, index: 0, name: 'delete_all', approved: false, reason: 'too risky' })
    expect(output).to.deep.include({ answer: 'Understood, nothing was deleted.', stopReason: 'answer' })
  })

  it('decides pending calls one by one by index; nothing runs before the last decision', async () => {
    const ran: string[] = []
    const echo = defineTool({ name: 'echo', parameters: { type: 'object', properties: { say: { type: 'string' } }, required: ['say'] }, run: ({ say }) => (ran.push(say), say) })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('echo', { say: 'one' }), call('echo', { say: 'two' })] })
    rig.fake.enqueue('chat', { text: 'Said one.' })
    const { actor } = start({ tools: [echo], approve: true }, { input: { prompt: 'Echo twice' } })
    await settle(actor, 'awaitingApproval')
    actor.send({ type: 'agent.deny', index: 1 })
    expect(actor.getSnapshot().value).to.equal('awaitingApproval')
    expect(context(actor).pending.map((pending) => pending.index)).to.deep.equal([0])
    expect(actor.getSnapshot().can({ type: 'agent.deny', index: 1 }), 'already decided').to.equal(false)
    await sleep(20)
    expect(ran).to.deep.equal([])
    actor.send({ type: 'agent.approve', index: 0 })
    await settle(actor, 'done')
    expect(ran).to.deep.equal(['one'])
    const [said, denied] = chatBodies()[1]!.messages.slice(-2)
    expect(said).to.deep.equal({ role: 'tool', tool_name: 'echo', content: 'one' })
    expect(denied!.content).to.match(/^Error: the user denied this call/)
  })

  it('agent.cancel while awaiting approval answers the waiting calls "cancelled" and runs nothing', async () => {
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('add', { a: 1, b: 1 })] })
    const { actor } = start({ approve: true })
    actor.send({ type: 'agent.ask', content: '1+1?' })
    await settle(actor, 'awaitingApproval')
    actor.send({ type: 'agent.cancel' })
    expect(actor.getSnapshot().value).to.equal('idle')
    expect(context(actor).messages.at(-1)).to.deep.equal({ role: 'tool', tool_name: 'add', content: 'Error: the call was cancelled by the user before it ran.' })
    expect(context(actor)).to.deep.include({ stopReason: 'cancelled', pending: [] })
  })

  it('restores from a JSON snapshot taken in awaitingApproval; agent.approve then runs the tool and the conversation finishes', async () => {
    let sent = 0
    const makeTools = () => [defineTool({ name: 'send_email', parameters: { type: 'object', properties: { to: { type: 'string' } } }, run: ({ to }) => (sent++, `sent to ${to}`) })]
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('send_email', { to: 'bob' }, 'e1')] })
    const first = start({ tools: makeTools(), approve: true }, { input: { prompt: 'Mail Bob' } }).actor
    await settle(first, 'awaitingApproval')
    const json = JSON.stringify(first.getPersistedSnapshot())
    first.stop()

    // Days later, another process: same config, new tool objects.
    rig.fake.enqueue('chat', { text: 'Done: Bob has it.' })
    const again = createAgent({ client: rig.client, model: 'llama3.2', tools: makeTools(), approve: true })
    const restored = createActor(again, { snapshot: JSON.parse(json) })
    actors.push(restored)
    restored.start()
    expect(restored.getSnapshot().value).to.equal('awaitingApproval')
    expect(restored.getSnapshot().context.pending.map((pending) => pending.name)).to.deep.equal(['send_email'])
    restored.send({ type: 'agent.approve' })
    const output = (await settle(restored, 'done')).output as AgentOutput
    expect(sent).to.equal(1)
    expect(chatBodies()).to.have.length(2)
    expect(chatBodies()[1]!.messages).to.deep.equal([
      { role: 'user', content: 'Mail Bob' },
      { role: 'assistant', content: '', tool_calls: [call('send_email', { to: 'bob' }, 'e1')] },
      { role: 'tool', tool_name: 'send_email', content: 'sent to bob', tool_call_id: 'e1' },
    ])
    expect(output).to.deep.include({ answer: 'Done: Bob has it.', stopReason: 'answer', turns: 2 })
  })

  it('a snapshot restored mid-stream sends the model request again; one restored mid-tool runs the call again', async () => {
    rig.fake.enqueue('chat', { text: ['Part', 'ial ', 'reply'], chunkDelayMs: 10, stallAfter: 1 })
    const first = start({}, { input: { prompt: 'Hi', once: false } }).actor
    await eventually(() => context(first).current.length > 0)
    const streaming = JSON.stringify(first.getPersistedSnapshot())
    first.stop()

    rig.fake.enqueue('chat', { text: 'Whole reply.' })
    const resumed = createActor(createAgent({ client: rig.client, model: 'llama3.2', tools: [weather, add] }), { snapshot: JSON.parse(streaming) })
    actors.push(resumed)
    resumed.start()
    expect(resumed.getSnapshot().context.current, 'the partial reply is dropped').to.equal('')
    await settle(resumed)
    expect(chatBodies()).to.have.length(2)
    expect(chatBodies()[1]!.messages).to.deep.equal(chatBodies()[0]!.messages)
    expect(context(resumed)).to.deep.include({ answer: 'Whole reply.', turn: 1 })

    // Mid-tool: the unfinished call runs again in the restored agent.
    let runs = 0
    let finish: (() => void) | undefined
    const slow = () => defineTool({ name: 'slow', run: () => (runs++, new Promise<string>((resolve) => (finish = () => resolve('slow done')))) })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('slow', {})] })
    const second = start({ tools: [slow()] }, { input: { prompt: 'Slow', once: false } }).actor
    await eventually(() => runs === 1)
    const calling = JSON.stringify(second.getPersistedSnapshot())
    second.stop()
    rig.fake.enqueue('chat', { text: 'Slow is done.' })
    const rerun = createActor(createAgent({ client: rig.client, model: 'llama3.2', tools: [slow()] }), { snapshot: JSON.parse(calling) })
    actors.push(rerun)
    rerun.start()
    expect(rerun.getSnapshot().value).to.equal('callingTools')
    await eventually(() => runs === 2)
    finish!()
    await settle(rerun)
    expect(context(rerun).messages.at(-2)).to.deep.equal({ role: 'tool', tool_name: 'slow', content: 'slow done' })
    expect(context(rerun).answer).to.equal('Slow is done.')
  })

  it('stops at maxTurns: the calls still asked for are not run and get "not run" tool messages', async () => {
    let runs = 0
    const ping = defineTool({ name: 'ping', run: () => (runs++, 'pong') })
    for (let i = 0; i < 3; i++) rig.fake.enqueue('chat', { text: '', toolCalls: [call('ping', {})] })
    const { actor } = start({ tools: [ping], maxTurns: 2 }, { input: { prompt: 'Ping forever' } })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(chatBodies()).to.have.length(2)
    expect(runs).to.equal(1)
    expect(output).to.deep.include({ stopReason: 'maxTurns', answer: null, turns: 2 })
    expect(output.messages.slice(-2)).to.deep.equal([
      { role: 'assistant', content: '', tool_calls: [call('ping', {})] },
      { role: 'tool', tool_name: 'ping', content: 'Error: not run: the agent reached its limit of 2 model turns.' },
    ])
    expect(output.steps.at(-1)).to.deep.equal({ type: 'stop', turn: 2, reason: 'maxTurns' })
  })

  it('maxTurns counts per run: a long-lived agent takes the next agent.ask with a fresh budget', async () => {
    const ping = defineTool({ name: 'ping', run: () => 'pong' })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('ping', {})] })
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('ping', {})] })
    rig.fake.enqueue('chat', { text: 'Pong.' })
    const { actor } = start({ tools: [ping], maxTurns: 1 })
    actor.send({ type: 'agent.ask', content: 'Ping' })
    await settle(actor)
    expect(context(actor)).to.deep.include({ stopReason: 'maxTurns', turn: 1 })
    actor.send({ type: 'agent.ask', content: 'Ping again' })
    await settle(actor)
    expect(context(actor)).to.deep.include({ stopReason: 'maxTurns', turn: 2 })
    actor.send({ type: 'agent.ask', content: 'Just answer' })
    await settle(actor)
    expect(context(actor)).to.deep.include({ stopReason: 'answer', answer: 'Pong.', turn: 3 })
    // Each turn's request carried the whole, consistent history.
    expect(chatBodies()[2]!.messages.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'tool', 'user', 'assistant', 'tool', 'user'])
  })

  it('a model error rests in failed with the history kept; agent.retry asks again with the same messages', async () => {
    rig.fake.enqueue('chat', { status: 500, error: 'model runner crashed' })
    rig.fake.enqueue('chat', { text: ['Par', 'tial'], errorLineAfter: 1, errorLine: 'out of memory' })
    rig.fake.enqueue('chat', { text: 'Finally.' })
    const { actor, emitted } = start()
    actor.send({ type: 'agent.ask', content: 'Hello' })
    await settle(actor, 'failed')
    expect(context(actor).error).to.deep.include({ name: 'ResponseError', status: 500, message: 'model runner crashed', retryable: true })
    expect(context(actor)).to.deep.include({ stopReason: 'error' })
    expect(context(actor).messages).to.deep.equal([{ role: 'user', content: 'Hello' }])
    const error = emitted.find((event) => event.type === 'agent.error')
    expect(error && error.type === 'agent.error' && error.error).to.be.instanceOf(ResponseError)

    actor.send({ type: 'agent.retry' })
    await settle(actor, 'failed')
    expect(context(actor).error).to.deep.include({ message: 'out of memory' })
    expect(context(actor).current, 'the part that came is kept for display').to.equal('Par')

    actor.send({ type: 'agent.retry' })
    await settle(actor)
    expect(context(actor)).to.deep.include({ answer: 'Finally.', error: null, stopReason: 'answer', turn: 1 })
    expect(chatBodies()).to.have.length(3)
    for (const body of chatBodies()) expect(body.messages).to.deep.equal([{ role: 'user', content: 'Hello' }])
    expect(context(actor).messages).to.deep.equal([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Finally.' },
    ])
  })

  it('a one-shot agent ends on a model error too, with stopReason "error" in its output', async () => {
    rig.fake.enqueue('chat', { status: 503, error: 'overloaded' })
    const { actor } = start({}, { input: { prompt: 'Hello' } })
    const output = (await settle(actor, 'done')).output as AgentOutput
    expect(output).to.deep.include({ stopReason: 'error', answer: null })
    expect(output.error).to.deep.include({ status: 503, message: 'overloaded' })
    expect(output.messages).to.deep.equal([{ role: 'user', content: 'Hello' }])
  })

  it('is invoked by a parent machine in a few lines; onDone gets the answer, the inspector sees every child', async () => {
    rig.fake.enqueue('chat', { text: '', toolCalls: [call('get_weather', { city: 'Oslo' })] })
    rig.fake.enqueue('chat', { text: 'Oslo: 21 degrees.' })
    const agent = createAgent({ client: rig.client, model: 'llama3.2', tools: [weather] })

    const app = setup({ types: { context: {} as { answer: string | null } }, actors: { agent } }).createMachine({
      context: { answer: null },
      initial: 'asking',
      states: {
        asking: {
          invoke: { id: 'agent', src: 'agent', input: { prompt: 'Weather in Oslo?' }, onDone: { target: 'answered', actions: assign({ answer: ({ event }) => event.output.answer }) } },
        },
        answered: { type: 'final' },
      },
    })

    const inspected: InspectionEvent[] = []
    const parent = createActor(app, { inspect: (event) => inspected.push(event) })
    actors.push(parent)
    parent.start()
    await waitFor(parent, (snapshot) => snapshot.status === 'done', { timeout: 4000 })
    expect(parent.getSnapshot().context.answer).to.equal('Oslo: 21 degrees.')
    const ids = inspected.filter((event) => event.type === '@xstate.actor').map((event) => idOf(event.actorRef))
    expect(ids).to.include.members(['agent', 'model.1', 'tool.1.0.get_weather', 'model.2'])
    const toolDone = inspected.find((event) => event.type === '@xstate.event' && event.event.type === 'xstate.done.actor.tool.1.0.get_weather')
    expect(toolDone && toolDone.type === '@xstate.event' && idOf(toolDone.actorRef)).to.equal('agent')
  })

  it('stopping a parent mid-stream closes the socket of the agent it invoked', async () => {
    rig.fake.enqueue('chat', { text: ['a ', 'b ', 'c '], chunkDelayMs: 10, stallAfter: 1 })
    const agent = createAgent({ client: rig.client, model: 'llama3.2', tools: [] })
    const app = setup({ actors: { agent } }).createMachine({ invoke: { id: 'agent', src: 'agent', input: { prompt: 'Hi' } } })
    const parent = createActor(app).start()
    await eventually(() => rig.fake.requests.length === 1)
    await sleep(30)
    const closed = rig.fake.waitForClientClose()
    parent.stop()
    await closed
  })

  it('rejects a bad configuration where it is written', () => {
    expect(() => createAgent({ client: rig.client, model: 'm', tools: [], maxTurns: 0 })).to.throw(/maxTurns/)
    expect(() => createAgent({ client: rig.client, model: '', tools: [] })).to.throw(/model/)
    expect(() => createAgent({ client: rig.client, model: 'm', tools: [], approve: 'yes' as never })).to.throw(/approve/)
  })
})
