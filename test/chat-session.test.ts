import { expect } from 'chai'
import { assign, createActor, sendTo, setup, type ActorRefFrom, type AnyActorRef, type InspectionEvent } from 'xstate'
import {
  CHAT_SESSION_INTERRUPTED,
  CHAT_SESSION_REQUEST_ID,
  ConnectionError,
  createChatSession,
  Ollixir,
  ResponseError,
  type ChatSessionActorRef,
  type ChatSessionContext,
  type ChatSessionEmitted,
  type ChatSessionMessage,
  type OllamaStreamActorRef,
} from '../src/index.js'
import { eventually, sleep, useRig } from './support/helpers.js'

type Body = { model: string; messages: ChatSessionMessage[]; stream?: boolean; [key: string]: unknown }

describe('createChatSession: the LiveView chat as a ready-made machine', () => {
  const rig = useRig()

  /** Bodies of every /api/chat request the fake received, in order. */
  const chatBodies = (): Body[] => rig.fake.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as Body)
  const value = (actor: ChatSessionActorRef) => actor.getSnapshot().value
  const context = (actor: ChatSessionActorRef): ChatSessionContext => actor.getSnapshot().context
  const settled = (actor: ChatSessionActorRef) => eventually(() => value(actor) !== 'streaming', 3000, 'the session to leave streaming')
  const requestChild = (actor: ChatSessionActorRef) => actor.getSnapshot().children[CHAT_SESSION_REQUEST_ID] as OllamaStreamActorRef | undefined
  const longReply = (chunks = 200) => ({ text: Array.from({ length: chunks }, (_, i) => `w${i} `), chunkDelayMs: 15 })

  it('holds a multi-turn conversation; each request carries the system prompt and the whole history', async () => {
    rig.fake.enqueue('chat', { text: ['Hi', ' there!'] })
    rig.fake.enqueue('chat', { text: ['Paris', '.'] })
    const session = createChatSession({ client: rig.client, model: 'llama3.2', system: 'Answer briefly.', options: { temperature: 0.2 }, keepAlive: '5m', format: '' })
    const chat = createActor(session).start()
    expect(value(chat)).to.equal('idle')

    chat.send({ type: 'chat.send', content: 'Hello' })
    expect(value(chat)).to.equal('streaming')
    await settled(chat)
    chat.send({ type: 'chat.send', content: 'Capital of France?' })
    await settled(chat)

    expect(value(chat)).to.equal('idle')
    expect(context(chat).messages).to.deep.equal([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi there!' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ])
    expect(context(chat)).to.include({ current: '', currentThinking: '', error: null, model: 'llama3.2' })
    expect(context(chat).lastMetrics).to.include({ done_reason: 'stop' })
    expect(context(chat).lastMetrics?.eval_count).to.be.a('number')

    const [first, second] = chatBodies()
    const system = { role: 'system', content: 'Answer briefly.' }
    expect(first).to.deep.equal({ model: 'llama3.2', messages: [system, { role: 'user', content: 'Hello' }], options: { temperature: 0.2 }, keep_alive: '5m', format: '', stream: true })
    expect(second?.messages).to.deep.equal([system, ...context(chat).messages.slice(0, 3)])
    chat.stop()
  })

  it('grows current with every chunk, visible in the snapshot mid-stream', async () => {
    rig.fake.enqueue('chat', { text: ['The ', 'sky ', 'is ', 'blue.'], chunkDelayMs: 40 })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2' })).start()
    const seen: string[] = []
    chat.subscribe((snapshot) => {
      if (snapshot.value === 'streaming' && seen.at(-1) !== snapshot.context.current) seen.push(snapshot.context.current)
    })
    chat.send({ type: 'chat.send', content: 'Why?' })

    await eventually(() => context(chat).current === 'The sky ', 3000, 'two chunks')
    expect(value(chat)).to.equal('streaming')
    expect(context(chat).messages).to.deep.equal([{ role: 'user', content: 'Why?' }])
    await settled(chat)

    expect(seen).to.deep.equal(['', 'The ', 'The sky ', 'The sky is ', 'The sky is blue.'])
    expect(context(chat).messages.at(-1)).to.deep.equal({ role: 'assistant', content: 'The sky is blue.' })
    expect(context(chat).current).to.equal('')
    chat.stop()
  })

  it('keeps thinking apart from the content, in current* and in the history', async () => {
    rig.fake.enqueue('chat', { thinking: ['Rayleigh', ' scattering'], text: ['Short ', 'waves.'], chunkDelayMs: 30 })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2', think: true })).start()
    chat.send({ type: 'chat.send', content: 'Why blue?' })

    await eventually(() => context(chat).currentThinking === 'Rayleigh scattering' && context(chat).current === 'Short ', 3000, 'thinking then text')
    await settled(chat)

    expect(chatBodies()[0]).to.include({ think: true })
    expect(context(chat).messages[1]).to.deep.equal({ role: 'assistant', content: 'Short waves.', thinking: 'Rayleigh scattering' })
    expect(context(chat).currentThinking).to.equal('')
    chat.stop()
  })

  it('emits chat.delta per read with text (spaced chunks: one each), then chat.message; chat.error on failure; in order', async () => {
    rig.fake.enqueue('chat', { thinking: ['Hm'], text: ['a', 'b'], chunkDelayMs: 30 })
    rig.fake.enqueue('chat', { status: 503, error: 'busy' })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2', think: true })).start()
    const emitted: ChatSessionEmitted[] = []
    chat.on('*', (event) => emitted.push(event))

    chat.send({ type: 'chat.send', content: 'go' })
    await settled(chat)
    chat.send({ type: 'chat.send', content: 'again' })
    await settled(chat)

    expect(emitted.map((e) => e.type)).to.deep.equal(['chat.delta', 'chat.delta', 'chat.delta', 'chat.message', 'chat.error'])
    expect(emitted.slice(0, 4)).to.deep.equal([
      { type: 'chat.delta', content: '', thinking: 'Hm' },
      { type: 'chat.delta', content: 'a', thinking: '' },
      { type: 'chat.delta', content: 'b', thinking: '' },
      { type: 'chat.message', message: { role: 'assistant', content: 'ab', thinking: 'Hm' } },
    ])
    const failure = emitted[4] as Extract<ChatSessionEmitted, { type: 'chat.error' }>
    expect(failure.error).to.be.instanceOf(ResponseError)
    expect(failure.error).to.include({ status: 503, message: 'busy' })
    chat.stop()
  })

  it('a fast stream is one batch: one chat.delta and one snapshot for all its chunks, the reply whole', async () => {
    const words = Array.from({ length: 50 }, (_, i) => `w${i} `)
    rig.fake.enqueue('chat', { text: words, writeBytes: 1 << 20 })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2' })).start()
    const deltas: string[] = []
    chat.on('chat.delta', ({ content }) => deltas.push(content))
    let streamingSnapshots = 0
    chat.subscribe((snapshot) => void (snapshot.value === 'streaming' && streamingSnapshots++))
    chat.send({ type: 'chat.send', content: 'go' })
    await settled(chat)
    expect(deltas).to.deep.equal([words.join('')])
    // One on entering `streaming`, one for the batch.
    expect(streamingSnapshots).to.equal(2)
    expect(context(chat).messages.at(-1)).to.deep.equal({ role: 'assistant', content: words.join('') })
    chat.stop()
  })

  it('chat.cancel mid-stream closes the socket, discards the partial reply and keeps the user message', async () => {
    rig.fake.enqueue('chat', longReply())
    rig.fake.enqueue('chat', { text: 'Second try.' })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2' })).start()
    const cancelled: ChatSessionEmitted[] = []
    chat.on('chat.cancelled', (event) => cancelled.push(event))

    chat.send({ type: 'chat.send', content: 'Tell me a long story' })
    await eventually(() => context(chat).current.length >= 6, 3000, 'a few chunks')
    const closed = rig.fake.waitForClientClose()
    chat.send({ type: 'chat.cancel' })
    await closed

    expect(value(chat)).to.equal('idle')
    expect(context(chat)).to.include({ current: '', currentThinking: '', error: null })
    expect(context(chat).messages).to.deep.equal([{ role: 'user', content: 'Tell me a long story' }])
    expect(cancelled).to.have.length(1)
    expect((cancelled[0] as { partial: string }).partial).to.match(/^w0 w1 /)
    expect(requestChild(chat)).to.equal(undefined)
    await eventually(() => rig.fake.inFlight === 0, 2000, 'no response in flight')

    // The conversation goes on from a consistent history.
    chat.send({ type: 'chat.send', content: 'Short, please' })
    await settled(chat)
    expect(chatBodies()[1]?.messages).to.deep.equal([
      { role: 'user', content: 'Tell me a long story' },
      { role: 'user', content: 'Short, please' },
    ])
    expect(context(chat).messages.at(-1)).to.deep.equal({ role: 'assistant', content: 'Second try.' })
    chat.stop()
  })

  it('ignores chat.send while streaming (snapshot.can says so)', async () => {
    rig.fake.enqueue('chat', { text: ['slow ', 'reply'], chunkDelayMs: 60 })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2' })).start()
    chat.send({ type: 'chat.send', content: 'first' })
    expect(chat.getSnapshot().can({ type: 'chat.send', content: 'second' })).to.equal(false)
    chat.send({ type: 'chat.send', content: 'second' })
    await settled(chat)
    expect(context(chat).messages).to.deep.equal([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'slow reply' },
    ])
    expect(chatBodies()).to.have.length(1)
    expect(chat.getSnapshot().can({ type: 'chat.send', content: 'second' })).to.equal(true)
    chat.stop()
  })

  it('a mid-stream error lands in error with the history kept; chat.retry streams the same history again', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], errorLineAfter: 1, errorLine: 'out of memory' })
    rig.fake.enqueue('chat', { text: ['fine'] })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2' })).start()
    chat.send({ type: 'chat.send', content: 'Hello' })
    await settled(chat)

    expect(value(chat)).to.equal('error')
    expect(context(chat).messages).to.deep.equal([{ role: 'user', content: 'Hello' }])
    expect(context(chat).current).to.equal('a')
    expect(context(chat).error).to.deep.equal({ name: 'ResponseError', code: 'ESTREAM', message: 'out of memory', status: 200, retryable: false })
    expect(JSON.parse(JSON.stringify(context(chat)))).to.deep.equal(context(chat))

    chat.send({ type: 'chat.retry' })
    expect(context(chat)).to.include({ error: null, current: '' })
    await settled(chat)
    expect(value(chat)).to.equal('idle')
    const [failed, retried] = chatBodies()
    expect(retried?.messages).to.deep.equal(failed?.messages)
    expect(context(chat).messages).to.deep.equal([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'fine' },
    ])
    chat.stop()
  })

  it('HTTP errors, dropped and stalled streams all land in error, and chat.send from error asks again', async () => {
    const stalling = Ollixir.init({ host: rig.fake.host, retry: false, timeout: 150 })
    try {
      rig.fake.enqueue('chat', { status: 500, error: 'boom' })
      rig.fake.enqueue('chat', { text: ['x', 'y'], dropAfter: 1 })
      rig.fake.enqueue('chat', { text: ['x', 'y'], stallAfter: 1 })
      rig.fake.enqueue('chat', { text: 'recovered' })
      const chat = createActor(createChatSession({ client: stalling, model: 'llama3.2' })).start()
      const errors: unknown[] = []
      chat.on('chat.error', ({ error }) => errors.push(error))

      chat.send({ type: 'chat.send', content: 'one' })
      await settled(chat)
      expect(context(chat).error).to.deep.include({ name: 'ResponseError', status: 500, retryable: true, message: 'boom' })

      chat.send({ type: 'chat.send', content: 'two' })
      await settled(chat)
      expect(value(chat)).to.equal('error')
      expect(context(chat).error).to.include({ name: 'ConnectionError', host: stalling.host })

      chat.send({ type: 'chat.send', content: 'three' })
      await settled(chat)
      expect(context(chat).error).to.include({ name: 'ConnectionError', code: 'ETIMEDOUT' })
      expect(errors).to.have.length(3)
      expect(errors[1]).to.be.instanceOf(ConnectionError)

      chat.send({ type: 'chat.send', content: 'four' })
      await settled(chat)
      expect(value(chat)).to.equal('idle')
      expect(context(chat).messages.map((m) => `${m.role}:${m.content}`)).to.deep.equal(['user:one', 'user:two', 'user:three', 'user:four', 'assistant:recovered'])
      expect(chatBodies().at(-1)?.messages).to.have.length(4)
      chat.stop()
    } finally {
      stalling.close()
    }
  })

  it('chat.reset empties the history, closing the socket when it comes mid-stream', async () => {
    rig.fake.enqueue('chat', { text: 'first answer' })
    rig.fake.enqueue('chat', longReply())
    rig.fake.enqueue('chat', { text: 'clean slate' })
    const chat = createActor(createChatSession({ client: rig.client, model: 'llama3.2', system: 'Be kind.' })).start()
    chat.send({ type: 'chat.send', content: 'one' })
    await settled(chat)
    chat.send({ type: 'chat.send', content: 'two' })
    await eventually(() => context(chat).current.length > 0)
    const closed = rig.fake.waitForClientClose()
    chat.send({ type: 'chat.reset' })
    await closed

    expect(value(chat)).to.equal('idle')
    expect(context(chat)).to.deep.include({ messages: [], current: '', error: null, lastMetrics: null })
    chat.send({ type: 'chat.send', content: 'three' })
    await settled(chat)
    expect(chatBodies().at(-1)?.messages).to.deep.equal([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'three' },
    ])

    // From error too: the error goes with the history.
    rig.fake.enqueue('chat', { status: 500 })
    chat.send({ type: 'chat.send', content: 'four' })
    await settled(chat)
    expect(value(chat)).to.equal('error')
    chat.send({ type: 'chat.reset' })
    expect(value(chat)).to.equal('idle')
    expect(context(chat)).to.deep.include({ messages: [], error: null, lastMetrics: null })
    chat.stop()
  })

  it('input overrides the model and the initial history; images as bytes are kept as base64', async () => {
    rig.fake.addModel({ name: 'qwen3:8b' })
    rig.fake.enqueue('chat', { text: 'A cat.' })
    const session = createChatSession({ client: rig.client, model: 'llama3.2', messages: [{ role: 'user', content: 'ignored' }] })
    const history = [
      { role: 'user', content: 'Earlier question' },
      { role: 'assistant', content: 'Earlier answer' },
    ]
    const chat = createActor(session, { input: { model: 'qwen3:8b', messages: history } }).start()
    chat.send({ type: 'chat.send', content: 'What is this?', images: [new Uint8Array([1, 2, 3])] })
    await settled(chat)

    const body = chatBodies()[0]
    expect(body?.model).to.equal('qwen3:8b')
    expect(body?.messages).to.deep.equal([...history, { role: 'user', content: 'What is this?', images: ['AQID'] }])
    expect(context(chat).messages[2]).to.deep.equal({ role: 'user', content: 'What is this?', images: ['AQID'] })
    expect(context(chat).model).to.equal('qwen3:8b')
    chat.stop()
  })

  it('keeps plain objects in context even with a struct-mode client', async () => {
    const structs = Ollixir.init({ host: rig.fake.host, retry: false, responseFormat: 'struct' })
    try {
      rig.fake.enqueue('chat', { text: ['x', 'y'], toolCalls: [{ function: { name: 'weather', arguments: { city: 'Paris' } } }] })
      const chat = createActor(createChatSession({ client: structs, model: 'llama3.2' })).start()
      chat.send({ type: 'chat.send', content: 'Weather?' })
      await settled(chat)
      const reply = context(chat).messages[1]
      expect(Object.getPrototypeOf(reply)).to.equal(Object.prototype)
      expect(reply).to.deep.equal({ role: 'assistant', content: 'xy', tool_calls: [{ function: { name: 'weather', arguments: { city: 'Paris' } } }] })
      expect(chatBodies()[0]).to.not.have.property('responseFormat')
      chat.stop()
    } finally {
      structs.close()
    }
  })

  it('runs invoked in a parent machine; the request actor and its events show in the inspector', async () => {
    rig.fake.enqueue('chat', { text: ['Bonjour', '!'] })
    const session = createChatSession({ client: rig.client, model: 'llama3.2' })
    const app = setup({
      types: { context: {} as { messages: ChatSessionMessage[]; busy: boolean }, events: {} as { type: 'ask'; text: string } },
      actors: { session },
    }).createMachine({
      context: { messages: [], busy: false },
      invoke: {
        id: 'chat',
        src: 'session',
        onSnapshot: { actions: assign(({ event }) => ({ messages: event.snapshot.context.messages, busy: event.snapshot.value === 'streaming' })) },
      },
      on: { ask: { actions: sendTo('chat', ({ event }) => ({ type: 'chat.send' as const, content: event.text })) } },
    })
    const inspected: InspectionEvent[] = []
    const parent = createActor(app, { inspect: (event) => inspected.push(event) }).start()
    parent.send({ type: 'ask', text: 'Say hello in French' })
    await eventually(() => parent.getSnapshot().context.messages.length === 2)

    expect(parent.getSnapshot().context).to.deep.equal({
      messages: [
        { role: 'user', content: 'Say hello in French' },
        { role: 'assistant', content: 'Bonjour!' },
      ],
      busy: false,
    })
    const child = parent.getSnapshot().children.chat as ActorRefFrom<typeof session>
    expect(child.getSnapshot().value).to.equal('idle')
    const idOf = (ref: unknown) => (ref as AnyActorRef | undefined)?.id
    const actors = inspected.filter((e) => e.type === '@xstate.actor').map((e) => idOf(e.actorRef))
    expect(actors).to.include.members(['chat', CHAT_SESSION_REQUEST_ID])
    const data = inspected.filter((e) => e.type === '@xstate.event' && e.event.type === 'ollixir.chunks')
    expect(data.length).to.be.greaterThan(0)
    expect(data.map((e) => `${e.type === '@xstate.event' ? idOf(e.sourceRef) : ''}->${idOf(e.actorRef)}`)).to.deep.equal(data.map(() => `${CHAT_SESSION_REQUEST_ID}->chat`))
    parent.stop()
  })

  it('stopping the parent mid-stream closes the socket of the session it invoked', async () => {
    rig.fake.enqueue('chat', longReply())
    const session = createChatSession({ client: rig.client, model: 'llama3.2' })
    const app = setup({ actors: { session } }).createMachine({ invoke: { id: 'chat', src: 'session' } })
    const parent = createActor(app).start()
    const child = parent.getSnapshot().children.chat as ActorRefFrom<typeof session>
    child.send({ type: 'chat.send', content: 'Long story' })
    await eventually(() => child.getSnapshot().context.current.length > 0)
    const closed = rig.fake.waitForClientClose()
    parent.stop()
    await closed
    await eventually(() => rig.fake.inFlight === 0, 2000, 'no response in flight')
  })

  it('round-trips getPersistedSnapshot() through JSON and goes on with the conversation after restoring', async () => {
    const keyed = Ollixir.init({ host: rig.fake.host, retry: false, apiKey: 'sk-secret-key' })
    try {
      rig.fake.enqueue('chat', { thinking: 'Hmm', text: ['Four', '.'] })
      rig.fake.enqueue('chat', { text: ['Eight', '.'] })
      const session = createChatSession({ client: keyed, model: 'llama3.2', system: 'Be exact.' })
      const chat = createActor(session).start()
      chat.send({ type: 'chat.send', content: '2+2?' })
      await settled(chat)
      const json = JSON.stringify(chat.getPersistedSnapshot())
      const before = context(chat)
      chat.stop()
      expect(json).to.not.include('sk-secret-key')
      expect(json).to.not.include(rig.fake.host)

      // A new process: a new machine from the same factory, restored from the JSON.
      const again = createChatSession({ client: keyed, model: 'llama3.2', system: 'Be exact.' })
      const restored = createActor(again, { snapshot: JSON.parse(json) }).start()
      expect(restored.getSnapshot().value).to.equal('idle')
      expect(restored.getSnapshot().context).to.deep.equal(before)

      restored.send({ type: 'chat.send', content: 'Times two?' })
      await settled(restored)
      expect(chatBodies()[1]?.messages).to.deep.equal([
        { role: 'system', content: 'Be exact.' },
        { role: 'user', content: '2+2?' },
        { role: 'assistant', content: 'Four.', thinking: 'Hmm' },
        { role: 'user', content: 'Times two?' },
      ])
      expect(restored.getSnapshot().context.messages.at(-1)).to.deep.equal({ role: 'assistant', content: 'Eight.' })
      restored.stop()
    } finally {
      keyed.close()
    }
  })

  it('a snapshot persisted mid-stream restores in error (EINTERRUPTED), and chat.retry asks again', async () => {
    rig.fake.enqueue('chat', longReply())
    rig.fake.enqueue('chat', { text: 'Whole answer.' })
    const session = createChatSession({ client: rig.client, model: 'llama3.2' })
    const chat = createActor(session).start()
    chat.send({ type: 'chat.send', content: 'Story?' })
    await eventually(() => context(chat).current.length > 0)
    const json = JSON.stringify(chat.getPersistedSnapshot())
    expect(JSON.parse(json).children[CHAT_SESSION_REQUEST_ID].snapshot.context).to.deep.equal({ method: 'chat', model: 'llama3.2', phase: 'streaming', httpStatus: 200 })
    expect(json).to.not.include(rig.fake.host)
    const closed = rig.fake.waitForClientClose()
    chat.stop()
    await closed

    const requests = rig.fake.requests.length
    const restored = createActor(session, { snapshot: JSON.parse(json) }).start()
    await eventually(() => restored.getSnapshot().value === 'error')
    expect(restored.getSnapshot().context.error).to.include({ code: CHAT_SESSION_INTERRUPTED })
    expect(restored.getSnapshot().context.messages).to.deep.equal([{ role: 'user', content: 'Story?' }])
    expect(requestChild(restored)).to.equal(undefined)
    expect(rig.fake.requests.length, 'nothing was sent again').to.equal(requests)
    // A machine derived with provide() restores the same way.
    const derived = createActor(session.provide({}), { snapshot: JSON.parse(json) }).start()
    await eventually(() => derived.getSnapshot().value === 'error')
    derived.stop()

    restored.send({ type: 'chat.retry' })
    await settled(restored)
    expect(restored.getSnapshot().context.messages.at(-1)).to.deep.equal({ role: 'assistant', content: 'Whole answer.' })
    restored.stop()
  })

  it('leaks no socket when the session actor is stopped mid-stream, even on a stalled stream', async () => {
    rig.fake.enqueue('chat', longReply())
    rig.fake.enqueue('chat', { text: ['a', 'b'], stallAfter: 1 })
    const session = createChatSession({ client: rig.client, model: 'llama3.2' })

    const first = createActor(session).start()
    first.send({ type: 'chat.send', content: 'one' })
    await eventually(() => context(first).current.length >= 6)
    const request = requestChild(first)
    expect(request?.getSnapshot().context).to.include({ phase: 'streaming', httpStatus: 200 })
    let closed = rig.fake.waitForClientClose()
    first.stop()
    await closed
    expect(request?.getSnapshot().status).to.equal('stopped')

    const second = createActor(session).start()
    second.send({ type: 'chat.send', content: 'two' })
    await eventually(() => context(second).current === 'a')
    await sleep(30)
    expect(rig.fake.inFlight).to.equal(1)
    closed = rig.fake.waitForClientClose()
    second.stop()
    await closed
    await eventually(() => rig.fake.inFlight === 0, 2000, 'no response in flight')
    expect(rig.fake.closedResponses).to.equal(2)
  })
})
