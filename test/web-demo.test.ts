import { expect } from 'chai'
import { startWebDemo, type WebDemo } from '../examples/web/server.js'
import { FakeOllama } from '../src/testing/index.js'
import { closedPort } from './support/helpers.js'

/**
 * `npm run demo:web` chooses what the page talks to, and says which: the Ollama at
 * OLLAMA_HOST when it answers and allows the page's origin, else an embedded FakeOllama.
 * A FakeOllama plays the "real" Ollama here (it answers CORS as Ollama does).
 */
describe('the web demo server (examples/web)', function () {
  this.timeout(20_000)
  const saved = process.env.OLLAMA_HOST
  let ollama: FakeOllama | undefined
  let demo: WebDemo | undefined

  afterEach(async () => {
    await demo?.close()
    await ollama?.close()
    demo = undefined
    ollama = undefined
    if (saved === undefined) delete process.env.OLLAMA_HOST
    else process.env.OLLAMA_HOST = saved
  })

  async function config(): Promise<WebDemo['config']> {
    const response = await fetch(new URL('/config.json', demo!.url))
    return (await response.json()) as WebDemo['config']
  }

  it('uses the Ollama at OLLAMA_HOST when it answers, and serves the page that bundles the browser entry', async () => {
    ollama = await FakeOllama.start()
    process.env.OLLAMA_HOST = ollama.url
    demo = await startWebDemo()

    // The first model that completes text: the fake also lists an embedding model.
    expect(await config()).to.deep.include({ backend: 'ollama', host: ollama.url, model: 'llama3.2:latest' })
    const page = await (await fetch(demo.url)).text()
    const script = await (await fetch(new URL('/main.js', demo.url))).text()
    expect(page).to.include('<script type="module" src="/main.js">')
    expect(script).to.include('stately.ai/inspect').and.include('OLLAMA_ORIGINS').and.not.include('node:')
  })

  it("falls back to an embedded FakeOllama when that Ollama refuses the page's origin, and says how to allow it", async () => {
    ollama = await FakeOllama.start()
    process.env.OLLAMA_HOST = ollama.url
    // 127.0.0.2 is loopback, but not in Ollama's default allowlist.
    demo = await startWebDemo({ host: '127.0.0.2' })

    const { backend, host, label } = await config()
    expect(backend).to.equal('fake')
    expect(host).not.to.equal(ollama.url)
    expect(label).to.include(`refuses this page's origin (${new URL(demo.url).origin})`).and.include(`OLLAMA_ORIGINS=${new URL(demo.url).origin}`)
  })

  it('uses an embedded FakeOllama when no Ollama answers, and says so', async () => {
    process.env.OLLAMA_HOST = `127.0.0.1:${await closedPort()}`
    demo = await startWebDemo()

    const { backend, label } = await config()
    expect(backend).to.equal('fake')
    expect(label).to.include('No Ollama answered').and.include('embedded FakeOllama')
  })
})
