import { expect } from 'chai'
import { getEventListeners } from 'node:events'
import { createActor, setup } from 'xstate'
import { AbortError, ConnectionError } from '../src/index.js'
import { eventually, hi, Inbox, useRig, TRANSPORTS } from './support/helpers.js'

/** Handles that would show a leak: sockets and timers. */
function handles(): { sockets: number; timers: number } {
  const info = process.getActiveResourcesInfo()
  return { sockets: info.filter((r) => r === 'TCPSocketWrap').length, timers: info.filter((r) => r === 'Timeout').length }
}

for (const { name: transport, options: over, spareConnections: spare } of TRANSPORTS)
describe(`lifecycle: connections, aborts, leaks [${transport}]`, () => {
  const rig = useRig(over)

  it('300 sequential streams (both modes) reuse keep-alive sockets and leak no socket, timer or listener', async function () {
    this.timeout(30_000)
    const signal = new AbortController().signal
    const parent = createActor(setup({}).createMachine({})).start()
    // Warm up once so the baseline includes the pooled socket.
    await (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })).collect()
    const before = handles()
    for (let i = 0; i < 150; i++) {
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, signal })
      expect((await stream.collect()).length).to.be.greaterThan(0)
      const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: parent, signal })
      await task.await()
    }
    await eventually(() => handles().sockets <= before.sockets && handles().timers <= before.timers, 2000, 'handles back to baseline')
    expect(rig.fake.totalConnections).to.be.at.most(3)
    expect(getEventListeners(signal, 'abort')).to.have.length(0)
    // The link to the parent is dropped when each task ends.
    expect((parent as unknown as { observers: Set<unknown> }).observers.size).to.equal(0)
    expect(rig.fake.openConnections).to.be.at.most(1 + spare)
    parent.stop()
  })

  it('a non-streaming call can be aborted before headers (model loading) with a signal', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 5000, text: 'late' })
    const controller = new AbortController()
    const call = rig.client.chat({ model: 'llama3.2', messages: hi, signal: controller.signal })
    await eventually(() => rig.fake.inFlight === 1)
    const closed = rig.fake.waitForClientClose()
    controller.abort()
    const error = await call.then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(AbortError)
    await closed
  })

  it('client.abort() aborts plain calls too', async () => {
    rig.fake.enqueue('generate', { headersDelayMs: 5000, text: 'late' })
    const call = rig.client.generate({ model: 'llama3.2', prompt: 'p' })
    await eventually(() => rig.fake.inFlight === 1)
    rig.client.abort()
    expect(await call.then(() => null, (e: unknown) => e)).to.be.instanceOf(AbortError)
  })

  it('an already-aborted signal rejects without sending anything', async () => {
    const error = await rig.client.version({ signal: AbortSignal.abort() }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(AbortError)
    expect(rig.fake.requests).to.have.length(0)
  })

  it('the per-call timeout is the wait for the next byte, also before headers', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 2000, text: 'late' })
    const started = Date.now()
    const error = await rig.client.chat({ model: 'llama3.2', messages: hi, timeout: 100 }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(ConnectionError)
    expect(error).to.have.property('code', 'ETIMEDOUT')
    expect(Date.now() - started).to.be.below(1500)
  })

  it('a slow model load within the timeout is waited for (no hidden cap)', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 300, text: 'loaded' })
    const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, timeout: 1000 })
    expect(reply.message.content).to.equal('loaded')
  })

  it('process mode: an HTTP error before any byte arrives as ollixir.error, then down', async () => {
    const inbox = new Inbox()
    await rig.client.chat({ model: 'absent', messages: hi, stream: inbox })
    await inbox.until('ollixir.down')
    expect(inbox.types).to.deep.equal(['ollixir.error', 'ollixir.down'])
  })
})
