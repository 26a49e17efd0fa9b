import { expect } from 'chai'
import { assign, createActor, setup, spawnChild, stopChild, type ActorRefFrom } from 'xstate'
import { ollamaStream, Ollixir, ResponseError, type OllixirEvent, type OllamaStreamInput } from '../src/index.js'
import { eventually, hi, useRig } from './support/helpers.js'

describe('ollamaStream inside machines', () => {
  const rig = useRig()

  const chatMachine = setup({
    types: {
      context: {} as { text: string; error?: unknown; events: string[] },
      events: {} as OllixirEvent<any, any> | { type: 'go' } | { type: 'leave' },
    },
    actors: { ollamaStream },
  })

  const invoker = chatMachine.createMachine({
    context: { text: '', events: [] },
    initial: 'idle',
    states: {
      idle: { on: { go: 'streaming' } },
      streaming: {
        invoke: { id: 'reply', src: 'ollamaStream', input: () => ({ client: rig.client, method: 'chat', request: { model: 'llama3.2', messages: hi } }) },
        on: {
          'ollixir.data': { actions: assign({ text: ({ context, event }) => context.text + event.data.message.content, events: ({ context, event }) => [...context.events, `${event.type}:${event.taskId}`] }) },
          'ollixir.ok': { target: 'done', actions: assign({ events: ({ context, event }) => [...context.events, `${event.type}:${event.taskRef}`] }) },
          'ollixir.error': { target: 'failed', actions: assign({ error: ({ event }) => event.reason }) },
          leave: 'idle',
        },
      },
      done: {},
      failed: {},
    },
  })

  it('invoke gets data… then ok, with taskId and taskRef equal to the invoked id', async () => {
    rig.fake.enqueue('chat', { text: ['one ', 'two'] })
    const actor = createActor(invoker).start()
    actor.send({ type: 'go' })
    await eventually(() => actor.getSnapshot().value === 'done')
    const { text, events } = actor.getSnapshot().context
    expect(text).to.equal('one two')
    expect(events).to.deep.equal(['ollixir.data:reply', 'ollixir.data:reply', 'ollixir.data:reply', 'ollixir.ok:reply'])
    actor.stop()
  })

  it('a machine persisted mid-stream and restored hears ollixir.error EINTERRUPTED: a stream is never replayed', async () => {
    rig.fake.enqueue('chat', { text: ['one ', 'two ', 'three'], chunkDelayMs: 200 })
    const actor = createActor(invoker).start()
    actor.send({ type: 'go' })
    await eventually(() => actor.getSnapshot().context.text !== '')
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()))
    actor.stop()
    await rig.fake.waitForClientClose()
    const requests = rig.fake.requests.length

    const restored = createActor(invoker, { snapshot: persisted }).start()
    await eventually(() => restored.getSnapshot().value === 'failed')
    const error = restored.getSnapshot().context.error as { code: string; message: string }
    expect(error.code).to.equal('EINTERRUPTED')
    expect(error.message).to.contain('restored from a persisted snapshot')
    expect(restored.getSnapshot().context.text, 'what arrived before is kept').to.equal('one ')
    expect(rig.fake.requests.length, 'nothing was sent again').to.equal(requests)
    restored.stop()
  })

  it('failures arrive as ollixir.error, never as an actor error', async () => {
    rig.fake.enqueue('chat', { status: 500, error: 'boom' })
    const actor = createActor(invoker).start()
    actor.send({ type: 'go' })
    await eventually(() => actor.getSnapshot().value === 'failed')
    expect(actor.getSnapshot().status).to.equal('active')
    expect(actor.getSnapshot().context.error).to.be.instanceOf(ResponseError)
    actor.stop()
  })

  it('a parent that handles no ollixir event at all survives a failing stream', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b'], dropAfter: 1 })
    const oblivious = setup({ actors: { ollamaStream } }).createMachine({
      invoke: { src: 'ollamaStream', input: () => ({ client: rig.client, method: 'chat' as const, request: { model: 'llama3.2', messages: hi } }) },
    })
    const actor = createActor(oblivious).start()
    const child = Object.values(actor.getSnapshot().children)[0] as ActorRefFrom<typeof ollamaStream>
    await eventually(() => child.getSnapshot().status === 'done', 3000, 'the child to finish')
    expect(child.getSnapshot().output).to.have.property('error')
    expect(actor.getSnapshot().status).to.equal('active')
    actor.stop()
  })

  it('leaving the invoking state aborts the request and closes the socket', async () => {
    rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'x'), chunkDelayMs: 10 })
    const actor = createActor(invoker).start()
    actor.send({ type: 'go' })
    await eventually(() => actor.getSnapshot().context.text.length >= 2)
    const closed = rig.fake.waitForClientClose()
    actor.send({ type: 'leave' })
    await closed
    expect(actor.getSnapshot().value).to.equal('idle')
    actor.stop()
  })

  it('spawnChild works the same, and stopChild closes the socket', async () => {
    rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'y'), chunkDelayMs: 10 })
    const spawner = chatMachine.createMachine({
      context: { text: '', events: [] },
      on: {
        go: { actions: spawnChild('ollamaStream', { id: 'side', input: () => ({ client: rig.client, method: 'chat', request: { model: 'llama3.2', messages: hi } }) }) },
        leave: { actions: stopChild('side') },
        'ollixir.data': { actions: assign({ text: ({ context, event }) => context.text + event.data.message.content }) },
      },
    })
    const actor = createActor(spawner).start()
    actor.send({ type: 'go' })
    await eventually(() => actor.getSnapshot().context.text.length >= 3)
    const child = actor.getSnapshot().children.side as ActorRefFrom<typeof ollamaStream>
    expect(child.getSnapshot().context).to.include({ method: 'chat', model: 'llama3.2', phase: 'streaming', httpStatus: 200 })
    const closed = rig.fake.waitForClientClose()
    actor.send({ type: 'leave' })
    await closed
    actor.stop()
  })

  it('the client (and its API key) never shows in inspection events', async () => {
    const secretClient = new Ollixir({ host: rig.fake.host, apiKey: 'sk-very-secret', headers: { 'x-private': 'hush' }, retry: false })
    const machine = setup({ actors: { ollamaStream } }).createMachine({
      initial: 'run',
      states: {
        run: {
          invoke: { src: 'ollamaStream', input: (): OllamaStreamInput => ({ client: secretClient, method: 'chat', request: { model: 'llama3.2', messages: hi } }), onDone: 'done' },
        },
        done: { type: 'final' },
      },
    })
    const serialised: string[] = []
    const actor = createActor(machine, { inspect: (event) => serialised.push(JSON.stringify(event, (_k, v) => (typeof v === 'object' && v && 'system' in v && 'id' in v ? `actor:${v.id}` : v))) })
    actor.start()
    await eventually(() => actor.getSnapshot().status === 'done')
    const all = serialised.join('\n')
    expect(all).to.include('ollixir.data')
    expect(all).to.not.include('sk-very-secret')
    expect(all).to.not.include('hush')
    expect(rig.fake.lastRequest('/api/chat')?.headers.authorization).to.equal('Bearer sk-very-secret')
    secretClient.close()
  })
})
