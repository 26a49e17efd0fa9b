/** ollixir, process mode: an XState machine counting `ollixir.data` events from its Task. */
import { assign, createActor, setup } from 'xstate'
import { Ollixir, type OllixirEvent } from '../../src/index.js'
import { run, scenarioFromArgv, type BenchClient } from './measure.js'

const scenario = scenarioFromArgv()
const ollixir = Ollixir.init({ host: scenario.host, retry: false })

const counter = setup({
  types: { context: {} as { chunks: number; model: string }, input: {} as { model: string }, events: {} as OllixirEvent },
}).createMachine({
  context: ({ input }) => ({ chunks: 0, model: input.model }),
  entry: ({ self, context }) => void ollixir.chat({ model: context.model, messages: [{ role: 'user', content: 'hi' }], stream: self }),
  initial: 'streaming',
  states: {
    streaming: {
      on: {
        'ollixir.data': { actions: assign({ chunks: ({ context }) => context.chunks + 1 }) },
        'ollixir.ok': 'done',
        'ollixir.error': 'failed',
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
})

const client: BenchClient = {
  stream(model) {
    return new Promise((resolve, reject) => {
      const actor = createActor(counter, { input: { model } })
      actor.subscribe({
        complete: () => (actor.getSnapshot().value === 'done' ? resolve(actor.getSnapshot().context.chunks) : reject(new Error('stream failed'))),
        error: reject,
      })
      actor.start()
    })
  },
  async version() {
    await ollixir.version()
  },
  close: () => ollixir.close(),
}

await run(client, scenario)
