/**
 * Serves the web chat example: bundles `page/main.ts` with esbuild from the browser
 * entry, serves it with its HTML and CSS, and tells the page which Ollama to talk to
 * (`/config.json`): the one at OLLAMA_HOST when it answers and allows the page's origin,
 * else an embedded FakeOllama with scripted replies. `demo.ts` runs it from the command
 * line; the browser tests start it with their own FakeOllama.
 */
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FakeOllama } from '../../src/testing/index.js'
import { connect, type Connection } from '../support.js'
import type { WebDemoConfig } from './config.js'

const HERE = new URL('.', import.meta.url).pathname


export interface WebDemoOptions {
  /** Where the page is served. Default 127.0.0.1 (an origin Ollama allows by default) and any free port. */
  host?: string
  port?: number
  /** Use this FakeOllama (its replies scripted by the caller) instead of looking for an Ollama. */
  fake?: FakeOllama
  /** Skip the real Ollama and start an embedded FakeOllama. */
  forceFake?: boolean
}

export interface WebDemo {
  url: string
  config: WebDemoConfig
  close(): Promise<void>
}

export async function startWebDemo(options: WebDemoOptions = {}): Promise<WebDemo> {
  const script = await bundle()
  const [html, css] = await Promise.all([readFile(`${HERE}index.html`, 'utf8'), readFile(`${HERE}style.css`, 'utf8')])
  let config: WebDemoConfig | undefined
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://page').pathname
    const send = (type: string, body: string) => res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' }).end(body)
    if (path === '/') send('text/html', html)
    else if (path === '/main.js') send('text/javascript', script)
    else if (path === '/style.css') send('text/css', css)
    else if (path === '/config.json') send('application/json', JSON.stringify(config))
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve)
  })
  const url = `http://${options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}/`
  const connection = options.fake ? undefined : await backend(new URL(url).origin, options.forceFake ?? false)
  config = options.fake
    ? { host: options.fake.url, model: 'llama3.2', label: `FakeOllama at ${options.fake.url}`, backend: 'fake' }
    : { host: connection!.client.host, model: connection!.model, label: connection!.label, backend: connection!.fake ? 'fake' : 'ollama' }
  return {
    url,
    config,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await connection?.close()
    },
  }
}

/** The page, bundled for browsers: `browser` condition, no Node built-in. */
async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [`${HERE}page/main.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'inline',
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/**
 * The real Ollama when one answers and its CORS policy lets the page's origin in;
 * otherwise the embedded fake, with the reason in the label.
 */
async function backend(origin: string, forceFake: boolean): Promise<Connection> {
  // A chat page needs a model that completes text (not an embedding model).
  const connection = await connect({ fake: forceFake, quiet: true, script: scriptFake, capability: 'completion' })
  if (connection.fake) return connection
  const refused = await refusesOrigin(connection.client.host, origin)
  if (!refused) return connection
  await connection.close()
  const fallback = await connect({ fake: true, quiet: true, script: scriptFake })
  fallback.label =
    `The Ollama at ${connection.client.host} refuses this page's origin (${origin}): browsers may only call it from origins it allows. ` +
    `Restart it with OLLAMA_ORIGINS=${origin} (comma-separated list; see Ollama's FAQ) to chat with it from here. ` +
    `Meanwhile this page talks to an embedded FakeOllama at ${fallback.fake!.url}, whose replies are scripted.`
  return fallback
}

/** Asks as the page would (with its `Origin`); Ollama answers 403 to an origin it does not allow. */
async function refusesOrigin(host: string, origin: string): Promise<boolean> {
  const response = await fetch(`${host}/api/version`, { headers: { origin }, signal: AbortSignal.timeout(1500) })
  await response.body?.cancel()
  return response.status === 403
}

const REPLIES = [
  {
    thinking: 'The user wants to know what this page is. Keep it short and concrete.',
    text: 'This page runs createChatSession, an XState machine, right in your browser. Each reply streams from a request actor that the session invokes; cancel stops that actor, and its socket closes.',
  },
  {
    thinking: 'Explain where the bytes come from, and that this is scripted.',
    text: 'I am FakeOllama, a test server that speaks the Ollama protocol with scripted replies. Start Ollama (ollama serve) and reload the demo to talk to a real model.',
  },
  {
    thinking: 'Mention the inspector switch at the top.',
    text: 'Turn on the Stately inspector at the top of the page to watch the session machine and its request actors while the reply streams.',
  },
]

/** The fake answers with these, in turn, slowly enough to watch (and to cancel). */
function scriptFake(fake: FakeOllama): void {
  for (let turn = 0; turn < 300; turn++) {
    const reply = REPLIES[turn % REPLIES.length]!
    fake.enqueue('chat', { thinking: reply.thinking.split(/(?<= )/), text: reply.text.split(/(?<= )/), chunkDelayMs: 45 })
  }
}
