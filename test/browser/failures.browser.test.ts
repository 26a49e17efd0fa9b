import { expect } from 'chai'
import { FakeOllama } from '../../src/testing/index.js'
import { useClientPage } from './client-page-rig.js'
import type { PageError, StreamOutcome } from './pages/client-page.js'

type Attempt = { ok: true; value: unknown } | { ok: false; error: PageError }

describe('Failures in Chromium: typed errors from the fetch transport', function () {
  this.timeout(20_000)
  const rig = useClientPage()

  it('a mid-stream {"error"} line ends the iteration with a ResponseError', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: ['a ', 'b ', 'c'], errorLineAfter: 2, errorLine: 'model runner has unexpectedly stopped' })
    const page = await rig.open()

    const outcome = await page.call<StreamOutcome>('streamChat', fake.url)

    expect(outcome.content).to.equal('a b ')
    expect(outcome.error).to.include({ name: 'ResponseError', message: 'model runner has unexpectedly stopped', ollixir: true })
  })

  it('the idle timeout fires when no byte comes, and closes the connection', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: ['a ', 'b ', 'c'], stallAfter: 1 })
    const page = await rig.open()
    const closed = fake.waitForClientClose(5000)

    const outcome = await page.call<StreamOutcome>('streamChat', fake.url, { clientOptions: { timeout: 300 } })

    expect(outcome.chunks).to.equal(1)
    expect(outcome.error).to.include({ name: 'ConnectionError', code: 'ETIMEDOUT', connectionError: true })
    expect(outcome.error?.message).to.include('300 ms')
    await closed
  })

  it('a model that is not there: 404 rejects stream: true and a plain call with ResponseError', async () => {
    const fake = await rig.fake()
    const page = await rig.open()
    const request = { model: 'not-pulled', messages: [{ role: 'user', content: 'Hi' }] }

    const streamed = await page.call<StreamOutcome>('streamChat', fake.url, { request })
    const whole = await page.call<Attempt>('call', fake.url, 'chat', request)

    for (const error of [streamed.error, whole.ok ? undefined : whole.error]) {
      expect(error).to.include({ name: 'ResponseError', status: 404 })
      expect(error?.message).to.include('not-pulled')
    }
  })

  it('a closed port is a ConnectionError (ENETWORK) that says how to start Ollama', async () => {
    const gone = await FakeOllama.start()
    const url = gone.url
    await gone.close()
    const page = await rig.open()

    const outcome = await page.call<Attempt>('call', url, 'list', {})

    expect(outcome.ok).to.equal(false)
    const error = (outcome as { error: PageError }).error
    expect(error).to.include({ name: 'ConnectionError', code: 'ENETWORK', connectionError: true })
    expect(error.message).to.include(url).and.include('ollama serve')
  })

  it('a page origin Ollama refuses (CORS) is a ConnectionError (ENETWORK) naming the origin and OLLAMA_ORIGINS', async () => {
    const fake = await rig.fake()
    // 127.0.0.2 is loopback too, but not in Ollama's default allowlist.
    const foreign = await rig.serve({ host: '127.0.0.2' })
    const page = await rig.open(foreign)

    const streamed = await page.call<StreamOutcome>('streamChat', fake.url)

    expect(streamed.error).to.include({ name: 'ConnectionError', code: 'ENETWORK', connectionError: true })
    expect(streamed.error?.message).to.include(`OLLAMA_ORIGINS=${foreign.origin}`).and.include(fake.url)
    // JSON makes it a preflighted request: the server refused the preflight, the chat never left the page.
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.headers.origin}`)).to.deep.equal([`OPTIONS /api/chat ${foreign.origin}`])
  })

  it('the same page works once its origin is allowed (origins, as OLLAMA_ORIGINS)', async () => {
    const foreign = await rig.serve({ host: '127.0.0.2' })
    const fake = await rig.fake({ origins: [foreign.origin] })
    fake.enqueue('chat', { text: 'allowed now' })
    const page = await rig.open(foreign)

    const outcome = await page.call<StreamOutcome>('streamChat', fake.url)

    expect(outcome).to.deep.include({ content: 'allowed now' })
    expect(outcome.error).to.equal(undefined)
  })
})
