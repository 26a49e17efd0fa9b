import { expect } from 'chai'
import { useClientPage } from './client-page-rig.js'
import type { ParentOutcome, StopHow, StreamOutcome } from './pages/client-page.js'

const words = (count: number) => Array.from({ length: count }, (_, i) => `w${i} `)

describe('Streaming in Chromium (browser entry, fetch transport)', function () {
  this.timeout(20_000)
  const rig = useClientPage()

  it('stream: true — for await gets every chunk, thinking apart from content', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { thinking: ['Let me ', 'think.'], text: ['Hel', 'lo ', 'there'], chunkDelayMs: 10 })
    const page = await rig.open()

    const outcome = await page.call<StreamOutcome>('streamChat', fake.url)

    expect(outcome).to.deep.equal({ content: 'Hello there', thinking: 'Let me think.', chunks: 6 })
    expect(fake.lastRequest('/api/chat')?.body).to.include({ stream: true })
    expect(page.errors).to.deep.equal([])
  })

  it('stream: parent — an XState machine receives data, then ok, then down', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: ['One ', 'two ', 'three'] })
    const page = await rig.open()

    const outcome = await page.call<ParentOutcome>('streamToParent', fake.url)

    expect(outcome.events).to.deep.equal(['ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.ok', 'ollixir.down'])
    expect(outcome.content).to.equal('One two three')
    expect(outcome.okContent).to.equal('One two three')
    expect(page.errors).to.deep.equal([])
  })

  it('stream: parent — stopping the parent machine closes the connection', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: words(200), chunkDelayMs: 20 })
    const page = await rig.open()
    const closed = fake.waitForClientClose(5000)

    const outcome = await page.call<ParentOutcome>('streamToParent', fake.url, { stopAfter: 2 })

    expect(outcome.parentStatus).to.equal('stopped')
    expect(outcome.events).to.have.length.of.at.least(2).and.not.include('ollixir.ok')
    await closed
    expect(fake.inFlight).to.equal(0)
  })

  for (const how of ['break', 'abort', 'signal', 'client'] as StopHow[]) {
    it(`stream: true — ${how === 'client' ? 'client.abort()' : how === 'signal' ? 'the call’s signal' : how === 'abort' ? 'stream.abort()' : 'break'} closes the connection mid-stream`, async () => {
      const fake = await rig.fake()
      fake.enqueue('chat', { text: words(200), chunkDelayMs: 20 })
      const page = await rig.open()
      const closed = fake.waitForClientClose(5000)

      const outcome = await page.call<StreamOutcome>('streamChat', fake.url, { stopAfter: 3, how })

      expect(outcome.chunks).to.equal(3)
      if (how === 'break') expect(outcome.error).to.equal(undefined)
      else expect(outcome.error).to.include({ name: 'AbortError', code: 'ABORT_ERR', ollixir: true })
      await closed
      expect(fake.inFlight).to.equal(0)
    })
  }

  it('1-byte writes that split UTF-8 characters and lines arrive whole', async () => {
    const fake = await rig.fake()
    const text = ['Grüße ', 'aus ', 'Zürich 🦙 ', '— ', '日本語']
    fake.enqueue('chat', { text, writeBytes: 1, chunkDelayMs: 0 })
    const page = await rig.open()

    const outcome = await page.call<StreamOutcome>('streamChat', fake.url)

    expect(outcome.content).to.equal(text.join(''))
    expect(outcome.error).to.equal(undefined)
  })

  it('a slow reader holds a fast server back: the request pauses and the server cannot finish writing', async () => {
    const fake = await rig.fake()
    // ~100 MB: more than the loopback's socket buffers (up to 32 MB here) and Chromium's
    // network buffers hold together (a page that never reads lets the server write ~60 MB).
    fake.enqueue('generate', { text: Array.from({ length: 50_000 }, () => 'x'.repeat(2000)) })
    const page = await rig.open()

    await page.call('slowStart', fake.url)
    // Give the server every chance to write it all while the page does not read.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const probe = await page.call<{ phase: string; read: number; heapMB: number }>('slowProbe')

    expect(probe).to.deep.include({ phase: 'paused', read: 1 })
    // The page holds a mailbox of chunks (1,024 of 2 kB), not the 100 MB on the way.
    expect(probe.heapMB, 'the page heap, in MB').to.be.below(40)
    expect(fake.inFlight, 'the server is still writing: TCP pushed back').to.equal(1)
    const closed = fake.waitForClientClose(5000)
    await page.call('slowStop')
    await closed
    expect(page.errors).to.deep.equal([])
  })
})
