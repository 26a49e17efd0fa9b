/**
 * `npx tsx examples/chat-session.ts`: a terminal chat driven by `createChatSession`,
 * the Elixir guide's LiveView chat as a ready-made XState machine.
 *
 * Talks to the Ollama at OLLAMA_HOST when one answers (OLLAMA_MODEL picks the model),
 * otherwise to an embedded FakeOllama with scripted replies, and says which.
 *
 *   npx tsx examples/chat-session.ts            interactive: /retry /reset /history /quit, Ctrl-C cancels a reply
 *   npx tsx examples/chat-session.ts --script   two canned questions, then exit (also when stdin is not a TTY)
 *   --fake                                      use the embedded FakeOllama even if an Ollama answers
 */
import { createInterface } from 'node:readline'
import { createActor, waitFor } from 'xstate'
import { createChatSession, type ChatSessionActorRef } from '../src/index.js'
import { connect } from './support.js'

const args = process.argv.slice(2)
const scripted = args.includes('--script') || !process.stdin.isTTY
const { client, model, fake, close } = await connect({ fake: args.includes('--fake') })

const session = createChatSession({ client, model, system: 'You are a concise assistant. Answer in two sentences at most.' })
const chat: ChatSessionActorRef = createActor(session).start()

// What a UI does: render the emitted events (or read chat.getSnapshot().context).
let printing: 'thinking' | 'answer' | undefined
chat.on('chat.delta', ({ content, thinking }) => {
  if (thinking) {
    if (printing !== 'thinking') process.stdout.write(`${(printing = 'thinking')}: `)
    process.stdout.write(thinking)
  }
  if (content) {
    if (printing !== 'answer') process.stdout.write(`${printing ? '\n' : ''}${(printing = 'answer')}: `)
    process.stdout.write(content)
  }
})
chat.on('chat.message', () => endLine())
chat.on('chat.cancelled', ({ partial }) => endLine(`(cancelled; ${partial.length} characters discarded)`))
chat.on('chat.error', ({ error }) => endLine(`error (${error.code}): ${error.message}\n/retry asks again.`))

function endLine(note?: string): void {
  if (printing) process.stdout.write('\n')
  printing = undefined
  const metrics = chat.getSnapshot().context.lastMetrics
  if (note) console.log(note)
  else if (metrics?.eval_count) console.log(`(${metrics.eval_count} tokens, ${metrics.done_reason ?? 'done'})`)
}

/** The fake answers whatever it is asked with a scripted reply; a real Ollama needs none. */
function scriptReply(question: string): void {
  fake?.enqueue('chat', {
    thinking: `The user wrote "${question}". A short answer will do.`,
    text: `You said "${question}". This is FakeOllama replaying a script; start Ollama for a real answer.`,
    chunkDelayMs: 25,
  })
}

function ask(content: string): void {
  scriptReply(content)
  chat.send({ type: 'chat.send', content })
}

const settled = () => waitFor(chat, (snapshot) => !snapshot.matches('streaming'), { timeout: 10 * 60_000 })

try {
  if (scripted) await runScript()
  else await runInteractive()
} finally {
  chat.stop()
  await close()
}

async function runScript(): Promise<void> {
  fake?.enqueue('chat', { thinking: ['Actors ', 'own their state; ', 'messages are the only way in.'], text: ['An actor ', 'is a process ', 'with a mailbox: ', 'it handles one message at a time.'], chunkDelayMs: 25 })
  fake?.enqueue('chat', { text: ['The session ', 'invokes ', 'a request actor; ', 'leaving the state ', 'stops it ', 'and closes the socket.'], chunkDelayMs: 25 })
  for (const question of ['What is an actor, in one sentence?', 'And how does this chat stream its answers?']) {
    console.log(`> ${question}`)
    chat.send({ type: 'chat.send', content: question })
    const snapshot = await settled()
    if (snapshot.matches('error')) {
      process.exitCode = 1
      return
    }
  }
  const { messages } = chat.getSnapshot().context
  const saved = JSON.stringify(chat.getPersistedSnapshot())
  console.log(`\n${messages.length} messages in the history; the persisted snapshot is ${saved.length} bytes of JSON.`)
}

async function runInteractive(): Promise<void> {
  console.log('Type a message. /retry /reset /history /quit; Ctrl-C cancels a reply (or quits when idle).')
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' })
  const closed = new Promise<void>((resolve) => rl.once('close', resolve))
  const prompt = () => rl.prompt()
  chat.on('chat.message', prompt)
  chat.on('chat.error', prompt)
  chat.on('chat.cancelled', prompt)

  rl.on('SIGINT', () => {
    if (chat.getSnapshot().matches('streaming')) chat.send({ type: 'chat.cancel' })
    else rl.close()
  })
  rl.on('line', (line) => {
    const text = line.trim()
    const snapshot = chat.getSnapshot()
    if (snapshot.matches('streaming')) return void console.log('(still answering: Ctrl-C cancels)')
    if (text === '/quit') return void rl.close()
    if (text === '/reset') {
      chat.send({ type: 'chat.reset' })
      console.log('(history cleared)')
      return prompt()
    }
    if (text === '/history') {
      for (const m of snapshot.context.messages) console.log(`${m.role}: ${m.content}`)
      return prompt()
    }
    if (text === '/retry') {
      if (!snapshot.matches('error')) {
        console.log('(nothing to retry)')
        return prompt()
      }
      scriptReply(snapshot.context.messages.at(-1)?.content ?? '')
      return void chat.send({ type: 'chat.retry' })
    }
    if (text === '') return prompt()
    ask(text)
  })
  prompt()
  await closed
}
