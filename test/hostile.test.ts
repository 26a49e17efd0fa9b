import http from 'node:http'
import { expect } from 'chai'
import { ConnectionError, Ollixir, RequestError, ResponseError, type ClientOptions } from '../src/index.js'
import { chatLine } from './support/hostile-server.js'
import { chunk, head, startRawServer, type RawServer } from './support/raw-server.js'
import { eventually, hi, Inbox, rejection, TRANSPORTS } from './support/helpers.js'

/** What a chat streamed in one mode: the contents seen, and how it ended. */
type Outcome = { contents: string[]; error: unknown; ms: number }
type Mode = (client: Ollixir) => Promise<Outcome>

const modes: Record<string, Mode> = {
  'stream: true': async (client) => {
    const started = Date.now()
    const contents: string[] = []
    try {
      for await (const c of await client.chat({ model: 'm', messages: hi, stream: true })) contents.push(c.message.content)
      return { contents, error: null, ms: Date.now() - started }
    } catch (error) {
      return { contents, error, ms: Date.now() - started }
    }
  },
  'stream: parent': async (client) => {
    const started = Date.now()
    const inbox = new Inbox()
    await client.chat({ model: 'm', messages: hi, stream: inbox })
    const end = await Promise.race([inbox.until('ollixir.ok', 8000), inbox.until('ollixir.error', 8000)])
    const contents = inbox.events.flatMap((e) => (e.type === 'ollixir.data' ? [e.data.message.content as string] : []))
    return { contents, error: end.type === 'ollixir.error' ? end.reason : null, ms: Date.now() - started }
  },
}

const KEY = 'sk-hostile-test-key-0123456789'

