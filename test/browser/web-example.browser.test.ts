import { expect } from 'chai'
import type { BrowserContext, Page } from 'playwright-core'
import { startWebDemo, type WebDemo } from '../../examples/web/server.js'
import { FakeOllama } from '../../src/testing/index.js'
import { useChromium } from './support.js'

/** The page's document, in functions that run in the page (this file is compiled without the DOM library). */
interface PageNode {
  textContent: string | null
}
declare const document: { getElementById(id: string): PageNode | null; querySelector(selector: string): PageNode | null; querySelectorAll(selector: string): { length: number } }

/** Answers @statelyai/inspect's handshake and records the inspection events it is sent. */
const INSPECTOR_STAND_IN = `<!doctype html><title>inspector stand-in</title><script>
  window.received = []
  addEventListener('message', (e) => {
    if (e.data && typeof e.data.type === 'string' && e.data.type.startsWith('@xstate.')) received.push({ type: e.data.type, name: e.data.name, event: e.data.event && e.data.event.type, chunks: e.data.event && Array.isArray(e.data.event.data) ? e.data.event.data.length : 0 })
  })
  window.opener.postMessage({ type: '@statelyai.connected' }, '*')
</script>`

describe('The web example (examples/web) in Chromium', function () {
  this.timeout(30_000)
  const chromium = useChromium()
  let fake: FakeOllama
  let demo: WebDemo
  let context: BrowserContext
  let page: Page
  let pageErrors: string[]

  beforeEach(async () => {
    fake = await FakeOllama.start()
    demo = await startWebDemo({ fake })
    context = await chromium.current.browser.newContext()
    page = await context.newPage()
    pageErrors = []
    page.on('pageerror', (error) => pageErrors.push(error.message))
    page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()))
    await page.goto(demo.url)
    await page.waitForFunction(() => document.getElementById('backend')?.textContent !== 'Connecting…')
  })
  afterEach(async () => {
    await context.close()
    await demo.close()
    await fake.close()
  })

  async function ask(text: string): Promise<void> {
    await page.fill('#input', text)
    await page.press('#input', 'Enter')
  }

  const lastReply = () => page.locator('.message.assistant').last()

  it('says what it talks to; a typed message gets a reply that streams in, thinking apart', async () => {
    expect(await page.textContent('#backend')).to.include(fake.url)
    fake.enqueue('chat', { thinking: ['Think ', 'first.'], text: ['Streamed ', 'reply ', 'here.'], chunkDelayMs: 120 })

    await ask('Hello')
    // Part of the reply is on the page while it still streams, and Cancel is offered.
    await page.waitForFunction(() => {
      const live = document.querySelector('.message.assistant.streaming .content')?.textContent ?? ''
      return live.length > 0 && live !== 'Streamed reply here.'
    })
    expect(await page.isEnabled('#cancel')).to.equal(true)
    expect(await page.isDisabled('#send')).to.equal(true)
    await page.waitForSelector('#send:not([disabled])')

    expect(await page.locator('.message.user .content').allTextContents()).to.deep.equal(['Hello'])
    expect(await lastReply().locator('.content').textContent()).to.equal('Streamed reply here.')
    expect(await lastReply().locator('details.thinking').textContent()).to.equal('ThinkingThink first.')
    expect(await page.isDisabled('#cancel')).to.equal(true)
    expect(pageErrors).to.deep.equal([])
  })

  it('Cancel stops a reply: the page says so and the connection closes', async () => {
    fake.enqueue('chat', { text: Array.from({ length: 100 }, (_, i) => `${i} `), chunkDelayMs: 30 })
    const closed = fake.waitForClientClose(5000)

    await ask('Count to a hundred')
    await page.waitForSelector('.message.assistant.streaming .content:not(:empty)')
    await page.click('#cancel')

    await closed
    await page.waitForSelector('p.note')
    expect(await page.textContent('p.note')).to.match(/^Reply cancelled; \d+ characters discarded\.$/)
    expect(await page.locator('.message.assistant').count()).to.equal(0)
    expect(await page.isEnabled('#send')).to.equal(true)
    expect(pageErrors).to.deep.equal([])
  })

  it('an error is shown plainly, with the part of the reply that came; Retry asks again', async () => {
    fake.enqueue('chat', { text: ['Half ', 'a ', 'reply'], errorLineAfter: 2, errorLine: 'model runner has unexpectedly stopped' })
    fake.enqueue('chat', { text: 'Back again.' })

    await ask('Are you there?')
    await page.waitForSelector('#error:not([hidden])')
    expect(await page.textContent('#error-title')).to.equal('ResponseError (ESTREAM)')
    expect(await page.textContent('#error-message')).to.equal('model runner has unexpectedly stopped')
    expect(await lastReply().textContent()).to.include('Half a ').and.include('The reply broke off here.')

    await page.click('#retry')
    await page.waitForSelector('#error', { state: 'hidden' })
    await page.waitForSelector('#send:not([disabled])')
    expect(await lastReply().locator('.content').textContent()).to.equal('Back again.')
    expect(await page.locator('.message.user').count()).to.equal(1)
  })

  it('the inspector switch opens the Stately inspector, which then sees the session and its request actors; the conversation goes on', async () => {
    fake.enqueue('chat', { text: 'Before.' })
    fake.enqueue('chat', { text: ['After', '.'] })
    await ask('One')
    await page.waitForSelector('#send:not([disabled])')

    // The inspector lives on stately.ai, out of reach here: a stand-in answers the browser
    // inspector's handshake and keeps what it is sent, as the real one does.
    await context.route('https://stately.ai/**', (route) => route.fulfill({ contentType: 'text/html', body: INSPECTOR_STAND_IN }))
    const [popup] = await Promise.all([context.waitForEvent('page'), page.check('#inspect')])
    await popup.waitForLoadState()
    expect(popup.url()).to.match(/^https:\/\/stately\.ai\/inspect/)

    await ask('Two')
    await page.waitForFunction(() => document.querySelectorAll('.message.assistant:not(.streaming)').length === 2)
    expect(await page.locator('.message .content').allTextContents()).to.deep.equal(['One', 'Before.', 'Two', 'After.'])
    // Messages between windows arrive in their own time: wait for the reply's ok. The
    // session coalesces, so its three chunks come in one to three ollixir.chunks batches.
    type Received = { type: string; name?: string; event?: string; chunks: number }[]
    await popup.waitForFunction(() => (globalThis as unknown as { received: Received }).received.some((e) => e.type === '@xstate.event' && e.event === 'ollixir.ok'))
    const received = await popup.evaluate(() => (globalThis as unknown as { received: Received }).received)
    const actors = received.filter((event) => event.type === '@xstate.actor').map((event) => event.name)
    expect(actors).to.include('ollixir.chat')
    const batches = received.filter((event) => event.type === '@xstate.event' && event.event === 'ollixir.chunks')
    expect(batches.reduce((sum, batch) => sum + batch.chunks, 0), 'chunks in the batches the inspector saw').to.equal(3)
    expect(pageErrors).to.deep.equal([])
  })
})
