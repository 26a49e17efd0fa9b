/**
 * The benchmark's NDJSON server, run in its own process so its work never counts
 * against a client. The model name picks the scenario:
 *
 * - `flood:N`      N chat chunks as fast as the socket takes them (drain-aware)
 * - `paced:N:MS`   N chat chunks, one every MS milliseconds, like a real model
 * - `held:MS`      one chunk at once, the final chunk MS milliseconds later (open streams held)
 *
 * `GET /api/version` answers at once, for the small-request scenario.
 * Tells its parent the port over IPC, then serves until killed.
 */
import http from 'node:http'

const created = new Date().toISOString()
const chunk = (content: string) => Buffer.from(`${JSON.stringify({ model: 'bench', created_at: created, message: { role: 'assistant', content }, done: false })}\n`)
const final = Buffer.from(
  `${JSON.stringify({ model: 'bench', created_at: created, message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', total_duration: 1, load_duration: 1, prompt_eval_count: 1, prompt_eval_duration: 1, eval_count: 1, eval_duration: 1 })}\n`,
)
const token = chunk(' token')
/** Writes are batched so the server outruns every client: the clients are what is measured. */
const BATCH = 256
const batch = Buffer.concat(Array.from({ length: BATCH }, () => token))

async function flood(res: http.ServerResponse, count: number): Promise<void> {
  let left = count
  while (left > 0 && !res.destroyed) {
    const n = Math.min(BATCH, left)
    const ok = res.write(n === BATCH ? batch : batch.subarray(0, n * token.length))
    left -= n
    if (!ok) await new Promise((resolve) => res.once('drain', resolve))
  }
}

async function paced(res: http.ServerResponse, count: number, intervalMs: number): Promise<void> {
  for (let i = 0; i < count && !res.destroyed; i++) {
    res.write(token)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/api/version') {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
    res.end('{"version":"0.12.0"}')
    return
  }
  let body = ''
  req.setEncoding('utf8')
  req.on('data', (part: string) => (body += part))
  req.on('end', async () => {
    const [kind, count, interval] = String(JSON.parse(body).model).split(':')
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    if (kind === 'flood') await flood(res, Number(count))
    else if (kind === 'held') await paced(res, 1, Number(count))
    else await paced(res, Number(count), Number(interval))
    if (!res.destroyed) res.end(final)
  })
})
server.keepAliveTimeout = 60_000
// The held scenario opens thousands of connections at once: a long accept queue
// (the kernel caps it at net.core.somaxconn).
server.listen({ port: 0, host: '127.0.0.1', backlog: 16_384 }, () => {
  const address = server.address()
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 })
})
process.on('disconnect', () => process.exit(0))
