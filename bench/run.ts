/**
 * `npm run bench [-- --quick] [-- --only=flood,small] [-- --repeats=N]`: ollixir against
 * ollama-js and a raw node:http floor (see `scenarios.ts` for what is measured).
 *
 * The NDJSON server runs in its own process, and every client run is a fresh
 * process, so neither heats the other's JIT or heap. Each repetition runs every client
 * once, in an order rotated per repetition; ratios are paired: computed within one
 * repetition (clients run back to back), then the median and the range over the
 * repetitions are shown. The machines are shared and noisy: the range says how much.
 */
import { execFileSync, fork, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Measurement, Scenario } from './clients/measure.js'
import { CLIENTS, scenarios, TARGETS, type ClientName, type ClientSpec, type Plan } from './scenarios.js'

const quick = process.argv.includes('--quick')
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const REPEATS = Number(process.argv.find((a) => a.startsWith('--repeats='))?.slice('--repeats='.length) ?? (quick ? 1 : 5))
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

function runClient({ file, env }: ClientSpec, scenario: Scenario): Promise<Measurement> {
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
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const fmt = (n: number) => (Number.isNaN(n) ? '-' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2))

/** "x times as good", whichever direction is better for the metric. */
const asGood = (value: number, base: number, higherIsBetter: boolean) => (higherIsBetter ? value / base : base / value)

/** One scenario's samples: per repetition, each client's figure and its cold first call. */
interface Samples {
  plan: Plan
  runs: Array<Map<ClientName, Measurement>>
}

type Metric = Pick<Plan, 'metric' | 'higherIsBetter' | 'unit'>

/** The paired ratios of `client` against `base`, one per repetition in which both ran. */
function pairedRatios(samples: Samples, client: ClientName, base: ClientName, by: Metric = samples.plan): number[] {
  return samples.runs.flatMap((run) => {
    const a = run.get(client)
    const b = run.get(base)
    return a && b ? [asGood(by.metric(a), by.metric(b), by.higherIsBetter)] : []
  })
}

function table(samples: Samples, by: Metric, label: string): void {
  const { plan } = samples
  console.log(`\n${label}\n  ${'client'.padEnd(20)} ${by.unit.padStart(24)}   ${'vs ollama-js'.padEnd(20)} ${'vs raw'.padEnd(20)} cold call ms`)
  for (const name of plan.clients) {
    const runs = samples.runs.flatMap((run) => run.get(name) ?? [])
    const value = median(runs.map(by.metric))
    const cold = median(runs.map((m) => m.coldMs))
    const vsJs = showRatio(pairedRatios(samples, name, 'ollama-js', by))
    const vsRaw = showRatio(pairedRatios(samples, name, 'raw', by))
    console.log(`  ${name.padEnd(20)} ${fmt(value).padStart(24)}   ${vsJs.padEnd(20)} ${vsRaw.padEnd(20)} ${fmt(cold)}`)
  }
}

function showRatio(ratios: number[]): string {
  if (ratios.length === 0 || ratios.some(Number.isNaN)) return '-'
  const m = median(ratios)
  if (ratios.length === 1) return `${m.toFixed(2)}x`
  return `${m.toFixed(2)}x (${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`
}

async function main(): Promise<void> {
  const server = fork(here('./server.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  if (pin && server.pid) execFileSync('taskset', ['-a', '-p', '-c', '0', String(server.pid)], { stdio: 'ignore' })
  const port = await new Promise<number>((resolve) => server.once('message', (m: { port: number }) => resolve(m.port)))
  const host = `http://127.0.0.1:${port}`
  const all = new Map<string, Samples>()

  const cpu = cpus()[0]?.model ?? 'unknown CPU'
  console.log(`ollixir bench${quick ? ' --quick' : ''}: node ${process.version}, ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${REPEATS} repetition(s)`)
  console.log(pin ? 'server pinned to core 0, clients to core 1 (taskset)' : 'not pinned (no taskset or one core): expect more noise')
  const version = (name: string) => (JSON.parse(readFileSync(fileURLToPath(new URL(`../node_modules/${name}/package.json`, import.meta.url)), 'utf8')) as { version: string }).version
  console.log(`ollama-js ${version('ollama')}, xstate ${version('xstate')}, got ${version('got')}`)
  console.log('ratios: median of the per-repetition ratios (range), "x as good as"')

  for (const plan of scenarios(quick).filter((p) => !only || only.includes(p.scenario.name))) {
    const scenario: Scenario = { ...plan.scenario, host }
    const samples: Samples = { plan, runs: [] }
    for (let rep = 0; rep < REPEATS; rep++) {
      // Rotate the order each repetition so no client always runs first (or last).
      const order = plan.clients.map((_, i) => plan.clients[(i + rep) % plan.clients.length]!)
      const run = new Map<ClientName, Measurement>()
      for (const name of order) {
        // One failed run (say, out of file descriptors in held) costs its figure, not the whole bench.
        try {
          run.set(name, await runClient(CLIENTS[name], scenario))
        } catch (error) {
          console.error(`  ${plan.scenario.name} / ${name}: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}`)
        }
      }
      samples.runs.push(run)
    }
    all.set(plan.scenario.name, samples)
    table(samples, plan, `${plan.scenario.name}: ${plan.describe}`)
    if (plan.cpu) table(samples, plan.cpu, `${plan.scenario.name}, the same runs by CPU time`)
    if (plan.scenario.name === 'ttfc') {
      const over = (name: ClientName) => median(samples.runs.flatMap((run) => (run.get(name) && run.get('raw') ? [plan.metric(run.get(name)!) - plan.metric(run.get('raw')!)] : [])))
      console.log(`  added over raw (µs, median of paired differences): ${plan.clients.filter((c) => c !== 'raw').map((c) => `${c} ${fmt(over(c))}`).join(', ')}`)
    }
  }
  server.kill()

  console.log('\ntargets (paired ratios, median)')
  for (const target of TARGETS) {
    const samples = all.get(target.scenario)
    const by = target.byCpu ? samples?.plan.cpu : undefined
    const ratios = samples ? pairedRatios(samples, target.client, target.against, by) : []
    const m = median(ratios)
    const status = Number.isNaN(m) ? 'not run' : m >= target.atLeast ? 'met    ' : 'NOT MET'
    console.log(`  ${status}  ${(target.what + (by ? ' (CPU)' : '')).padEnd(50)} ${Number.isNaN(m) ? '' : `${showRatio(ratios)} as good, needs ${target.atLeast.toFixed(2)}x`}`)
  }
  const slow = all.get('slow')
  if (slow) {
    const growth = median(slow.runs.flatMap((run) => run.get('ollixir enumerable')?.peakRssGrowthMb ?? []))
    console.log(`  ${growth < 64 ? 'met    ' : 'NOT MET'}  ${'slow consumer: RSS growth < 64 MB'.padEnd(50)} ${fmt(growth)} MB`)
  }
}

await main()
