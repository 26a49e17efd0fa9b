/** The official client, ollama-js (`ollama` on npm), as users run it. */
import { Ollama } from 'ollama'
import { run, scenarioFromArgv, type BenchClient } from './measure.js'

const scenario = scenarioFromArgv()
const ollama = new Ollama({ host: scenario.host })

const client: BenchClient = {
  async stream(model, onChunk) {
    let count = 0
    for await (const _ of await ollama.chat({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      count++
      const wait = onChunk?.()
      if (wait) await wait
    }
    return count
  },
  async version() {
    await ollama.version()
  },
  close() {},
}

await run(client, scenario)
