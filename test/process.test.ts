import { expect } from 'chai'
import { assign, createActor, setup } from 'xstate'
import { AbortError, ResponseError, Task, type OllixirEvent } from '../src/index.js'
import { eventually, hi, Inbox, sleep, useRig, TRANSPORTS } from './support/helpers.js'

for (const { name: transport, options: over } of TRANSPORTS)
describe(`process mode (stream: parent) [${transport}]`, () => {
  const rig = useRig(over)

  it('resolves at once with a Task and sends data…, ok, down in that order', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'] })
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    expect(task).to.be.instanceOf(Task)
    expect(task.status).to.equal('running')
    await inbox.until('ollixir.down')
    expect(inbox.types).to.deep.equal(['ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.ok', 'ollixir.down'])
    const data = inbox.events.filter((e) => e.type === 'ollixir.data')
    expect(data.every((e) => e.type === 'ollixir.data' && e.taskId === task.id)).to.equal(true)
    const ok = inbox.events.find((e) => e.type === 'ollixir.ok')!
    expect(ok).to.include({ taskRef: task.ref })
    expect(ok.type === 'ollixir.ok' && ok.response.status).to.equal(200)
    expect(ok.type === 'ollixir.ok' && ok.response.headers['content-type']).to.match(/x-ndjson/)
    expect(ok.type === 'ollixir.ok' && (ok.response.body as { message: { content: string } }).message.content).to.equal('abc')
    expect(inbox.events.at(-1)).to.deep.equal({ type: 'ollixir.down', taskRef: task.ref, reason: 'normal' })
    expect(task.status).to.equal('ok')
    expect(task.id).to.not.equal(task.ref)
  })

  it('await() resolves with the merged body; yield() gives { ok }', async () => {
    rig.fake.enqueue('generate', { text: ['x', 'y'], thinking: ['t1', 't2'] })
    const task = await rig.client.generate({ model: 'llama3.2', prompt: 'p', think: true, stream: new Inbox() })
    const body = await task.await()
    expect(body.response).to.equal('xy')
    expect(body.thinking).to.equal('t1t2')
    expect(await task.yield(10)).to.deep.equal({ ok: body })
  })

  it('an error line ends the task with ResponseError after the data before it; down is normal', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], errorLineAfter: 2, errorLine: 'model runner has unexpectedly stopped' })
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    await inbox.until('ollixir.down')
    expect(inbox.types).to.deep.equal(['ollixir.data', 'ollixir.data', 'ollixir.error', 'ollixir.down'])
    const error = inbox.events[2]!
    expect(error.type === 'ollixir.error' && error.reason).to.be.instanceOf(ResponseError)
    expect(error.type === 'ollixir.error' && error.reason.message).to.equal('model runner has unexpectedly stopped')
    expect(inbox.events[3]).to.include({ reason: 'normal' })
    expect(task.status).to.equal('error')
    const awaited = await task.await().then(
      () => null,
      (e: unknown) => e,
    )
    expect(awaited).to.equal(error.type === 'ollixir.error' ? error.reason : undefined)
    expect(await task.yield()).to.deep.equal({ error: error.type === 'ollixir.error' ? error.reason : undefined })
  })

  it('demonitor() stops the down event', async () => {
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    expect(task.demonitor({ flush: true })).to.equal(true)
    await task.await()
    await sleep(20)
    expect(inbox.types).to.not.include('ollixir.down')
    expect(inbox.types.at(-1)).to.equal('ollixir.ok')
  })

  it('shutdown() aborts the request, closes the socket, and nothing follows', async () => {
    rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'x'), chunkDelayMs: 10 })
    const inbox = new Inbox()
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    await inbox.until('ollixir.data')
    const closed = rig.fake.waitForClientClose()
    task.shutdown()
    await closed
    const count = inbox.events.length
    await sleep(50)
    expect(inbox.events.length).to.equal(count)
    expect(inbox.types).to.not.include('ollixir.ok').and.not.include('ollixir.error')
    expect(task.status).to.equal('cancelled')
    expect(await task.yield(10)).to.equal(null)
  })

  it('shutdown() works while the model is still loading (before headers)', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 5000, text: 'late' })
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: new Inbox() })
    await eventually(() => rig.fake.inFlight === 1, 2000, 'request reached the server')
    const closed = rig.fake.waitForClientClose()
    task.shutdown()
    await closed
    expect(task.status).to.equal('cancelled')
  })

  it('await(timeout) rejects with ETASKTIMEOUT and shuts the task down', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 5000, text: 'late' })
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: new Inbox() })
    const error = await task.await(50).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.have.property('code', 'ETASKTIMEOUT')
    expect(task.status).to.equal('cancelled')
    await rig.fake.waitForClientClose()
  })

  it('yield(timeout) returns null and leaves the task running', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 100, text: 'ok' })
    const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: new Inbox() })
    expect(await task.yield(10)).to.equal(null)
    expect(task.status).to.equal('running')
    expect(await task.yield(3000)).to.have.property('ok')
  })

  it('client.abort() ends every task with an AbortError event', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 5000, text: 'late' })
    rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'x'), chunkDelayMs: 10 })
    const first = new Inbox()
    const second = new Inbox()
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: first })
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: second })
    await second.until('ollixir.data')
    rig.client.abort()
    for (const inbox of [first, second]) {
      const event = await inbox.until('ollixir.error')
      expect(event.type === 'ollixir.error' && event.reason).to.be.instanceOf(AbortError)
    }
  })

  it('a { send } recipient that throws is treated as gone: the task ends with ERECIPIENT, the socket closes, nothing is thrown', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], chunkDelayMs: 20 })
    const received: string[] = []
    const task = await rig.client.chat({
      model: 'llama3.2',
      messages: hi,
      stream: {
        send(event: { type: string }) {
          received.push(event.type)
          throw new Error('the UI is gone')
        },
      },
    })
    const result = await task.yield(3000)
    expect(result && 'error' in result && result.error.code).to.equal('ERECIPIENT')
    expect(result && 'error' in result && result.error.message).to.contain('the UI is gone')
    expect(task.status).to.equal('error')
    await rig.fake.waitForClientClose()
    expect(received[0], 'it was tried once').to.equal('ollixir.data')
  })

  describe('with an XState parent', () => {
    const collector = setup({
      types: { context: {} as { text: string; events: string[]; task?: Task }, events: {} as OllixirEvent<any, any> | { type: 'start' } },
    }).createMachine({
      context: { text: '', events: [] },
      initial: 'idle',
      states: {
        idle: { on: { start: 'streaming' } },
        streaming: {
          entry: ({ self }) => {
            void rig.client.chat({ model: 'llama3.2', messages: hi, stream: self })
          },
          on: {
            'ollixir.data': { actions: assign({ text: ({ context, event }) => context.text + event.data.message.content, events: ({ context, event }) => [...context.events, event.type] }) },
            'ollixir.ok': { target: 'done', actions: assign({ events: ({ context, event }) => [...context.events, event.type] }) },
            'ollixir.error': { target: 'done', actions: assign({ events: ({ context, event }) => [...context.events, event.type] }) },
          },
        },
        done: {},
      },
    })

    it('the task joins the parent system: the parent inspector sees the request actor and its events', async () => {
      rig.fake.enqueue('chat', { text: ['x', 'y'] })
      const seen: string[] = []
      const actor = createActor(collector, {
        inspect: (event) => {
          if (event.type === '@xstate.event' && event.event.type.startsWith('ollixir.') && event.sourceRef) seen.push(`${(event.sourceRef as unknown as { id: string }).id}:${event.event.type}`)
        },
      }).start()
      actor.send({ type: 'start' })
      await eventually(() => actor.getSnapshot().value === 'done')
      expect(actor.getSnapshot().context.text).to.equal('xy')
      expect(seen.filter((s) => s.endsWith('ollixir.data'))).to.have.length(3)
      expect(seen.some((s) => /^ollixir\.chat\.\d+:ollixir\.ok$/.test(s))).to.equal(true)
      actor.stop()
    })

    it('stopping the parent shuts the task down and closes its socket (link)', async () => {
      rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'x'), chunkDelayMs: 10 })
      const actor = createActor(collector).start()
      actor.send({ type: 'start' })
      await eventually(() => actor.getSnapshot().context.text.length > 1)
      const closed = rig.fake.waitForClientClose()
      actor.stop()
      await closed
    })

    it('a failing parent shuts the task down too', async () => {
      rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'x'), chunkDelayMs: 10 })
      const fragile = setup({}).createMachine({
        entry: ({ self }) => {
          void rig.client.chat({ model: 'llama3.2', messages: hi, stream: self })
        },
        on: {
          'ollixir.data': {
            actions: () => {
              throw new Error('parent bug')
            },
          },
        },
      })
      const actor = createActor(fragile)
      actor.subscribe({ error: () => {} })
      const closed = rig.fake.waitForClientClose()
      actor.start()
      await closed
      expect(actor.getSnapshot().status).to.equal('error')
    })
  })
})
