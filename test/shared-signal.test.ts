import { getEventListeners } from 'node:events'
import { expect } from 'chai'
import sinon from 'sinon'
import { AbortError, defineTool, runToolCalls, type OllixirErrorEvent } from '../src/index.js'
import { waitingOn } from '../src/abort-group.js'
import { eventually, hi, Inbox, rejection, useRig } from './support/helpers.js'

const CALLS = 100

/**
 * Issue 9, defect 10: one AbortSignal shared by many calls gets one listener, so
 * Node never prints MaxListenersExceededWarning; the abort still reaches every call,
 * and finished calls leave nothing on the signal.
 */
describe('one AbortSignal shared by 100 calls', () => {
  const rig = useRig()
  let warnings: Error[]
  let spies: sinon.SinonSpy[]
  const onWarning = (warning: Error) => warnings.push(warning)

  beforeEach(() => {
    warnings = []
    process.on('warning', onWarning)
    spies = [sinon.spy(process, 'emitWarning'), ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((name) => sinon.spy(console, name))]
  })
  afterEach(() => {
    process.off('warning', onWarning)
    sinon.restore()
  })

  /** No warning was emitted (process 'warning' fires on a later tick) and nothing printed. */
  async function expectSilence(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve))
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).to.deep.equal([])
    for (const spy of spies) expect(spy.callCount, String(spy)).to.equal(0)
  }

  it('plain calls: one listener on the signal while they run, none after, no warning', async () => {
    const controller = new AbortController()
    const { signal } = controller
    // Long enough for all of them to be at the server at once on a busy machine (100 ms was not).
    for (let i = 0; i < CALLS; i++) rig.fake.enqueue('chat', { text: 'hi', headersDelayMs: 1500 })
    const calls = Array.from({ length: CALLS }, () => rig.client.chat({ model: 'llama3.2', messages: hi, signal }))
    await eventually(() => rig.fake.inFlight === CALLS, 3000, 'every request at the server')
    expect(getEventListeners(signal, 'abort')).to.have.length(1)
    await Promise.all(calls)
    expect(waitingOn(signal)).to.equal(0)
    expect(getEventListeners(signal, 'abort')).to.have.length(0)
    await expectSilence()
  })

  it('streams in both modes and plain calls share it; the abort reaches every one', async () => {
    const controller = new AbortController()
    const { signal } = controller
    for (let i = 0; i < CALLS; i++) rig.fake.enqueue('chat', { text: 'late', headersDelayMs: 10_000 })
    const third = Math.floor(CALLS / 3)
    const plain = Array.from({ length: third }, () => rejection(rig.client.chat({ model: 'llama3.2', messages: hi, signal })))
    const enumerable = Array.from({ length: third }, () => rejection(rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, signal })))
    const inboxes = Array.from({ length: CALLS - 2 * third }, () => new Inbox())
    await Promise.all(inboxes.map((inbox) => rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox, signal })))
    await eventually(() => rig.fake.inFlight === CALLS, 5000, 'every request at the server')
    expect(getEventListeners(signal, 'abort')).to.have.length(1)

    controller.abort()
    const errors = [...(await Promise.all([...plain, ...enumerable])), ...(await Promise.all(inboxes.map(async (inbox) => ((await inbox.until('ollixir.error')) as OllixirErrorEvent).reason)))]
    expect(errors).to.have.length(CALLS)
    for (const error of errors) expect(error).to.be.instanceOf(AbortError)
    await eventually(() => rig.fake.inFlight === 0, 3000, 'every socket closed')
    expect(waitingOn(signal)).to.equal(0)
    await expectSilence()
  })

  it('calls made one after the other leave nothing behind on a long-lived signal', async () => {
    const { signal } = new AbortController()
    for (let i = 0; i < 30; i++) await rig.client.version({ signal })
    expect(getEventListeners(signal, 'abort')).to.have.length(0)
    expect(waitingOn(signal)).to.equal(0)
    await expectSilence()
  })

  it('runToolCalls: 30 tool calls sharing a signal add one listener, and all are cancelled by it', async () => {
    const controller = new AbortController()
    let started = 0
    const hang = defineTool({
      name: 'hang',
      run: (_args, { signal }) => {
        started++
        return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
      },
    })
    const calls = Array.from({ length: 30 }, () => ({ function: { name: 'hang', arguments: {} } }))
    const running = runToolCalls(calls, [hang], { signal: controller.signal, timeout: 10_000 })
    await eventually(() => started === 30, 2000, 'every tool running')
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(1)
    controller.abort()
    const outcomes = await running
    expect(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.reason))).to.deep.equal(Array(30).fill('aborted'))
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(0)
    await expectSilence()
  })
})
