/**
 * What `npm run bench` measures: the clients, the scenarios (with their sizes, full and
 * `--quick`) and the targets. A new scenario is one entry in `SCENARIOS` (and a case in
 * `clients/measure.ts` if it needs a new kind of run); a new client is one entry in
 * `CLIENTS`.
 */
import { fileURLToPath } from 'node:url'
import type { Measurement, Scenario } from './clients/measure.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export interface ClientSpec {
  file: string
  /** The environment that picks the client's variant. */
  env?: Record<string, string>
  /** Shown under the table. */
  about: string
}

/** Each client as users would set it up: default options, as documented. */
export const CLIENTS = {
  raw: { file: here('./clients/raw.ts'), about: 'node:http, split on newlines, JSON.parse: the floor, no library' },
  'ollama-js': { file: here('./clients/ollama-js.ts'), about: 'the official `ollama` package, `for await` over `chat({ stream: true })`' },
  'ollixir enumerable': { file: here('./clients/ollixir-enumerable.ts'), about: '`for await` over `chat({ stream: true })`, on got (the Node default)' },
  'ollixir fetch': { file: here('./clients/ollixir-enumerable.ts'), env: { OLLIXIR_BENCH_TRANSPORT: 'fetch' }, about: 'the same on the fetch transport (browsers, Deno, Bun, workers)' },
  'ollixir node:http': { file: here('./clients/ollixir-enumerable.ts'), env: { OLLIXIR_BENCH_TRANSPORT: 'node-http' }, about: 'the same on node:http directly (`bench/node-http-transport.ts`, an experiment): what got costs' },
  'ollixir process': { file: here('./clients/ollixir-process.ts'), about: 'an XState machine counting `ollixir.data` from `chat({ stream: self })`' },
  'ollixir coalesced': { file: here('./clients/ollixir-process.ts'), env: { OLLIXIR_BENCH_COALESCE: '1' }, about: 'the same machine with `coalesce: true`, counting `ollixir.chunks`' },
} satisfies Record<string, ClientSpec>
export type ClientName = keyof typeof CLIENTS

export interface Plan {
  scenario: Omit<Scenario, 'host'>
  clients: ClientName[]
  /** The figure compared, from one measurement. */
  metric: (m: Measurement) => number
  unit: string
  higherIsBetter: boolean
  /**
   * The same runs by the client's CPU time: on a shared machine a client that is
   * descheduled loses wall time it never used, so these ratios are the steadier ones.
   */
  cpu?: { metric: (m: Measurement) => number; unit: string; higherIsBetter: boolean }
  describe: string
}

const STREAMING: ClientName[] = ['raw', 'ollama-js', 'ollixir enumerable', 'ollixir fetch', 'ollixir node:http', 'ollixir process', 'ollixir coalesced']
const ENUMERABLE: ClientName[] = ['raw', 'ollama-js', 'ollixir enumerable', 'ollixir fetch', 'ollixir node:http']
const fmtInt = (n: number) => n.toLocaleString('en-US')

export function scenarios(quick: boolean): Plan[] {
  const flood = quick ? 30_000 : 200_000
  const fanout = { count: quick ? 40 : 200, streams: quick ? 100 : 500, intervalMs: quick ? 5 : 10 }
  const slow = quick ? 100_000 : 1_000_000
  const small = quick ? 1000 : 5000
  const held = { streams: quick ? 1000 : 10_000, intervalMs: quick ? 1000 : 6000 }
  const ttfc = quick ? 100 : 400
  // --quick keeps to about a minute: only the clients its targets compare.
  const some = (full: ClientName[], few: ClientName[]) => (quick ? few : full)
  const BASE: ClientName[] = ['raw', 'ollama-js', 'ollixir enumerable']
  return [
    { scenario: { name: 'flood', count: flood, streams: 1, intervalMs: 0 }, clients: some(STREAMING, [...BASE, 'ollixir node:http', 'ollixir coalesced']), metric: (m) => m.chunks / (m.wallMs / 1000), unit: 'chunks/s', higherIsBetter: true, cpu: { metric: (m) => m.chunks / (m.cpuMs / 1000), unit: 'chunks / CPU s', higherIsBetter: true }, describe: `one stream of ${fmtInt(flood)} chunks, as fast as possible` },
    { scenario: { name: 'fanout', ...fanout }, clients: some(STREAMING, [...BASE, 'ollixir coalesced']), metric: (m) => m.cpuMs / (m.chunks / 1000), unit: 'CPU ms / 1k chunks', higherIsBetter: false, describe: `${fanout.streams} concurrent streams × ${fanout.count} chunks, one every ${fanout.intervalMs} ms` },
    { scenario: { name: 'slow', count: slow, streams: 1, intervalMs: 0 }, clients: some(ENUMERABLE, BASE), metric: (m) => m.peakRssGrowthMb, unit: 'MB peak RSS growth', higherIsBetter: false, describe: `${fmtInt(slow)} chunks flooded to a consumer that waits 1 ms every 200 chunks` },
    { scenario: { name: 'small', count: small, streams: 1, intervalMs: 0 }, clients: some(ENUMERABLE, [...BASE, 'ollixir node:http']), metric: (m) => m.requests / (m.wallMs / 1000), unit: 'requests/s', higherIsBetter: true, cpu: { metric: (m) => m.cpuMs * 1000 / m.requests, unit: 'CPU µs / request', higherIsBetter: false }, describe: `${fmtInt(small)} sequential version() calls` },
    { scenario: { name: 'held', ...held, count: 2 }, clients: some(STREAMING.filter((c) => c !== 'ollixir coalesced'), BASE), metric: (m) => m.rssPerStreamKb ?? NaN, unit: 'KiB RSS per open stream', higherIsBetter: false, describe: `${fmtInt(held.streams)} streams open at once (first chunk, then ${held.intervalMs} ms before the last)` },
    { scenario: { name: 'ttfc', count: ttfc, streams: 1, intervalMs: 0 }, clients: some(ENUMERABLE, BASE), metric: (m) => m.firstChunkUs ?? NaN, unit: 'µs to first chunk', higherIsBetter: false, describe: `${ttfc} streams one after another: median time from the call to the first chunk` },
  ]
}

