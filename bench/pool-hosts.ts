/**
 * Four Ollama-like hosts for `bench/pool.ts`, in their own process so their work never
 * counts against the client. Each models what makes routing matter on real servers:
 *
 * - `SLOTS` requests run at once (OLLAMA_NUM_PARALLEL); more wait in the server's queue;
 * - one model loaded at a time (OLLAMA_MAX_LOADED_MODELS=1): a request for another
 *   model waits for the running ones to finish, then pays `LOAD_MS` to swap it in;
 * - a reply is `CHUNKS` chunks, one every `CHUNK_MS` (a paced model);
 * - `/api/ps` names the loaded model, `/api/tags` every model, `/api/version` answers.
 *
 * Host i starts with model `m<i>` loaded. Tells its parent the ports over IPC.
 */
import http from 'node:http'

export const HOSTS = 4
export const MODELS = ['m0', 'm1', 'm2', 'm3']
const SLOTS = Number(process.env.POOL_BENCH_SLOTS ?? 2)
const LOAD_MS = Number(process.env.POOL_BENCH_LOAD_MS ?? 1000)
const CHUNKS = Number(process.env.POOL_BENCH_CHUNKS ?? 10)
const CHUNK_MS = Number(process.env.POOL_BENCH_CHUNK_MS ?? 50)

const created = new Date().toISOString()
const line = (model: string, done: boolean) =>
  `${JSON.stringify({ model, created_at: created, message: { role: 'assistant', content: done ? '' : ' token' }, done, ...(done ? { done_reason: 'stop' } : {}) })}\n`
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function startHost(index: number): Promise<number> {
  let loaded = MODELS[index]!
  let running = 0
  let loading = false
  let swaps = 0
  // First come, first served, as Ollama's scheduler: the head waits for a slot, and
  // for the runner to be idle when it needs another model (which it then loads).
  const waiting: Array<{ model: string; go: () => void }> = []
  const wake = () => {
    while (waiting.length > 0 && !loading && running < SLOTS) {
      const head = waiting[0]!
      if (head.model !== loaded && running > 0) return
      waiting.shift()
      running++
      if (head.model === loaded) {
        head.go()
        continue
      }
      loading = true
      swaps++
      setTimeout(() => {
        loaded = head.model
        loading = false
        head.go()
        wake()
      }, LOAD_MS)
    }
  }
  const slot = (model: string) => new Promise<void>((go) => (waiting.push({ model, go }), wake()))
  const server = http.createServer((req, res) => {
    const json = (value: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    if (req.url === '/api/version') return json({ version: '0.12.0' })
    // Not Ollama's: how many model swaps this host made, for the report.
    if (req.url === '/bench/swaps') return json({ swaps })
    const entry = (name: string) => ({ name: `${name}:latest`, model: `${name}:latest`, size: 1, digest: name.padEnd(64, '0'), details: {} })
    if (req.url === '/api/ps') return json({ models: [entry(loaded)] })
    if (req.url === '/api/tags') return json({ models: MODELS.map(entry) })
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (part: string) => (body += part))
    req.on('end', async () => {
      const model = String(JSON.parse(body).model).replace(/:latest$/, '')
      await slot(model)
      try {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' })
        for (let i = 0; i < CHUNKS && !res.destroyed; i++) {
          res.write(line(model, false))
          await sleep(CHUNK_MS)
        }
        if (!res.destroyed) res.end(line(model, true))
      } finally {
        running--
        wake()
      }
    })
  })
  server.keepAliveTimeout = 60_000
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

const ports = await Promise.all(Array.from({ length: HOSTS }, (_, index) => startHost(index)))
process.send?.({ ports })
process.on('disconnect', () => process.exit(0))
