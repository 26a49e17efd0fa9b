import { expect } from 'chai'
import { request as httpRequest } from 'node:http'
import { FakeOllama } from '../src/testing/index.js'
import { allowedOrigins, OllamaCors } from '../src/testing/cors.js'

interface RawResponse {
  status: number
  /** Header name (lower case) → every value sent under it, in order (`Vary` comes as three lines). */
  headers: Map<string, string[]>
  body: string
}

/** A plain node:http request: the exact status, header lines and body the fake sent. */
function call(fake: FakeOllama, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<RawResponse> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
  return new Promise((resolve, reject) => {
    const sent = { ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) } : {}), ...headers }
    const req = httpRequest(`${fake.url}${path}`, { method, agent: false, headers: sent }, (res) => {
      const lines = new Map<string, string[]>()
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = (res.rawHeaders[i] as string).toLowerCase()
        lines.set(name, [...(lines.get(name) ?? []), res.rawHeaders[i + 1] as string])
      }
      const pieces: Buffer[] = []
      res.on('data', (d: Buffer) => pieces.push(d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: lines, body: Buffer.concat(pieces).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** The `Access-Control-*` and `Vary` header names of a response. */
function corsHeaderNames(res: RawResponse): string[] {
  return [...res.headers.keys()].filter((name) => name.startsWith('access-control-') || name === 'vary').sort()
}

const CHAT = { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: false }
// Ollama's AllowHeaders after gin-contrib/cors lower-cases them and applies Go's CanonicalHeaderKey.
const ALLOW_HEADERS =
  'Authorization,Content-Type,User-Agent,Accept,X-Requested-With,Openai-Beta,X-Stainless-Arch,X-Stainless-Async,' +
  'X-Stainless-Custom-Poll-Interval,X-Stainless-Helper-Method,X-Stainless-Lang,X-Stainless-Os,X-Stainless-Package-Version,' +
  'X-Stainless-Poll-Helper,X-Stainless-Retry-Count,X-Stainless-Runtime,X-Stainless-Runtime-Version,X-Stainless-Timeout'

describe('FakeOllama CORS (as Ollama with gin-contrib/cors)', () => {
  let fake: FakeOllama
  afterEach(async () => fake?.close())

  describe('with the default allowlist', () => {
    beforeEach(async () => {
      fake = await FakeOllama.start()
    })

    it('answers a preflight from an allowed origin with 204 and exactly the preflight headers', async () => {
      const res = await call(fake, 'OPTIONS', '/api/chat', {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-team',
      })
      expect(res.status).to.equal(204)
      expect(res.body).to.equal('')
      expect(corsHeaderNames(res)).to.deep.equal([
        'access-control-allow-headers',
        'access-control-allow-methods',
        'access-control-allow-origin',
        'access-control-max-age',
        'vary',
      ])
      expect(res.headers.get('access-control-allow-origin')).to.deep.equal(['http://localhost:5173'])
      expect(res.headers.get('access-control-allow-methods')).to.deep.equal(['GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS'])
      // The list is fixed: the requested x-team is not added, so a browser refuses the request itself.
      expect(res.headers.get('access-control-allow-headers')).to.deep.equal([ALLOW_HEADERS])
      expect(res.headers.get('access-control-max-age')).to.deep.equal(['43200'])
      expect(res.headers.get('vary')).to.deep.equal(['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'])
      expect(res.headers.has('access-control-allow-credentials')).to.equal(false)
    })

    it('answers a preflight on any path, before routing (an unknown path too)', async () => {
      const res = await call(fake, 'OPTIONS', '/no/such/route', { Origin: 'http://127.0.0.1:3000' })
      expect(res.status).to.equal(204)
      expect(res.headers.get('access-control-allow-origin')).to.deep.equal(['http://127.0.0.1:3000'])
    })

    it('lets an allowed request through to its route, with Vary: Origin and the origin echoed', async () => {
      const res = await call(fake, 'POST', '/api/chat', { Origin: 'https://0.0.0.0:8443' }, CHAT)
      expect(res.status).to.equal(200)
      expect(JSON.parse(res.body)).to.include({ done: true })
      expect(corsHeaderNames(res)).to.deep.equal(['access-control-allow-origin', 'vary'])
      expect(res.headers.get('access-control-allow-origin')).to.deep.equal(['https://0.0.0.0:8443'])
      expect(res.headers.get('vary')).to.deep.equal(['Origin'])
    })

    it("keeps the CORS headers on the route's error answers, so a page can read them", async () => {
      const res = await call(fake, 'POST', '/api/chat', { Origin: 'http://localhost' }, { ...CHAT, model: 'missing' })
      expect(res.status).to.equal(404)
      expect(res.headers.get('access-control-allow-origin')).to.deep.equal(['http://localhost'])
      expect(JSON.parse(res.body)).to.deep.equal({ error: "model 'missing' not found" })
    })

    it('refuses an origin outside the allowlist: 403, empty body, no CORS header, no route run', async () => {
      fake.enqueue('chat', { text: 'never sent' })
      const res = await call(fake, 'POST', '/api/chat', { Origin: 'https://evil.example' }, CHAT)
      expect(res.status).to.equal(403)
      expect(res.body).to.equal('')
      expect(res.headers.get('content-length')).to.deep.equal(['0'])
      expect(corsHeaderNames(res)).to.deep.equal([])
      // The scripted reply is still queued: the route never ran.
      const next = await call(fake, 'POST', '/api/chat', {}, CHAT)
      expect(JSON.parse(next.body).message.content).to.equal('never sent')
    })

    it('refuses a preflight from an origin outside the allowlist with the same 403', async () => {
      const res = await call(fake, 'OPTIONS', '/api/chat', { Origin: 'http://127.0.0.2:8080', 'Access-Control-Request-Method': 'POST' })
      expect(res.status).to.equal(403)
      expect(res.body).to.equal('')
      expect(corsHeaderNames(res)).to.deep.equal([])
    })

    it('leaves requests without an Origin header untouched', async () => {
      const res = await call(fake, 'GET', '/api/version')
      expect(res.status).to.equal(200)
      expect(corsHeaderNames(res)).to.deep.equal([])
    })

    it('treats an Origin equal to http://<Host> as same-origin: no CORS header, no refusal', async () => {
      const res = await call(fake, 'GET', '/api/version', { Origin: fake.url, Host: fake.host })
      expect(res.status).to.equal(200)
      expect(corsHeaderNames(res)).to.deep.equal([])
    })

    it('matches the wildcard entries by prefix: another host or another loopback address is refused', async () => {
      for (const origin of ['http://127.0.0.10:80', 'http://localhost.evil.example', 'http://LOCALHOST:3000', 'chrome-extension://abc', 'null']) {
        expect((await call(fake, 'GET', '/api/version', { Origin: origin })).status, origin).to.equal(403)
      }
      for (const origin of ['http://localhost', 'https://127.0.0.1', 'app://obsidian.md', 'file://', 'tauri://localhost', 'vscode-webview://x', 'vscode-file://vscode-app']) {
        expect((await call(fake, 'GET', '/api/version', { Origin: origin })).status, origin).to.equal(200)
      }
    })

    it('records preflights and refused requests like any other request', async () => {
      await call(fake, 'OPTIONS', '/api/tags', { Origin: 'http://localhost:1' })
      await call(fake, 'GET', '/api/tags', { Origin: 'https://evil.example' })
      expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.headers.origin}`)).to.deep.equal([
        'OPTIONS /api/tags http://localhost:1',
        'GET /api/tags https://evil.example',
      ])
    })
  })

  describe('with origins (OLLAMA_ORIGINS)', () => {
    it('adds exact origins to the defaults', async () => {
      fake = await FakeOllama.start({ origins: ['https://my.app'] })
      const mine = await call(fake, 'GET', '/api/version', { Origin: 'https://my.app' })
      expect(mine.status).to.equal(200)
      expect(mine.headers.get('access-control-allow-origin')).to.deep.equal(['https://my.app'])
      expect((await call(fake, 'GET', '/api/version', { Origin: 'http://localhost:8080' })).status).to.equal(200)
      expect((await call(fake, 'GET', '/api/version', { Origin: 'https://my.app.evil' })).status).to.equal(403)
    })

    it('reads a comma-separated string as the variable, and one * per entry', async () => {
      fake = await FakeOllama.start({ origins: "'https://*.example.com,chrome-extension://*'" })
      expect((await call(fake, 'GET', '/api/version', { Origin: 'https://a.example.com' })).status).to.equal(200)
      expect((await call(fake, 'GET', '/api/version', { Origin: 'chrome-extension://abcdef' })).status).to.equal(200)
      expect((await call(fake, 'GET', '/api/version', { Origin: 'http://a.example.com' })).status).to.equal(403)
    })

    it('allows every origin with *, answering Access-Control-Allow-Origin: * and no Vary', async () => {
      fake = await FakeOllama.start({ origins: ['*'] })
      const simple = await call(fake, 'GET', '/api/version', { Origin: 'https://anywhere.example' })
      expect(simple.status).to.equal(200)
      expect(simple.headers.get('access-control-allow-origin')).to.deep.equal(['*'])
      expect(simple.headers.has('vary')).to.equal(false)
      const preflight = await call(fake, 'OPTIONS', '/api/chat', { Origin: 'https://anywhere.example' })
      expect(preflight.status).to.equal(204)
      expect(preflight.headers.get('access-control-allow-origin')).to.deep.equal(['*'])
      expect(preflight.headers.has('vary')).to.equal(false)
    })

    it('refuses to start on an entry Ollama refuses (no scheme and no *, or two *)', async () => {
      let error: unknown
      try {
        fake = await FakeOllama.start({ origins: ['my.app'] })
      } catch (err) {
        error = err
      }
      expect(error).to.be.instanceOf(Error).with.property('message').that.match(/^bad origin: origins must contain '\*' or include http:\/\//)
      expect(() => OllamaCors.fromOrigins(['https://*.*.example.com'])).to.throw('only one * is allowed')
    })
  })

  it('builds the allowlist as envconfig.AllowedOrigins: OLLAMA_ORIGINS entries first, then the defaults', () => {
    expect(allowedOrigins(' "https://a.app,https://b.app" ')).to.deep.equal([
      'https://a.app',
      'https://b.app',
      'http://localhost',
      'https://localhost',
      'http://localhost:*',
      'https://localhost:*',
      'http://127.0.0.1',
      'https://127.0.0.1',
      'http://127.0.0.1:*',
      'https://127.0.0.1:*',
      'http://0.0.0.0',
      'https://0.0.0.0',
      'http://0.0.0.0:*',
      'https://0.0.0.0:*',
      'app://*',
      'file://*',
      'tauri://*',
      'vscode-webview://*',
      'vscode-file://*',
    ])
  })
})
