import { expect } from 'chai'
import { useClientPage } from './client-page-rig.js'
import type { PageError, StreamOutcome } from './pages/client-page.js'

type Attempt = { ok: true; value: unknown } | { ok: false; error: PageError }

/** A strict page: scripts from its own origin only, no 'unsafe-eval'; requests to loopback Ollamas. */
const STRICT_CSP = "default-src 'self'; script-src 'self'; img-src data:; connect-src http://127.0.0.1:*"

describe("A strict page in Chromium: Content-Security-Policy without 'unsafe-eval'", function () {
  this.timeout(20_000)
  const rig = useClientPage()

  it('streams a chat; requests are validated with no eval at all (no CSP violation reported)', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: ['Strict ', 'but fine'] })
    const page = await rig.open(await rig.serve({ csp: STRICT_CSP }))

    const outcome = await page.call<StreamOutcome>('streamChat', fake.url, { request: { options: { temperature: 0.2 }, think: false } })

    expect(outcome).to.deep.include({ content: 'Strict but fine' })
    expect(outcome.error).to.equal(undefined)
    expect(await page.call('cspViolations')).to.deep.equal([])
    expect(page.errors).to.deep.equal([])
  })

  it('an invalid request is a RequestError naming the field, before anything is sent', async () => {
    const fake = await rig.fake()
    const page = await rig.open(await rig.serve({ csp: STRICT_CSP }))

    const outcome = await page.call<Attempt>('call', fake.url, 'chat', { model: 'llama3.2', messages: [], options: { temperature: 'hot' } })

    expect(outcome).to.deep.equal({
      ok: false,
      error: { name: 'RequestError', message: 'Invalid chat request: options.temperature must be number.', ollixir: true, connectionError: false, code: 'EINVALID', field: 'options.temperature' },
    })
    expect(fake.requests).to.deep.equal([])
    expect(await page.call('cspViolations')).to.deep.equal([])
    expect(page.errors).to.deep.equal([])
  })

  it("a user's schema (defineTool, structured outputs) fails with a RequestError that says why and how to allow it", async () => {
    const page = await rig.open(await rig.serve({ csp: STRICT_CSP }))

    for (const outcome of [await page.call<Attempt>('defineToolHere'), await page.call<Attempt>('structuredOutput', '{"n": 1}')]) {
      expect(outcome.ok).to.equal(false)
      const { error } = outcome as { error: PageError }
      expect(error).to.include({ name: 'RequestError', code: 'EUNSAFEEVAL' })
      expect(error.message).to.include("Content-Security-Policy").and.include("'unsafe-eval'")
    }
    expect(await page.call('cspViolations')).to.deep.equal(['script-src eval', 'script-src eval'])
  })

  it('the same page without that policy compiles user schemas', async () => {
    const page = await rig.open()

    expect(await page.call('defineToolHere')).to.deep.equal({ ok: true, value: 'lookup' })
    expect(await page.call('structuredOutput', '{"n": 1}')).to.deep.equal({ ok: true, value: { n: 1 } })
  })
})
