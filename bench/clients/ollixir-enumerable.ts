/** ollixir, enumerable mode: `for await` over `stream: true`, on got, or on fetch with OLLIXIR_BENCH_TRANSPORT=fetch. */
import { Ollixir } from '../../src/index.js'
import { run, scenarioFromArgv, type BenchClient } from './measure.js'

const scenario = scenarioFromArgv()
const onFetch = process.env.OLLIXIR_BENCH_TRANSPORT === 'fetch'
const ollixir = Ollixir.init({ host: scenario.host, ...(onFetch ? { fetch: (input, init) => fetch(input, init) } : {}) })

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
