/**
 * ollixir, enumerable mode: `for await` over `stream: true`. OLLIXIR_BENCH_TRANSPORT
 * picks the transport: got (the default), `fetch`, or `node-http` (the experiment in
 * `bench/node-http-transport.ts`, plugged in where the Node platform plugs in got).
 */
import { Ollixir as RuntimeNeutralOllixir } from '../../src/client.js'
import { Ollixir } from '../../src/index.js'
import { nodePlatform } from '../../src/platform/node-platform.js'
import { createNodeHttpTransport } from '../node-http-transport.js'
import { run, scenarioFromArgv, type BenchClient } from './measure.js'

const scenario = scenarioFromArgv()
const transport = process.env.OLLIXIR_BENCH_TRANSPORT
const ollixir =
  transport === 'node-http'
    ? new RuntimeNeutralOllixir({ host: scenario.host }, { ...nodePlatform, createTransport: () => createNodeHttpTransport() })
    : Ollixir.init({ host: scenario.host, ...(transport === 'fetch' ? { fetch: (input, init) => fetch(input, init) } : {}) })

const client: BenchClient = {
  async stream(model, onChunk) {
    let count = 0
    for await (const _ of await ollixir.chat({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      count++
      const wait = onChunk?.()
      if (wait) await wait
    }
    return count
  },
  async version() {
    await ollixir.version()
  },
  close: () => ollixir.close(),
}

await run(client, scenario)
