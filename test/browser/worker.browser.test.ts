import { expect } from 'chai'
import { build } from 'esbuild'
import { FakeOllama } from '../../src/testing/index.js'
import { closedPort } from '../support/helpers.js'
import type { WorkerAnswer } from './pages/worker-client.js'
import { servePage, useChromium, type PageServer } from './support.js'

const WORKER_ENTRY = new URL('./pages/worker-client.ts', import.meta.url).pathname
const PAGE_API = new URL('./page-api.ts', import.meta.url).pathname

/** A page whose `askWorker(host)` starts the worker from a Blob URL and resolves with its answer. */
async function workerPage(): Promise<string> {
  const worker = await build({ entryPoints: [WORKER_ENTRY], bundle: true, write: false, format: 'esm', platform: 'browser', conditions: ['worker'], target: 'chrome120', logLevel: 'silent' })
  const page = await build({
    stdin: {
      contents: `
        import { exposeToTests } from ${JSON.stringify(PAGE_API)}
        const source = ${JSON.stringify(worker.outputFiles[0]!.text)}
        exposeToTests({
          askWorker: (host) => new Promise((resolve) => {
            const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' })
            worker.onmessage = (event) => { resolve(event.data); worker.terminate() }
            worker.onerror = (event) => { resolve({ error: { name: 'WorkerError', message: event.message } }); worker.terminate() }
            worker.postMessage(host)
          }),
        })`,
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'js',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  })
  return page.outputFiles[0]!.text
}

describe('In a Web Worker in Chromium (no DOM, no window)', function () {
  this.timeout(20_000)
  const chromium = useChromium()
  let server: PageServer
  let fake: FakeOllama | undefined

  before(async () => {
    server = await servePage(await workerPage())
  })
  after(() => server.close())
  afterEach(async () => {
    await fake?.close()
    fake = undefined
  })

  it('streams a chat with for await and runs a chat session', async () => {
    fake = await FakeOllama.start()
    fake.enqueue('chat', { text: ['From ', 'a worker'] }).enqueue('chat', { text: 'Session too' })
    const page = await chromium.current.open(server)

    expect(await page.call<WorkerAnswer>('askWorker', fake.url)).to.deep.equal({ content: 'From a worker', session: 'Session too' })
    expect(page.errors).to.deep.equal([])
  })

  it('a closed port is a ConnectionError (ENETWORK) there too, naming the page origin and OLLAMA_ORIGINS', async () => {
    const page = await chromium.current.open(server)

    const answer = await page.call<WorkerAnswer>('askWorker', `http://127.0.0.1:${await closedPort()}`)

    expect(answer.error).to.include({ name: 'ConnectionError', code: 'ENETWORK' })
    expect(answer.error?.message).to.include(`OLLAMA_ORIGINS=${server.origin}`)
  })
})
