import { expect } from 'chai'
import { bundlePage, servePage, useChromium, type PageServer, type TestPage } from './support.js'

const PROBE_ENTRY = new URL('./pages/probe-page.ts', import.meta.url).pathname

describe('the Chromium harness', function () {
  this.timeout(20_000)
  const chromium = useChromium()
  let script: string
  const servers: PageServer[] = []
  let page: TestPage | undefined

  before(async () => {
    script = await bundlePage(PROBE_ENTRY)
  })
  afterEach(async () => {
    await page?.close()
    page = undefined
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })

  async function serve(options: Parameters<typeof servePage>[1] = {}): Promise<PageServer> {
    const server = await servePage(script, options)
    servers.push(server)
    return server
  }

  it('serves the page from the chosen host, which is its origin', async () => {
    const server = await serve({ host: '127.0.0.2' })
    page = await chromium.current.open(server)
    expect(await page.call<string>('origin')).to.equal(server.origin).and.match(/^http:\/\/127\.0\.0\.2:\d+$/)
  })

  it('collects uncaught page errors and console errors, so a test can require none', async () => {
    page = await chromium.current.open(await serve())
    expect(page.errors).to.deep.equal([])
    await page.call('throwUncaught', 'boom in the page')
    await page.call('logError', 'said in the console')
    await page.page.waitForTimeout(50)
    expect(page.pageErrors).to.deep.equal(['boom in the page'])
    expect(page.consoleErrors).to.deep.equal(['said in the console'])
  })

  it('sends the Content-Security-Policy it is given: without unsafe-eval the page cannot compile code', async () => {
    const strict = await chromium.current.open(await serve({ csp: "default-src 'self'; script-src 'self'" }))
    const loose = await chromium.current.open(await serve())
    try {
      // This also proves page.call runs page code outside the DevTools evaluation, which CSP does not bind.
      const refused = await strict.call<{ ok: false; error: { name: string; message: string } }>('canCompileCode')
      expect(refused.error.name).to.equal('EvalError')
      expect(refused.error.message).to.include("'unsafe-eval'")
      expect(await loose.call('canCompileCode')).to.deep.equal({ ok: true })
    } finally {
      await strict.close()
      await loose.close()
    }
  })

  it('rejects a call to a function the page does not expose, naming it', async () => {
    page = await chromium.current.open(await serve())
    let error: unknown
    try {
      await page.call('noSuchFunction')
    } catch (err) {
      error = err
    }
    expect(String(error)).to.include('the page exposes no function noSuchFunction')
  })
})
