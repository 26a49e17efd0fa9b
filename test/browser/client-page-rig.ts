/**
 * What every client-page test file shares: the page bundled once from the browser
 * entry and served from an allowed origin (`http://127.0.0.1:*`), Chromium, and a fresh
 * FakeOllama and page per test, closed after it.
 */
import { FakeOllama, type FakeOllamaOptions } from '../../src/testing/index.js'
import { bundlePage, servePage, useChromium, type PageServer, type ServePageOptions, type TestPage } from './support.js'

const CLIENT_PAGE = new URL('./pages/client-page.ts', import.meta.url).pathname

export interface ClientPageRig {
  /** A FakeOllama for this test (closed after it). */
  fake(options?: FakeOllamaOptions): Promise<FakeOllama>
  /** The client page, opened from the allowed origin unless another server is given. */
  open(server?: PageServer): Promise<TestPage>
  /** Serves the same page with other options (another origin, a CSP); closed after the file. */
  serve(options: ServePageOptions): Promise<PageServer>
}

export function useClientPage(): ClientPageRig {
  const chromium = useChromium()
  let script: string
  let allowed: PageServer
  const servers: PageServer[] = []
  let fakes: FakeOllama[] = []
  let pages: TestPage[] = []

  before(async function () {
    this.timeout(30_000)
    script = await bundlePage(CLIENT_PAGE)
    allowed = await servePage(script)
    servers.push(allowed)
  })
  after(async () => {
    await Promise.all(servers.map((server) => server.close()))
  })
  afterEach(async () => {
    await Promise.all(pages.map((page) => page.close()))
    await Promise.all(fakes.map((fake) => fake.close()))
    pages = []
    fakes = []
  })

  return {
    async fake(options) {
      const fake = await FakeOllama.start(options)
      fakes.push(fake)
      return fake
    },
    async open(server = allowed) {
      const page = await chromium.current.open(server)
      pages.push(page)
      return page
    },
    async serve(options) {
      const server = await servePage(script, options)
      servers.push(server)
      return server
    },
  }
}
