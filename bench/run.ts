/**
 * `npm run bench [-- --quick]`: ollixir against ollama-js and a raw node:http floor.
 *
 * The NDJSON server runs in its own process, and every client run is a fresh
 * process, so neither heats the other's JIT or heap. Clients run in rotating order,
 * each scenario repeated (median reported), and every ratio compares figures from
 * this one run: the machines are shared and noisy, absolute numbers are not.
 */
import { execFileSync, fork, spawn } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Measurement, Scenario } from './clients/measure.js'

const quick = process.argv.includes('--quick')
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** Each client: its script, and the environment that picks its variant. */
const CLIENTS = {
  raw: { file: here('./clients/raw.ts') },
  'ollama-js': { file: here('./clients/ollama-js.ts') },
  'ollixir enumerable': { file: here('./clients/ollixir-enumerable.ts') },
  // The same client on the fetch transport (what browsers, Deno, Bun and workers use).
  'ollixir fetch': { file: here('./clients/ollixir-enumerable.ts'), env: { OLLIXIR_BENCH_TRANSPORT: 'fetch' } },
  'ollixir process': { file: here('./clients/ollixir-process.ts') },
} satisfies Record<string, { file: string; env?: Record<string, string> }>
type ClientName = keyof typeof CLIENTS

interface Plan {
  scenario: Omit<Scenario, 'host'>
  clients: ClientName[]
  /** The figure compared, from one measurement. */
  metric: (m: Measurement) => number
  unit: string
  higherIsBetter: boolean
}

const ALL: ClientName[] = ['raw', 'ollama-js', 'ollixir enumerable', 'ollixir fetch', 'ollixir process']
const PLANS: Plan[] = [
  { scenario: { name: 'flood', count: quick ? 30_000 : 200_000, streams: 1, intervalMs: 0 }, clients: ALL, metric: (m) => m.chunks / (m.wallMs / 1000), unit: 'chunks/s', higherIsBetter: true },
  { scenario: { name: 'fanout', count: quick ? 40 : 200, streams: quick ? 100 : 500, intervalMs: quick ? 5 : 10 }, clients: ALL, metric: (m) => m.cpuMs / (m.chunks / 1000), unit: 'CPU ms / 1k chunks', higherIsBetter: false },
  { scenario: { name: 'slow', count: quick ? 150_000 : 1_000_000, streams: 1, intervalMs: 0 }, clients: ['raw', 'ollama-js', 'ollixir enumerable', 'ollixir fetch'], metric: (m) => m.peakRssGrowthMb, unit: 'MB peak RSS growth', higherIsBetter: false },
  { scenario: { name: 'small', count: quick ? 300 : 5000, streams: 1, intervalMs: 0 }, clients: ALL, metric: (m) => m.requests / (m.wallMs / 1000), unit: 'requests/s', higherIsBetter: true },
]
const REPEATS = quick ? 2 : 5
/** `--only=flood,small` runs just those scenarios (while profiling, say). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',')

/**
 * On a machine with taskset and two or more cores, the server gets core 0 and each
 * client core 1, so they never fight over a core and every client gets the same one.
 */
const pin = (() => {
  if (cpus().length < 2) return undefined
  try {
    execFileSync('taskset', ['-c', '0', 'true'])
    return (core: number, argv: string[]) => ['taskset', ['-c', String(core), ...argv]] as const
  } catch {
    return undefined
  }
})()

function runClient({ file, env }: { file: string; env?: Record<string, string> }, scenario: Scenario): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const argv = [process.execPath, '--import', 'tsx', '--expose-gc', file, JSON.stringify(scenario)]
    const [command, args] = pin ? pin(1, argv) : [argv[0]!, argv.slice(1)]
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } })
    let out = ''
    child.stdout.on('data', (part: Buffer) => (out += part))
    child.on('error', reject)
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1)
      if (code !== 0 || !line) return reject(new Error(`${file} exited with ${code}: ${out}`))
      resolve(JSON.parse(line) as Measurement)
    })
  })
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2))

