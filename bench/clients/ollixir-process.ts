/**
 * ollixir, process mode: an XState machine counting the chunks its Task sends: one
 * `ollixir.data` each, or with OLLIXIR_BENCH_COALESCE=1 (`coalesce: true`) one
 * `ollixir.chunks` per socket read.
 */
import { assign, createActor, setup } from 'xstate'
import { Ollixir, type OllixirEvent } from '../../src/index.js'
import { run, scenarioFromArgv, type BenchClient } from './measure.js'

const scenario = scenarioFromArgv()
const coalesce = process.env.OLLIXIR_BENCH_COALESCE === '1'
const ollixir = Ollixir.init({ host: scenario.host })

interface Context {
  chunks: number
  model: string
  /** Told of every chunk (the held and ttfc scenarios need the first one). */
  onChunk: (() => unknown) | undefined
}

const counter = setup({
  types: { context: {} as Context, input: {} as { model: string; onChunk?: () => unknown }, events: {} as OllixirEvent },
}).createMachine({
  context: ({ input }) => ({ chunks: 0, model: input.model, onChunk: input.onChunk }),
  entry: ({ self, context }) => void ollixir.chat({ model: context.model, messages: [{ role: 'user', content: 'hi' }], stream: self, coalesce }),
  initial: 'streaming',
  states: {
    streaming: {
      on: {
        'ollixir.data': { actions: assign({ chunks: ({ context }) => (context.onChunk?.(), context.chunks + 1) }) },
        'ollixir.chunks': { actions: assign({ chunks: ({ context, event }) => (context.onChunk?.(), context.chunks + event.data.length) }) },
        'ollixir.ok': 'done',
        'ollixir.error': 'failed',
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
})

const client: BenchClient = {
  stream(model, onChunk) {
    return new Promise((resolve, reject) => {
      const actor = createActor(counter, { input: { model, onChunk } })
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
