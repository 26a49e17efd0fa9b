/**
 * `npm run bench:pool` (and the end of `npm run bench`): four hosts with paced streams,
 * two slots each and one model loaded at a time (`pool-hosts.ts`), a closed loop of
 * `CONCURRENCY` callers asking for random models among four. Compared:
 *
 * - `pool`: one client over the four hosts (`hosts`), routing by model and load;
 * - `pool, no spill`: the same with `spillFactor: Infinity` (a loaded model never spreads);
 * - `round-robin`: the same calls dealt to the hosts in turn, without model knowledge
 *   (what a plain load balancer in front of them does).
 *
 * Reports completed requests per second and p50/p99 latency (call to final chunk).
 * Each run gets fresh hosts, so both start from the same loaded models.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { Ollixir } from '../src/index.js'

const quick = process.argv.includes('--quick')
const REQUESTS = quick ? 200 : 400
const CONCURRENCY = 16
const MODELS = ['m0', 'm1', 'm2', 'm3']
const REPEATS = 1

interface Result {
  perSecond: number
  p50: number
  p99: number
  /** Model loads the hosts made. */
  swaps: number
}

async function startHosts(): Promise<{ hosts: string[]; stop: () => void }> {
  const child = fork(fileURLToPath(new URL('./pool-hosts.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] })
  const { ports } = await new Promise<{ ports: number[] }>((resolve) => child.once('message', (message) => resolve(message as { ports: number[] })))
  return { hosts: ports.map((port) => `http://127.0.0.1:${port}`), stop: () => child.kill() }
}

/** A seeded sequence of models, the same for every run. */
function workload(): string[] {
  let seed = 42
  return Array.from({ length: REQUESTS }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return MODELS[(seed >>> 16) % MODELS.length]!
  })
}

async function run(name: 'pool' | 'pool, no spill' | 'round-robin'): Promise<Result> {
  const { hosts, stop } = await startHosts()
  const pool = Ollixir.init({ hosts, retry: false, pool: { slots: 2, ...(name === 'pool, no spill' ? { spillFactor: Infinity } : {}) } })
  const singles = hosts.map((host) => Ollixir.init({ host, retry: false }))
  let dealt = 0
  const send = async (model: string) => {
    const client = name === 'round-robin' ? singles[dealt++ % singles.length]! : pool
    const stream = await client.chat({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })
    await stream.collect()
  }
  try {
    if (name !== 'round-robin') await pool.pool!.refresh()
    const models = workload()
    const latencies: number[] = []
    const started = performance.now()
    let next = 0
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < models.length) {
          const model = models[next++]!
          const t = performance.now()
          await send(model)
          latencies.push(performance.now() - t)
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    const swaps = (await Promise.all(hosts.map((host) => fetch(`${host}/bench/swaps`).then((r) => r.json() as Promise<{ swaps: number }>)))).reduce((sum, r) => sum + r.swaps, 0)
    latencies.sort((a, b) => a - b)
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!
    return { perSecond: REQUESTS / seconds, p50: at(0.5), p99: at(0.99), swaps }
  } finally {
    pool.close()
    for (const single of singles) single.close()
    stop()
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const rows: Array<[string, Result]> = []
for (const name of ['pool', 'pool, no spill', 'round-robin'] as const) {
  const results: Result[] = []
  for (let i = 0; i < REPEATS; i++) results.push(await run(name))
  rows.push([name, { perSecond: median(results.map((r) => r.perSecond)), p50: median(results.map((r) => r.p50)), p99: median(results.map((r) => r.p99)), swaps: median(results.map((r) => r.swaps)) }])
}
process.stdout.write(`\npool scenario: 4 hosts × 2 slots, 1 model loaded per host (load 1 s), 10 chunks × 50 ms, ${REQUESTS} requests, ${CONCURRENCY} callers, 4 models (one run each; the same seeded workload)\n`)
process.stdout.write(`${'client'.padEnd(16)}${'requests/s'.padStart(12)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'model loads'.padStart(13)}\n`)
for (const [name, r] of rows) process.stdout.write(`${name.padEnd(16)}${r.perSecond.toFixed(1).padStart(12)}${r.p50.toFixed(0).padStart(10)}${r.p99.toFixed(0).padStart(10)}${String(r.swaps).padStart(13)}\n`)
