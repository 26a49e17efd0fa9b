/**
 * What every benchmark client reports, measured inside its own process. Every client
 * is made as a user would make it (default options) and warmed the same way before the
 * timed part: one call of the scenario's kind, whose time is reported apart (`coldMs`),
 * so the JIT, the connection and any lazy set-up (ajv, undici) are paid for by every
 * client alike and visible, not hidden in one client's figure.
 */
export interface Measurement {
  chunks: number
  requests: number
  wallMs: number
  /** User + system CPU of the whole process during the timed part (GC threads included). */
  cpuMs: number
  peakRssGrowthMb: number
  /** The first (warm-up) call, from the call to its end: what a short-lived program pays once. */
  coldMs: number
  /** held: RSS (after a full GC) per open stream, in KiB. */
  rssPerStreamKb?: number
  /** ttfc: median time from the call to the first chunk, in µs. */
  firstChunkUs?: number
}

export type ScenarioName = 'flood' | 'fanout' | 'slow' | 'small' | 'held' | 'ttfc'

export interface Scenario {
  name: ScenarioName
  host: string
  /** Chunks per stream (flood, fanout, slow), requests (small) or streams in a row (ttfc). */
  count: number
  /** Concurrent streams (fanout, held). */
  streams: number
  /** Server pacing in ms (fanout), or how long each stream is held open (held). */
  intervalMs: number
}

/** One client: runs a scenario and returns how many chunks/requests it completed. */
export interface BenchClient {
  /** Streams one chat of `model`; calls onChunk per chunk; resolves with the chunk count. */
  stream(model: string, onChunk?: () => Promise<void> | void): Promise<number>
  version(): Promise<void>
  close(): void
}

export function scenarioFromArgv(): Scenario {
  return JSON.parse(process.argv[2] ?? '{}') as Scenario
}

const SLOW_EVERY = 200
const SLOW_PAUSE_MS = 1

/** The same warm-up for every client: one call of the kind the scenario times. */
async function warmUp(client: BenchClient, scenario: Scenario): Promise<number> {
  const started = performance.now()
  if (scenario.name === 'small') await client.version()
  else await client.stream('flood:16')
  return performance.now() - started
}

/** Runs the scenario with `client` and prints one JSON line with the measurement. */
export async function run(client: BenchClient, scenario: Scenario): Promise<void> {
  const coldMs = await warmUp(client, scenario)
  globalThis.gc?.()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
  const cpu = process.cpuUsage()
  const started = performance.now()
  let chunks = 0
  let requests = 0
  const extra: Partial<Measurement> = {}
  switch (scenario.name) {
    case 'flood':
      chunks = await client.stream(`flood:${scenario.count}`)
      requests = 1
      break
    case 'fanout': {
      const counts = await Promise.all(Array.from({ length: scenario.streams }, () => client.stream(`paced:${scenario.count}:${scenario.intervalMs}`)))
      chunks = counts.reduce((a, b) => a + b, 0)
      requests = scenario.streams
      break
    }
    case 'slow': {
      // A consumer far slower than the server: 1 ms of waiting every 200 chunks.
      let seen = 0
      chunks = await client.stream(`flood:${scenario.count}`, () => (++seen % SLOW_EVERY === 0 ? new Promise((r) => setTimeout(r, SLOW_PAUSE_MS)) : undefined))
      requests = 1
      break
    }
    case 'small':
      for (let i = 0; i < scenario.count; i++) await client.version()
      requests = scenario.count
      break
    case 'held': {
      // Every stream gets its first chunk at once, then the server holds it open for
      // intervalMs before the final chunk: memory is read while all are open.
      let open = 0
      let allOpen!: () => void
      const opened = new Promise<void>((resolve) => (allOpen = resolve))
      const streams = Array.from({ length: scenario.streams }, () => {
        let first = true
        return client.stream(`held:${scenario.intervalMs}`, () => {
          if (first && ++open === scenario.streams) allOpen()
          first = false
        })
      })
      await opened
      globalThis.gc?.()
      extra.rssPerStreamKb = (process.memoryUsage.rss() - baseline) / 1024 / scenario.streams
      chunks = (await Promise.all(streams)).reduce((a, b) => a + b, 0)
      requests = scenario.streams
      break
    }
    case 'ttfc': {
      // One stream at a time; the server answers at once, so the time to the first
      // chunk is the client's own work (request building, actors, first read) plus a round trip.
      const times: number[] = []
      for (let i = 0; i < scenario.count; i++) {
        const start = performance.now()
        let first = true
        chunks += await client.stream('flood:1', () => {
          if (first) times.push(performance.now() - start)
          first = false
        })
      }
      times.sort((a, b) => a - b)
      extra.firstChunkUs = times[times.length >> 1]! * 1000
      requests = scenario.count
      break
    }
  }
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  client.close()
  const result: Measurement = { chunks, requests, wallMs, cpuMs: (used.user + used.system) / 1000, peakRssGrowthMb: (peak - baseline) / 2 ** 20, coldMs, ...extra }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
