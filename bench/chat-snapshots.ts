/**
 * `npx tsx bench/chat-snapshots.ts [chunks] [--session=<module>]`: how many snapshots
 * (what a UI re-renders on) and `chat.delta` events the chat session emits per second
 * while one fast stream comes in (the bench server's flood: as fast as the socket
 * goes), and per stream. `--session` loads `createChatSession` from another module
 * (a copy of an older `actors/chat-session.ts`, say) to compare before and after.
 */
import { fork } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createActor } from 'xstate'
import { Ollixir } from '../src/index.js'

const chunks = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 20_000)
const sessionModule = process.argv.find((a) => a.startsWith('--session='))?.slice('--session='.length)
const { createChatSession } = (await import(sessionModule ? pathToFileURL(sessionModule).href : '../actors/chat-session.js')) as typeof import('../actors/chat-session.js')

const server = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const port = await new Promise<number>((resolve) => server.once('message', (m: { port: number }) => resolve(m.port)))
const client = Ollixir.init({ host: `http://127.0.0.1:${port}` })

async function measure(model: string): Promise<{ snapshots: number; deltas: number; ms: number }> {
  const chat = createActor(createChatSession({ client, model })).start()
  let snapshots = 0
  let deltas = 0
  chat.on('chat.delta', () => deltas++)
  chat.subscribe((snapshot) => void (snapshot.value === 'streaming' && snapshots++))
  const started = performance.now()
  chat.send({ type: 'chat.send', content: 'go' })
  await new Promise<void>((resolve) => chat.subscribe((snapshot) => snapshot.value !== 'streaming' && resolve()))
  const ms = performance.now() - started
  chat.stop()
  return { snapshots, deltas, ms }
}

await measure('flood:1000') // warm-up
const { snapshots, deltas, ms } = await measure(`flood:${chunks}`)
console.log(
  `${sessionModule ?? 'actors/chat-session.ts'}: ${chunks.toLocaleString('en-US')} chunks in ${ms.toFixed(0)} ms: ` +
    `${snapshots.toLocaleString('en-US')} snapshots (${Math.round(snapshots / (ms / 1000)).toLocaleString('en-US')}/s), ` +
    `${deltas.toLocaleString('en-US')} chat.delta, ${(chunks / Math.max(1, snapshots)).toFixed(1)} chunks per snapshot`,
)
client.close()
server.kill()
