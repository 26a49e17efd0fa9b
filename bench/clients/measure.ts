/**
 * What every benchmark client reports, measured inside its own process: wall time,
 * CPU time (user + system) and the peak RSS above the baseline taken before the run.
 */
export interface Measurement {
  chunks: number
  requests: number
  wallMs: number
  cpuMs: number
  peakRssGrowthMb: number
}

export interface Scenario {
  name: 'flood' | 'fanout' | 'slow' | 'small'
  host: string
  /** Chunks per stream (flood, fanout, slow) or requests (small). */
  count: number
  /** Concurrent streams (fanout). */
  streams: number
  /** Server pacing in ms (fanout). */
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

/** Runs the scenario with `client` and prints one JSON line with the measurement. */
export async function run(client: BenchClient, scenario: Scenario): Promise<void> {
  globalThis.gc?.()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20)
  const cpu = process.cpuUsage()
  const started = performance.now()
  let chunks = 0
  let requests = 0
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
  }
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  client.close()
  const result: Measurement = { chunks, requests, wallMs, cpuMs: (used.user + used.system) / 1000, peakRssGrowthMb: (peak - baseline) / 2 ** 20 }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}
