import { expect } from 'chai'
import { assign, createActor, setup } from 'xstate'
import { AbortError, ResponseError, type OllixirEvent } from '../src/index.js'
import { eventually, hi, Inbox, sleep, useRig, TRANSPORTS } from './support/helpers.js'

type Chunk = { message: { content: string }; done: boolean }

/** The chunks an inbox received, batches flattened, in the order they came. */
const chunksOf = (inbox: Inbox): Chunk[] => inbox.events.flatMap((e) => (e.type === 'ollixir.chunks' ? (e.data as Chunk[]) : e.type === 'ollixir.data' ? [e.data as Chunk] : []))
const contentOf = (inbox: Inbox) => chunksOf(inbox).map((c) => c.message.content).join('')
/** The event types with each batch shown once, e.g. `['chunks', 'chunks', 'ok', 'down']`. */
const kinds = (inbox: Inbox) => inbox.types.map((t) => t.replace('ollixir.', ''))

const words = Array.from({ length: 40 }, (_, i) => `w${i} `)

for (const { name: transport, options: over } of TRANSPORTS)
describe(`coalesced delivery (stream: parent, coalesce: true) [${transport}]`, () => {
  const rig = useRig(over)

  it('one read, one event: chunks written at once arrive as one ollixir.chunks, then ok and down', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], writeBytes: 1 << 20 })
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true })
    await inbox.until('ollixir.down')
    expect(kinds(inbox)).to.deep.equal(['chunks', 'ok', 'down'])
    const batch = inbox.events[0]!
    expect(batch).to.include({ taskId: task.id })
    expect(chunksOf(inbox).map((c) => [c.message.content, c.done])).to.deep.equal([['a', false], ['b', false], ['c', false], ['', true]])
    expect(await task.await()).to.have.nested.property('message.content', 'abc')
    expect(rig.fake.lastRequest('/api/chat')!.body).to.not.have.property('coalesce')
  })

  it('keeps every chunk in order when reads cut lines anywhere, and never sends ollixir.data', async () => {
    rig.fake.enqueue('chat', { text: words, writeBytes: 50 })
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true })
    await inbox.until('ollixir.down')
    expect(contentOf(inbox)).to.equal(words.join(''))
    expect(chunksOf(inbox)).to.have.length(words.length + 1)
    expect(inbox.types).to.not.include('ollixir.data')
    expect(inbox.events.filter((e) => e.type === 'ollixir.chunks').every((e) => e.type === 'ollixir.chunks' && e.data.length > 0), 'no empty batch').to.equal(true)
    expect(inbox.types.slice(-2)).to.deep.equal(['ollixir.ok', 'ollixir.down'])
  })

  it('spaced chunks come one batch each: the same events a UI would re-render on', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], chunkDelayMs: 30 })
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true })
    await inbox.until('ollixir.down')
    expect(inbox.events.filter((e) => e.type === 'ollixir.chunks').map((e) => (e.type === 'ollixir.chunks' ? e.data.length : 0))).to.deep.equal([1, 1, 1, 1])
  })

  it('an error line after chunks: the chunks before it, then the error, last', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], errorLineAfter: 2, errorLine: 'model runner has unexpectedly stopped', writeBytes: 1 << 20 })
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true })
    await inbox.until('ollixir.down')
    expect(kinds(inbox)).to.deep.equal(['chunks', 'error', 'down'])
    expect(contentOf(inbox)).to.equal('ab')
    const error = inbox.events[1]!
    expect(error.type === 'ollixir.error' && error.reason).to.be.instanceOf(ResponseError)
    expect(task.status).to.equal('error')
  })

  it('a connection dropped mid-stream: the chunks that came, then one error', async () => {
    rig.fake.enqueue('chat', { text: words, dropAfter: 5, chunkDelayMs: 5 })
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true })
    await inbox.until('ollixir.down')
    expect(contentOf(inbox)).to.equal(words.slice(0, 5).join(''))
    expect(inbox.types.filter((t) => t === 'ollixir.error')).to.have.length(1)
    expect(inbox.types.slice(-2)).to.deep.equal(['ollixir.error', 'ollixir.down'])
  })

  it('abort mid-stream: an AbortError after the batches that came, nothing after it', async () => {
    rig.fake.enqueue('chat', { text: words, chunkDelayMs: 10 })
    const controller = new AbortController()
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true, signal: controller.signal })
    await inbox.until('ollixir.chunks')
    controller.abort()
    const error = await inbox.until('ollixir.error')
    expect(error.type === 'ollixir.error' && error.reason).to.be.instanceOf(AbortError)
    const after = inbox.events.length
    await sleep(100)
    expect(inbox.events.slice(after).map((e) => e.type)).to.deep.equal(inbox.events.length > after ? ['ollixir.down'] : [])
    expect(inbox.types.slice(inbox.types.indexOf('ollixir.error'))).to.not.include('ollixir.chunks')
    await rig.fake.waitForClientClose()
  })

  it('backpressure: a paused task delivers no batch until resumed, and loses nothing', async () => {
    rig.fake.enqueue('chat', { text: words, chunkDelayMs: 5 })
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, coalesce: true })
    await inbox.until('ollixir.chunks')
    task.flow(true)
    await sleep(20)
    const atPause = inbox.events.length
    await sleep(150)
    expect(inbox.events.length, 'nothing while paused').to.equal(atPause)
    task.flow(false)
    await inbox.until('ollixir.down')
    expect(contentOf(inbox)).to.equal(words.join(''))
  })

  it('a recipient that throws on a batch ends the task with ERECIPIENT, tried once', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b'], writeBytes: 1 << 20 })
    const received: string[] = []
    const task = await rig.client.chat({
      model: 'llama3.2',
      messages: hi,
      coalesce: true,
      stream: {
        send(event: { type: string }) {
          received.push(event.type)
          if (event.type === 'ollixir.chunks') throw new Error('the UI is gone')
        },
      },
    })
    const result = await task.yield(3000)
    expect(result && 'error' in result && result.error.code).to.equal('ERECIPIENT')
    expect(received.filter((t) => t === 'ollixir.chunks')).to.have.length(1)
  })

  it('without coalesce nothing changes: one ollixir.data per chunk', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], writeBytes: 1 << 20 })
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    await inbox.until('ollixir.down')
    expect(kinds(inbox)).to.deep.equal(['data', 'data', 'data', 'data', 'ok', 'down'])
  })

  it('an XState parent counts every chunk from its batches, and runs once per batch', async () => {
    rig.fake.enqueue('chat', { text: words, writeBytes: 1024 })
    let transitions = 0
    const counter = setup({ types: { context: {} as { chunks: number }, events: {} as OllixirEvent<Chunk, Chunk> } }).createMachine({
      context: { chunks: 0 },
      entry: ({ self }) => void rig.client.chat({ model: 'llama3.2', messages: hi, stream: self, coalesce: true }),
      initial: 'streaming',
      states: {
        streaming: {
          on: {
            'ollixir.chunks': { actions: assign({ chunks: ({ context, event }) => (transitions++, context.chunks + event.data.length) }) },
            'ollixir.ok': 'done',
          },
        },
        done: { type: 'final' },
      },
    })
    const actor = createActor(counter).start()
    await eventually(() => actor.getSnapshot().status === 'done')
    expect(actor.getSnapshot().context.chunks).to.equal(words.length + 1)
    expect(transitions).to.be.below(words.length + 1)
  })
})
