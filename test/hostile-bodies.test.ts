import { expect } from 'chai'
import { Ollixir } from '../src/index.js'
import { hi } from './support/helpers.js'
import { chatLine, hostileServer, type HostileServer } from './support/hostile-server.js'

/** Bodies no Ollama sends but a proxy or a hostile host might. */
describe('hostile bodies', () => {
  let server: HostileServer | undefined
  let client: Ollixir | undefined
  afterEach(async () => {
    client?.close()
    await server?.close()
    server = client = undefined
  })

  const start = async (body: string | Uint8Array, contentType = 'application/x-ndjson') => {
    server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'content-type': contentType })
      res.end(body)
    })
    client = Ollixir.init({ host: server.host, retry: false })
    return client
  }

  describe('blank lines (issue 9, defect 4)', () => {
    it('1 MiB of newlines before the chunks: the stream is read in well under a second', async function () {
      this.timeout(30_000)
      const body = '\n'.repeat(1 << 20) + chatLine('Hel') + '\r\n\r\n' + chatLine('lo') + '\n \n' + chatLine('', true)
      const stream = await (await start(body)).chat({ model: 'llama3.2', messages: hi, stream: true })
      const started = performance.now()
      const chunks = await stream.collect()
      expect(chunks.map((c) => c.message.content).join('')).to.equal('Hello')
      expect(performance.now() - started).to.be.below(1000)
    })

    it('process mode: blank lines between chunks are skipped, the merged body is whole', async () => {
      const body = chatLine('Hel') + '\n\n\r\n' + chatLine('lo') + '\n' + chatLine('', true)
      const task = await (await start(body)).chat({ model: 'llama3.2', messages: hi, stream: { send: () => {} } })
      expect((await task.await()).message.content).to.equal('Hello')
    })
  })

  describe('a leading byte-order mark', () => {
    const BOM = '\ufeff'

    it('a stream that starts with one is read as if it had none', async () => {
      const stream = await (await start(BOM + chatLine('Hi') + chatLine('', true))).chat({ model: 'llama3.2', messages: hi, stream: true })
      expect((await stream.collect()).map((c) => c.message.content)).to.deep.equal(['Hi', ''])
    })
  })
})
