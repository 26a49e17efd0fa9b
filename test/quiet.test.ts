import { expect } from 'chai'
import sinon from 'sinon'
import { createActor, setup } from 'xstate'
import { eventually, hi, Inbox, rejection, useRig } from './support/helpers.js'

describe('ollixir never prints', () => {
  const rig = useRig({ timeout: 200 })
  let spies: sinon.SinonSpy[]

  beforeEach(() => {
    spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((name) => sinon.spy(console, name))
  })
  afterEach(() => sinon.restore())

  it('not for malformed lines, error lines, drops, stalls, aborts or stopped parents', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b'], malformedAfter: 1 })
    rig.fake.enqueue('chat', { text: ['a', 'b'], errorLineAfter: 1, errorLine: 'boom' })
    rig.fake.enqueue('chat', { text: ['a', 'b'], dropAfter: 1 })
    rig.fake.enqueue('chat', { text: ['a', 'b'], stallAfter: 1 })
    for (let i = 0; i < 4; i++) await rejection((async () => (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })).collect())())
    await rejection(rig.client.chat({ model: 'missing', messages: hi }))
    await rejection(rig.client.chat({ model: '', messages: hi }))

    const inbox = new Inbox()
    rig.fake.enqueue('chat', { text: ['a', 'b'], dropAfter: 1 })
    await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
    await inbox.until('ollixir.down')

    const machine = setup({}).createMachine({ entry: ({ self }) => void rig.client.chat({ model: 'llama3.2', messages: hi, stream: self }) })
    const actor = createActor(machine).start()
    actor.stop()

    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
    stream.abort()
    await rejection(stream.collect())

    for (const spy of spies) expect(spy.callCount, `console.${String(spy)}`).to.equal(0)
  })
})

describe('stream: true with a signal', () => {
  const rig = useRig()

  it('aborting while the model is still loading (before headers) rejects the call and closes the socket', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 5000, text: 'late' })
    const controller = new AbortController()
    const call = rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, signal: controller.signal })
    await eventually(() => rig.fake.inFlight === 1)
    const closed = rig.fake.waitForClientClose()
    controller.abort()
    expect(await rejection(call)).to.have.property('name', 'AbortError')
    await closed
  })
})
