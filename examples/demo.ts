/**
 * `npm run demo`: streams one chat in both of ollixir's modes.
 *
 * Talks to the Ollama at OLLAMA_HOST (default http://127.0.0.1:11434) when one
 * answers; otherwise starts an embedded FakeOllama and says so. OLLAMA_MODEL picks
 * the model (default: the first one the server lists).
 */
import { assign, createActor, setup } from 'xstate'
import { type ChatResponseWire, type Ollixir, type OllixirEvent } from '../src/index.js'
import { connect } from './support.js'

const question = [{ role: 'user', content: 'In one sentence: why do Elixir processes make streaming easy?' }]

/** Enumerable mode: `stream: true` gives an async iterable (Elixir's lazy Stream). */
async function enumerable(client: Ollixir, model: string): Promise<void> {
  console.log('— enumerable mode: for await (const chunk of await client.chat({ …, stream: true }))')
  const stream = await client.chat({ model, messages: question, stream: true })
  for await (const chunk of stream) process.stdout.write(chunk.message.content)
  const body = await stream.task.await()
  console.log(`\n  (${body.eval_count ?? '?'} tokens, done_reason ${body.done_reason})\n`)
}

/** Process mode: `stream: self` makes a Task that sends ollixir.* events to this machine. */
async function processMode(client: Ollixir, model: string): Promise<void> {
  console.log('— process mode: an XState machine receives ollixir.data / ollixir.ok events')
  const machine = setup({
    types: { context: {} as { text: string; chunks: number }, events: {} as OllixirEvent<ChatResponseWire, ChatResponseWire> },
  }).createMachine({
    context: { text: '', chunks: 0 },
    entry: ({ self }) => void client.chat({ model, messages: question, stream: self }),
    initial: 'streaming',
    states: {
      streaming: {
        on: {
          'ollixir.data': {
            actions: [
              ({ event }) => process.stdout.write(event.data.message.content),
              assign({ text: ({ context, event }) => context.text + event.data.message.content, chunks: ({ context }) => context.chunks + 1 }),
            ],
          },
          'ollixir.ok': 'done',
          'ollixir.error': { target: 'done', actions: ({ event }) => console.error(`\n  error: ${event.reason.message}`) },
        },
      },
      done: { type: 'final' },
    },
  })
  const actor = createActor(machine).start()
  await new Promise<void>((resolve) => actor.subscribe({ complete: resolve }))
  console.log(`\n  (${actor.getSnapshot().context.chunks} ollixir.data events)\n`)
}

const { client, model, close } = await connect({
  script: (fake) => {
    fake.enqueue('chat', { text: 'Each stream is its own process: it sends chunks to its owner as messages, so nothing blocks.', chunkDelayMs: 40 })
    fake.enqueue('chat', { text: 'A task mails each chunk to its parent actor, and the parent decides what to do with it.', chunkDelayMs: 40 })
  },
})
try {
  await enumerable(client, model)
  await processMode(client, model)
} finally {
  await close()
}
