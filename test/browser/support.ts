/**
 * The real-Chromium harness: bundle a page entry with esbuild, serve it from its own
 * origin on 127.0.0.x (so requests to FakeOllama are cross-origin and CORS is real),
 * drive it in headless Chromium through playwright-core, and collect what went wrong
 * in the page (console errors, uncaught errors).
 *
 * A page entry calls `exposeToTests({ ... })` (`page-api.ts`); a test calls those
 * functions with `page.call(name, ...args)`: arguments and results cross as JSON-like
 * values, and a function that throws rejects `call` with the page's error message.
 */
import { build } from 'esbuild'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { findChromium, missingChromiumMessage } from '../../scripts/chromium.js'
import { EXPOSED_GLOBAL } from './page-api.js'

/** Flags for a headless Chromium in a container: no sandbox, GPU, QUIC or background traffic. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/**
 * Bundles a page entry for browsers, in memory: ESM, platform `browser` and the `browser`
 * export condition, so the package's browser entry is what gets bundled.
 */
export async function bundlePage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    conditions: ['browser'],
    target: 'chrome120',
    sourcemap: 'inline',
    logLevel: 'silent',
  })
  const [output] = result.outputFiles
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`)
  return output.text
}

export interface ServePageOptions {
  /** Address to listen on, which is the page's origin host. Default `127.0.0.1`; any 127.x.y.z works on Linux. */
  host?: string
  /** Default 0 (any free port). */
  port?: number
  /** Sent as the `Content-Security-Policy` header of the page and its script. */
  csp?: string
}

/** A page served over HTTP: `/` is the HTML, `/page.js` the bundled script. */
export interface PageServer {
  /** e.g. `http://127.0.0.1:41234`, the page's origin. */
  readonly origin: string
  readonly url: string
  close(): Promise<void>
}

/** Serves one bundled script in a minimal HTML page. */
export async function servePage(script: string, options: ServePageOptions = {}): Promise<PageServer> {
  const host = options.host ?? '127.0.0.1'
  // `rel=icon` to `data:` keeps Chromium from asking for /favicon.ico (a 404 in the console).
  const html = '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>' +
    '<body><script type="module" src="/page.js"></script></body></html>'
  const csp = options.csp ? { 'Content-Security-Policy': options.csp } : {}
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname
    if (path === '/') res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...csp }).end(html)
    else if (path === '/page.js') res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...csp }).end(script)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`
  return {
    origin,
    url: `${origin}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** One open page and what went wrong in it. */
export class TestPage {
  /** `console.error` messages and failed-resource reports, in order. */
  readonly consoleErrors: string[] = []
  /** Uncaught errors and unhandled rejections of the page. */
  readonly pageErrors: string[] = []

  constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => this.pageErrors.push(error.message))
  }

  /** Calls a function the page exposed with `exposeToTests`, and returns its (awaited) result. */
  call<T>(name: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(
      async ([global, fn, fnArgs]) => {
        const exposed = (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[global]
        const target = exposed?.[fn]
        if (!target) throw new Error(`the page exposes no function ${fn}`)
        // Run in a task of the page's own: inside the DevTools evaluation Chromium lets code
        // compile from strings even where the page's CSP forbids it, which would hide CSP bugs.
        await new Promise((resolve) => setTimeout(resolve, 0))
        return target(...fnArgs)
      },
      [EXPOSED_GLOBAL, name, args] as const,
    ) as Promise<T>
  }

  /** Every error the page reported, console and uncaught together. */
  get errors(): string[] {
    return [...this.pageErrors, ...this.consoleErrors]
  }

  close(): Promise<void> {
    return this.context.close()
  }
}

/** Headless Chromium with a fresh profile, opened once per test file. */
export class ChromiumHarness {
  private readonly pages = new Set<TestPage>()

  private constructor(readonly browser: Browser) {}

  /** Launches the system Chromium; fails (never skips) with the install command when there is none. */
  static async launch(): Promise<ChromiumHarness> {
    const executablePath = findChromium()
    if (!executablePath) throw new Error(missingChromiumMessage())
    // playwright-core gives each launch a new temporary profile and removes it on close.
    const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS })
    return new ChromiumHarness(browser)
  }

  /** Opens a served page in a new browser context (no shared cache, cookies or preflight cache) and waits until its script exposed its functions. */
  async open(server: PageServer | string): Promise<TestPage> {
    const context = await this.browser.newContext()
    const page = new TestPage(await context.newPage(), context)
    this.pages.add(page)
    await page.page.goto(typeof server === 'string' ? server : server.url)
    try {
      await page.page.waitForFunction((global) => global in globalThis, EXPOSED_GLOBAL, { timeout: 5000 })
    } catch (err) {
      // Usually the page's script failed: say what the page reported rather than just "timeout".
      const reported = page.errors.length > 0 ? page.errors.join('\n') : 'no error reported by the page'
      throw new Error(`the page never called exposeToTests (${reported})`, { cause: err })
    }
    return page
  }

  /** Closes the pages left open, then the browser. */
  async close(): Promise<void> {
    await Promise.all([...this.pages].map((page) => page.close().catch(() => {})))
    await this.browser.close()
  }
}

/**
 * Launches Chromium before the tests of the calling `describe` and closes it after them.
 *
 * @example
 * ```ts
 * describe('in Chromium', function () {
 *   const browser = useChromium()
 *   it('...', async () => {
 *     const page = await browser.current.open(pageServer)
 *   })
 * })
 * ```
 */
export function useChromium(): { readonly current: ChromiumHarness } {
  let harness: ChromiumHarness | undefined
  before(async function () {
    this.timeout(30_000)
    harness = await ChromiumHarness.launch()
  })
  after(async () => harness?.close())
  return {
    get current(): ChromiumHarness {
      if (!harness) throw new Error('Chromium is not running: call useChromium() inside a describe and use it in its tests')
      return harness
    },
  }
}