/** The targets: [what, scenario, client, against, bound], the ratio "as good as" `against` must reach `bound`. */
export const TARGETS: Array<{ what: string; scenario: string; client: ClientName; against: ClientName; atLeast: number; byCpu?: boolean }> = [
  { what: 'small: enumerable >= 1.2x ollama-js', scenario: 'small', client: 'ollixir enumerable', against: 'ollama-js', atLeast: 1.2 },
  { what: 'flood: enumerable >= 1.5x ollama-js', scenario: 'flood', client: 'ollixir enumerable', against: 'ollama-js', atLeast: 1.5 },
  { what: 'flood: enumerable >= 0.85x raw', scenario: 'flood', client: 'ollixir enumerable', against: 'raw', atLeast: 0.85 },
  { what: 'flood: coalesced process >= 0.6x raw', scenario: 'flood', client: 'ollixir coalesced', against: 'raw', atLeast: 0.6 },
  // CPU per chunk <= 0.9x ollama-js: "as good as" >= 1/0.9.
  { what: 'fan-out: CPU/chunk <= 0.9x ollama-js', scenario: 'fanout', client: 'ollixir enumerable', against: 'ollama-js', atLeast: 1 / 0.9 },
  { what: 'held: memory/stream <= ollama-js', scenario: 'held', client: 'ollixir enumerable', against: 'ollama-js', atLeast: 1 },
  { what: 'small, on node:http: >= 1.2x ollama-js', scenario: 'small', client: 'ollixir node:http', against: 'ollama-js', atLeast: 1.2 },
  { what: 'flood, on node:http: >= 0.85x raw', scenario: 'flood', client: 'ollixir node:http', against: 'raw', atLeast: 0.85 },
  { what: 'fetch flood >= ollama-js (both on fetch)', scenario: 'flood', client: 'ollixir fetch', against: 'ollama-js', atLeast: 1 },
  // The same, by CPU time (steadier on a shared machine; equal on an idle one, where the client is the bottleneck).
  { what: 'small: enumerable >= 1.2x ollama-js', scenario: 'small', client: 'ollixir enumerable', against: 'ollama-js', atLeast: 1.2, byCpu: true },
  { what: 'flood: enumerable >= 1.5x ollama-js', scenario: 'flood', client: 'ollixir enumerable', against: 'ollama-js', atLeast: 1.5, byCpu: true },
  { what: 'flood: enumerable >= 0.85x raw', scenario: 'flood', client: 'ollixir enumerable', against: 'raw', atLeast: 0.85, byCpu: true },
  { what: 'flood: coalesced process >= 0.6x raw', scenario: 'flood', client: 'ollixir coalesced', against: 'raw', atLeast: 0.6, byCpu: true },
  { what: 'small, on node:http: >= 1.2x ollama-js', scenario: 'small', client: 'ollixir node:http', against: 'ollama-js', atLeast: 1.2, byCpu: true },
  { what: 'flood, on node:http: >= 0.85x raw', scenario: 'flood', client: 'ollixir node:http', against: 'raw', atLeast: 0.85, byCpu: true },
]