async function main(): Promise<void> {
  const server = fork(here('./server.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  if (pin && server.pid) execFileSync('taskset', ['-a', '-p', '-c', '0', String(server.pid)], { stdio: 'ignore' })
  const port = await new Promise<number>((resolve) => server.once('message', (m: { port: number }) => resolve(m.port)))
  const host = `http://127.0.0.1:${port}`
  const results = new Map<string, Map<ClientName, number>>()

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(`ollixir bench${quick ? ' --quick' : ''}: node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, median of ${REPEATS}`)
  console.log(pin ? 'server pinned to core 0, clients to core 1 (taskset)' : 'not pinned (no taskset or one core): expect more noise')
  try {
    console.log(`ollama-js ${execFileSync(process.execPath, ['-p', "require('ollama/package.json').version"]).toString().trim()}, xstate ${execFileSync(process.execPath, ['-p', "require('xstate/package.json').version"]).toString().trim()}`)
  } catch {
    // versions are informative only
  }

  for (const plan of PLANS.filter((p) => !only || only.includes(p.scenario.name))) {
    const scenario: Scenario = { ...plan.scenario, host }
    const samples = new Map<ClientName, number[]>(plan.clients.map((c) => [c, []]))
    for (let rep = 0; rep < REPEATS; rep++) {
      // Rotate the order each repetition so no client always runs first (or last).
      const order = plan.clients.map((_, i) => plan.clients[(i + rep) % plan.clients.length]!)
      for (const name of order) samples.get(name)!.push(plan.metric(await runClient(CLIENTS[name], scenario)))
    }
    const medians = new Map([...samples].map(([name, values]) => [name, median(values)]))
    results.set(plan.scenario.name, medians)
    const label = `${plan.scenario.name}: ${describe(plan.scenario)}`
    console.log(`\n${label}\n  ${'client'.padEnd(20)} ${plan.unit.padStart(20)}   vs ollama-js   vs raw`)
    for (const [name, value] of medians) {
      const vsJs = ratio(value, medians.get('ollama-js'), plan.higherIsBetter)
      const vsRaw = ratio(value, medians.get('raw'), plan.higherIsBetter)
      console.log(`  ${name.padEnd(20)} ${fmt(value).padStart(20)}   ${vsJs.padStart(11)}   ${vsRaw.padStart(6)}`)
    }
  }
  server.kill()
  report(results)
}

/** "x times as good", whichever direction is better for the metric. */
function ratio(value: number, base: number | undefined, higherIsBetter: boolean): string {
  if (base === undefined || base === 0 || value === 0) return '-'
  return `${(higherIsBetter ? value / base : base / value).toFixed(2)}x`
}

function describe(s: Plan['scenario']): string {
  switch (s.name) {
    case 'flood':
      return `one stream of ${s.count.toLocaleString('en-US')} chunks, as fast as possible`
    case 'fanout':
      return `${s.streams} concurrent streams × ${s.count} chunks, one every ${s.intervalMs} ms`
    case 'slow':
      return `${s.count.toLocaleString('en-US')} chunks flooded to a consumer that waits 1 ms every 200 chunks`
    case 'small':
      return `${s.count.toLocaleString('en-US')} sequential version() calls`
  }
}

/** The targets, each a ratio from this run. */
function report(results: Map<string, Map<ClientName, number>>): void {
  const get = (scenario: string, client: ClientName) => results.get(scenario)?.get(client) ?? NaN
  const checks: Array<[string, boolean, string]> = [
    ['flood: enumerable >= 1.5x ollama-js', get('flood', 'ollixir enumerable') >= 1.5 * get('flood', 'ollama-js'), `${(get('flood', 'ollixir enumerable') / get('flood', 'ollama-js')).toFixed(2)}x`],
    ['flood: enumerable >= 0.8x raw', get('flood', 'ollixir enumerable') >= 0.8 * get('flood', 'raw'), `${(get('flood', 'ollixir enumerable') / get('flood', 'raw')).toFixed(2)}x`],
    ['flood: fetch transport >= ollama-js (both on fetch)', get('flood', 'ollixir fetch') >= get('flood', 'ollama-js'), `${(get('flood', 'ollixir fetch') / get('flood', 'ollama-js')).toFixed(2)}x`],
    ['flood: process >= 0.4x raw', get('flood', 'ollixir process') >= 0.4 * get('flood', 'raw'), `${(get('flood', 'ollixir process') / get('flood', 'raw')).toFixed(2)}x`],
    ['fan-out: enumerable CPU/chunk <= ollama-js', get('fanout', 'ollixir enumerable') <= get('fanout', 'ollama-js'), `${fmt(get('fanout', 'ollixir enumerable'))} vs ${fmt(get('fanout', 'ollama-js'))} ms`],
    ['fan-out: process CPU/chunk <= ollama-js', get('fanout', 'ollixir process') <= get('fanout', 'ollama-js'), `${fmt(get('fanout', 'ollixir process'))} vs ${fmt(get('fanout', 'ollama-js'))} ms`],
    ['slow consumer: RSS growth < 64 MB', get('slow', 'ollixir enumerable') < 64, `${fmt(get('slow', 'ollixir enumerable'))} MB`],
    ['small requests: >= ollama-js', get('small', 'ollixir enumerable') >= get('small', 'ollama-js'), `${(get('small', 'ollixir enumerable') / get('small', 'ollama-js')).toFixed(2)}x`],
  ]
  console.log('\ntargets')
  for (const [name, ok, figure] of checks) {
    // A scenario left out with --only has no figure: say so rather than "not met".
    const status = figure.includes('NaN') ? 'not run' : ok ? 'met    ' : 'NOT MET'
    console.log(`  ${status}  ${name.padEnd(44)} ${status === 'not run' ? '' : figure}`)
  }
}

await main()
