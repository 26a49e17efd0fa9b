import { expect } from 'chai'
import { FakeOllama } from '../../src/testing/index.js'
import type { FetchInit, FetchOutcome } from './pages/fetch-page.js'
import { bundlePage, servePage, useChromium, type PageServer, type TestPage } from './support.js'

const PAGE_ENTRY = new URL('./pages/fetch-page.ts', import.meta.url).pathname
const CHAT = JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hello' }], stream: true })

/** The `method origin` of every request the fake received, to see preflights and refusals server-side. */
function seen(fake: FakeOllama): string[] {
  return fake.requests.map((r) => `${r.method} ${r.path} ${r.headers.origin ?? '-'}`)
}

function contentOf(outcome: FetchOutcome): string {
  if (!outcome.ok) throw new Error(`fetch failed in the page: ${outcome.error.name}: ${outcome.error.message}`)
  return outcome.lines.map((line) => (line as { message?: { content?: string } }).message?.content ?? '').join('')
}

describe('CORS in Chromium: a page fetching from FakeOllama', function () {
  this.timeout(20_000)
  const chromium = useChromium()
  let script: string
  /** Served from an origin Ollama allows by default (`http://127.0.0.1:*`). */
  let allowedPage: PageServer
  /** Served from an origin outside the default allowlist: 127.0.0.2 is loopback too, but not in it. */
  let foreignPage: PageServer
  let fake: FakeOllama | undefined
  let page: TestPage | undefined

  before(async () => {
    script = await bundlePage(PAGE_ENTRY)
    allowedPage = await servePage(script)
    foreignPage = await servePage(script, { host: '127.0.0.2' })
  })
  after(async () => {
    await allowedPage?.close()
    await foreignPage?.close()
  })
  afterEach(async () => {
    await page?.close()
    await fake?.close()
    page = undefined
    fake = undefined
  })

  function fetchIn(target: TestPage, url: string, init: FetchInit): Promise<FetchOutcome> {
    return target.call<FetchOutcome>('fetchLines', url, init)
  }

  it('streams NDJSON from /api/chat to an allowed origin, without a preflight', async () => {
    fake = await FakeOllama.start()
    fake.enqueue('chat', { text: ['Hel', 'lo', ' there'], chunkDelayMs: 30 })
    page = await chromium.current.open(allowedPage)

    const outcome = await fetchIn(page, `${fake.url}/api/chat`, { method: 'POST', body: CHAT })

    expect(outcome).to.include({ ok: true, status: 200, contentType: 'application/x-ndjson' })
    expect(contentOf(outcome)).to.equal('Hello there')
    if (outcome.ok) {
      expect(outcome.lines.at(-1)).to.include({ done: true })
      expect(outcome.reads, 'the body arrived in several reads').to.be.greaterThan(1)
    }
    expect(seen(fake)).to.deep.equal([`POST /api/chat ${allowedPage.origin}`])
    expect(page.errors).to.deep.equal([])
  })

  it('fails with an opaque TypeError for an origin outside the allowlist; the server answered 403 before the route', async () => {
    fake = await FakeOllama.start()
    fake.enqueue('chat', { text: 'never streamed' })
    page = await chromium.current.open(foreignPage)

    const outcome = await fetchIn(page, `${fake.url}/api/chat`, { method: 'POST', body: CHAT })

    expect(outcome).to.deep.equal({ ok: false, error: { name: 'TypeError', message: 'Failed to fetch' } })
    // A simple request is sent: the server refused it, and the page cannot tell why.
    expect(seen(fake)).to.deep.equal([`POST /api/chat ${foreignPage.origin}`])
    expect(page.pageErrors).to.deep.equal([])
    expect(page.consoleErrors.join('\n')).to.include(`from origin '${foreignPage.origin}' has been blocked by CORS policy`)
    // The scripted reply is still queued: no route ran for the refused request.
    const next = await fetch(`${fake.url}/api/chat`, { method: 'POST', body: JSON.stringify({ ...JSON.parse(CHAT), stream: false }) })
    expect(((await next.json()) as { message: { content: string } }).message.content).to.equal('never streamed')
  })

  it('allows that origin once it is in origins (OLLAMA_ORIGINS)', async () => {
    fake = await FakeOllama.start({ origins: [foreignPage.origin] })
    fake.enqueue('chat', { text: ['Now ', 'allowed'] })
    page = await chromium.current.open(foreignPage)

    const outcome = await fetchIn(page, `${fake.url}/api/chat`, { method: 'POST', body: CHAT })

    expect(contentOf(outcome)).to.equal('Now allowed')
    expect(page.errors).to.deep.equal([])
  })

  it('passes a preflight for JSON with an Authorization header, then sends the request', async () => {
    fake = await FakeOllama.start()
    fake.enqueue('chat', { text: 'preflighted' })
    page = await chromium.current.open(allowedPage)

    const outcome = await fetchIn(page, `${fake.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer page-key' },
      body: CHAT,
    })

    expect(contentOf(outcome)).to.equal('preflighted')
    expect(seen(fake)).to.deep.equal([`OPTIONS /api/chat ${allowedPage.origin}`, `POST /api/chat ${allowedPage.origin}`])
    expect(fake.requests[0]?.headers['access-control-request-headers']).to.equal('authorization,content-type')
    expect(fake.requests[1]?.headers.authorization).to.equal('Bearer page-key')
    expect(page.errors).to.deep.equal([])
  })

  it('hides Retry-After from the page: Ollama exposes no response header beyond the CORS-safelisted ones', async () => {
    fake = await FakeOllama.start()
    fake.enqueue('chat', { status: 429, error: 'too busy', retryAfter: 2 })
    page = await chromium.current.open(allowedPage)

    const outcome = await fetchIn(page, `${fake.url}/api/chat`, { method: 'POST', body: CHAT })

    expect(outcome).to.deep.include({ ok: true, status: 429, lines: [{ error: 'too busy' }] })
    if (outcome.ok) expect(Object.keys(outcome.headers).sort()).to.deep.equal(['content-length', 'content-type'])
    expect(fake.requests).to.have.length(1)
    // Chromium itself reports every 4xx/5xx fetch in the console; the page logged nothing.
    expect(page.consoleErrors).to.deep.equal(['Failed to load resource: the server responded with a status of 429 (Too Many Requests)'])
    expect(page.pageErrors).to.deep.equal([])
  })

  it('fails the preflight for a header Ollama does not list (x-team): the request itself is never sent', async () => {
    fake = await FakeOllama.start()
    page = await chromium.current.open(allowedPage)

    const outcome = await fetchIn(page, `${fake.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-team': 'llm' },
      body: CHAT,
    })

    expect(outcome).to.deep.equal({ ok: false, error: { name: 'TypeError', message: 'Failed to fetch' } })
    expect(seen(fake)).to.deep.equal([`OPTIONS /api/chat ${allowedPage.origin}`])
    expect(page.consoleErrors.join('\n')).to.include('Request header field x-team is not allowed by Access-Control-Allow-Headers')
  })
})