for (const { name: transport, options: over } of TRANSPORTS) {
  describe(`hostile servers and proxies [${transport}]`, () => {
    let server: RawServer | undefined
    const clients: Ollixir[] = []
    const client = (host: string, options: ClientOptions = {}) => {
      const made = Ollixir.init({ ...over, host, retry: false, timeout: 10_000, ...options })
      clients.push(made)
      return made
    }
    afterEach(async () => {
      for (const made of clients.splice(0)) made.close()
      await server?.close()
      server = undefined
    })

    describe('redirects are never followed', () => {
      let target: http.Server
      let targetRequests: http.IncomingMessage[]
      let targetUrl: string
      beforeEach(async () => {
        targetRequests = []
        target = http.createServer((req, res) => {
          targetRequests.push(req)
          res.end('{"message":{"role":"assistant","content":"from elsewhere"},"done":true}')
        })
        await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve))
        targetUrl = `http://127.0.0.1:${(target.address() as { port: number }).port}`
      })
      afterEach(() => new Promise<void>((resolve) => target.close(() => resolve())))

      for (const status of ['301 Moved Permanently', '302 Found', '307 Temporary Redirect', '308 Permanent Redirect']) {
        it(`${status} to another origin: a ResponseError naming Location; the other origin hears nothing`, async () => {
          server = await startRawServer((socket) => socket.end(head(status, { location: `${targetUrl}/api/chat`, 'content-length': 0 })))
          const error = await rejection(client(server.url, { apiKey: KEY, headers: { 'x-team': 'llm' } }).chat({ model: 'm', messages: hi }))
          expect(error).to.be.instanceOf(ResponseError)
          expect(error.status).to.equal(Number(status.slice(0, 3)))
          expect(error.retryable).to.equal(false)
          expect(error.message).to.include(`${targetUrl}/api/chat`).and.include('does not follow redirects').and.include('host')
          expect(error.message).not.to.include(KEY)
          expect(targetRequests).to.have.length(0)
        })
      }

      it('a redirect to the same host and port on another scheme (https → http) is refused too: the key goes out once, to the address given', async () => {
        server = await startRawServer((socket) => socket.end(head('307 Temporary Redirect', { location: `https://user:pw@127.0.0.1:${server!.port}/api/chat`, 'content-length': 0 })))
        const error = await rejection(client(server.url, { apiKey: KEY }).chat({ model: 'm', messages: hi }))
        expect(error).to.be.instanceOf(ResponseError)
        // Credentials in a Location are not repeated in the message.
        expect(error.message).to.include(`https://127.0.0.1:${server.port}/api/chat`).and.not.include('user:pw')
        expect(server.requests).to.have.length(1)
      })

      for (const [mode, run] of Object.entries(modes)) {
        it(`${mode}: a redirect ends the stream with the same ResponseError`, async () => {
          server = await startRawServer((socket) => socket.end(head('302 Found', { location: `${targetUrl}/api/chat`, 'content-length': 0 })))
          const { error, contents } = await run(client(server.url))
          expect(error).to.be.instanceOf(ResponseError)
          expect((error as ResponseError).status).to.equal(302)
          expect(contents).to.deep.equal([])
          expect(targetRequests).to.have.length(0)
        })
      }
    })

    for (const [mode, run] of Object.entries(modes)) {
      describe(`nothing is lost between opening and reading (${mode})`, () => {
        it('a bad chunk-size line in the read that carried the headers: the error arrives at once (and, on fetch, the chunk before it)', async () => {
          const payload = head('200 OK', { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' }) + chunk(chatLine('first')) + 'ZZZ\r\n'
          server = await startRawServer((socket) => socket.write(payload))
          const { contents, error, ms } = await run(client(server.url))
          // got destroys a response that fails while it is still setting it up, before it
          // hands the response over: the bytes of that very read die inside got.
          expect(contents).to.deep.equal(transport === 'got' ? [] : ['first'])
          expect(error).to.be.instanceOf(RequestError)
          expect((error as RequestError).code).to.equal('HPE_INVALID_CHUNK_SIZE')
          // Not the idle timeout (10 s): the error was there from the start.
          expect(ms).to.be.below(2000)
        })

        it('the final chunk ends the stream though the server keeps the connection open; what follows is dropped; the connection is cut', async () => {
          server = await startRawServer((socket) => {
            socket.write(head('200 OK', { 'content-type': 'application/x-ndjson', 'transfer-encoding': 'chunked' }) + chunk(chatLine('a') + chatLine('b') + chatLine('', true)))
            setTimeout(() => socket.writable && socket.write(chunk(chatLine('after done'))), 50)
          })
          const { contents, error, ms } = await run(client(server.url))
          expect(error).to.equal(null)
          expect(contents).to.deep.equal(['a', 'b', ''])
          expect(ms).to.be.below(2000)
          await eventually(() => server!.openWithRequest === 0, 3000, 'the connection cut after the final chunk')
        })
      })
    }

    it('a proxy\'s 502 with a 200 KB HTML page: the message quotes at most about 1 KiB of printable text; error.body keeps the raw start', async () => {
      const page = `<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>\0${'<p>filler\u0007 text</p>\n'.repeat(10_000)}</body></html>`
      server = await startRawServer((socket) => socket.end(head('502 Bad Gateway', { 'content-type': 'text/html', 'content-length': Buffer.byteLength(page) }) + page))
      const error = await rejection(client(server.url).chat({ model: 'm', messages: hi }))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(502)
      expect(error.message).to.match(/^HTML page: 502 Bad Gateway/)
      expect(error.message.length).to.be.at.most(1100)
      expect(error.message).not.to.match(/[\u0000-\u001f]/)
      expect(error.body).to.have.length(65536)
      expect(error.body.startsWith('<html>')).to.equal(true)
    })

    describe('bytes that are not Ollama\'s keep their real code and are not retried', () => {
      const garbage: Record<string, { payload: string; code: string }> = {
        'a reply that is not HTTP': { payload: 'hello there\r\n\r\n', code: 'HPE_INVALID_CONSTANT' },
        'a header section over the limit': { payload: head('200 OK', { 'x-big': 'a'.repeat(100_000) }), code: 'HPE_HEADER_OVERFLOW' },
        'a gzip body that is not gzip': { payload: head('200 OK', { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': 20 }) + 'x'.repeat(20), code: 'Z_DATA_ERROR' },
      }
      for (const [what, { payload, code }] of Object.entries(garbage)) {
        it(`${what} → RequestError ${code}, one attempt though retries are on`, async () => {
          server = await startRawServer((socket) => socket.end(payload))
          const error = await rejection(client(server.url, { retry: { limit: 3, baseDelay: 1, maxDelay: 5 } }).chat({ model: 'm', messages: hi }))
          expect(error).to.be.instanceOf(RequestError)
          expect(error).not.to.be.instanceOf(ConnectionError)
          expect(error.code).to.equal(code)
          expect(error.message).to.include(server.url)
          expect(server.requests).to.have.length(1)
        })
      }

      it('a line that breaks the code processing it (tool_calls: 42 in struct mode) → RequestError EBADLINE, not a network error', async () => {
        const body = '{"model":"m","message":{"role":"assistant","content":"a","tool_calls":42},"done":true}\n'
        server = await startRawServer((socket) => socket.end(head('200 OK', { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) }) + body))
        const stream = await client(server.url, { responseFormat: 'struct' }).chat({ model: 'm', messages: hi, stream: true })
        const error = await rejection(stream.collect())
        expect(error).to.be.instanceOf(RequestError)
        expect(error.code).to.equal('EBADLINE')
      })
    })
  })
}
