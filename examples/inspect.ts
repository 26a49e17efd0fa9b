/**
 * `npx tsx examples/inspect.ts`: every request actor, its phases and its `ollixir.*`
 * events, seen by an inspector.
 *
 *   npx tsx examples/inspect.ts            the trace inspector prints a timeline to stderr at the end
 *   npx tsx examples/inspect.ts --live     … prints it as it happens
 *   npx tsx examples/inspect.ts --stately  also sends everything to the Stately inspector
 *                                          (@statelyai/inspect): open the URL it prints
 *
 * Four streams: `stream: true` (a for-await loop), a machine that invokes
 * `ollamaStream`, a Task with a plain `{ send }` parent, and a stream left after
 * three chunks (cancelled). Against FakeOllama unless an Ollama answers at
 * OLLAMA_HOST. `--stately` serves a page on http://localhost:8080 (`--port=N` to
 * change it) that embeds https://stately.ai/inspect, so it needs a browser online.
 */
import { assign, createActor, setup, type InspectionEvent, type Observer } from 'xstate'
import { createTraceInspector, ollamaStream, Ollixir, type ChatResponseWire, type OllixirEvent } from '../src/index.js'
import { connect } from './support.js'

const live = process.argv.includes('--live')
const stately = process.argv.includes('--stately')
const port = Number(process.argv.find((arg) => arg.startsWith('--port='))?.slice('--port='.length) ?? 8080)

const question = (content: string) => [{ role: 'user', content }]

const connection = await connect({
  script: (fake) => {
    fake.enqueue('chat', { text: 'An actor is a process with a mailbox: it handles one message at a time.', chunkDelayMs: 15 })
    fake.enqueue('chat', { text: 'The machine invoked the request, so leaving its state would abort it.', chunkDelayMs: 15 })
    fake.enqueue('chat', { text: 'A plain object parent gets the same events, in the same order.', chunkDelayMs: 15 })
    fake.enqueue('chat', { text: Array.from({ length: 40 }, (_, i) => `word${i} `), chunkDelayMs: 15 })
  },
})

// The trace inspector prints to stderr, so the replies on stdout stay readable.
const trace = createTraceInspector({ live })
const observers: Array<Observer<InspectionEvent>> = [trace.inspect]
let stopStately = () => {}

if (stately) {
  // An optional peer: loaded only when asked for.
  const { createWebSocketInspector } = await import('@statelyai/inspect')
  const { createInspectorServer } = await import('@statelyai/inspect/server')
  const server = createInspectorServer({ port, autoOpen: false })
  const inspector = createWebSocketInspector({ url: `ws://localhost:${port}` })
  observers.push(inspector.inspect)
  stopStately = () => {
    inspector.stop()
    server.stop()
  }
  console.log(`Stately inspector: open http://localhost:${port} (it embeds https://stately.ai/inspect and shows this process's actors).`)
  if (process.stdin.isTTY) await pressEnter('Press Enter once the page is open to start the streams. ')
}

/** One observer for every inspector: give it to the client and to the machine. */
const inspect: Observer<InspectionEvent> = { next: (event) => observers.forEach((observer) => observer.next?.(event)) }
const client = Ollixir.init({ host: connection.client.host, retry: false, inspect })
const model = connection.model

try {
  // 1. stream: true — a mailbox stand-in owns the request actor while inspected.
  console.log('1. for await over stream: true')
  const stream = await client.chat({ model, messages: question('What is an actor?'), stream: true })
  for await (const chunk of stream) process.stdout.write(chunk.message.content)
  console.log('\n')

  // 2. A machine that invokes ollamaStream, inspected by createActor(machine, { inspect }).
  console.log('2. a machine invoking ollamaStream')
  const machine = setup({
    types: { context: {} as { text: string }, events: {} as OllixirEvent<ChatResponseWire, ChatResponseWire> },
    actors: { ollamaStream },
  }).createMachine({
    id: 'asker',
    context: { text: '' },
    initial: 'asking',
    states: {
      asking: {
        invoke: { id: 'answer', src: 'ollamaStream', input: { client, method: 'chat', request: { model, messages: question('Why invoke a request?') } } },
        on: {
          'ollixir.data': { actions: [({ event }) => process.stdout.write(event.data.message.content), assign({ text: ({ context, event }) => context.text + event.data.message.content })] },
          'ollixir.ok': 'answered',
          'ollixir.error': 'failed',
        },
      },
      answered: { type: 'final' },
      failed: { type: 'final' },
    },
  })
  const actor = createActor(machine, { inspect }).start()
  await new Promise<void>((resolve) => actor.subscribe({ complete: resolve }))
  console.log('\n')

  // 3. A Task with a plain { send } parent: a stand-in actor shows it to the inspector.
  console.log('3. a Task with a plain { send } parent')
  await new Promise<void>((resolve) => {
    void client.chat({
      model,
      messages: question('And a plain object parent?'),
      stream: {
        send(event: OllixirEvent<ChatResponseWire, ChatResponseWire>) {
          if (event.type === 'ollixir.data') process.stdout.write(event.data.message.content)
          if (event.type === 'ollixir.ok' || event.type === 'ollixir.error') resolve()
        },
      },
    })
  })
  console.log('\n')

  // 4. Leaving a loop early aborts the request: the trace shows it cancelled.
  console.log('4. a stream left after three chunks')
  let seen = 0
  for await (const chunk of await client.chat({ model, messages: question('Count to forty.'), stream: true })) {
    process.stdout.write(chunk.message.content)
    if (++seen === 3) break
  }
  console.log('… (left)\n')
} finally {
  client.close()
  await connection.close()
}

if (!live) trace.print()
const requests = trace.stats().filter((actor) => actor.kind === 'request')
const outcomes = requests.map((request) => request.outcome ?? 'running').join(', ')
console.log(`\n${requests.length} request actors traced: ${outcomes}.`)

if (stately) {
  if (process.stdin.isTTY) await pressEnter('The inspector keeps the session: press Enter to quit. ')
  stopStately()
}

function pressEnter(prompt: string): Promise<void> {
  process.stdout.write(prompt)
  return new Promise((resolve) => {
    process.stdin.once('data', () => {
      process.stdin.pause()
      resolve()
    })
  })
}
