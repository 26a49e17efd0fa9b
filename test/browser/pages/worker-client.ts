/**
 * A dedicated Web Worker that uses ollixir (no DOM, no window): the page posts it a host,
 * it streams a chat with `for await` and a chat session, and posts back what came.
 * Bundled with the `worker` export condition (for its dependencies).
 */
import { createActor, waitFor } from 'xstate'
import { createChatSession, Ollixir, OllixirError } from '../../../src/browser.js'

export interface WorkerAnswer {
  content?: string
  session?: string
  error?: { name: string; code?: string; message: string }
}

const scope = globalThis as unknown as { onmessage: ((event: { data: string }) => void) | null; postMessage(answer: WorkerAnswer): void }

scope.onmessage = async ({ data: host }) => {
  try {
    const client = Ollixir.init({ host, retry: false })
    let content = ''
    const stream = await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: true })
    for await (const chunk of stream) content += chunk.message.content
    const chat = createActor(createChatSession({ client, model: 'llama3.2' })).start()
    chat.send({ type: 'chat.send', content: 'Again' })
    const done = await waitFor(chat, (snapshot) => !snapshot.matches('streaming'), { timeout: 5000 })
    if (done.context.error) throw new Error(done.context.error.message)
    scope.postMessage({ content, session: done.context.messages.at(-1)?.content ?? '' })
  } catch (error) {
    const { name, message } = error as Error
    scope.postMessage({ error: { name, message, ...(OllixirError.isInstance(error) ? { code: error.code } : {}) } })
  }
}
