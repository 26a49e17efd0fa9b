/**
 * `npx tsx examples/thinking.ts`: a thinking model's reasoning streamed apart from
 * its answer. Runs against FakeOllama unless an Ollama answers at OLLAMA_HOST (then
 * pick a thinking model with OLLAMA_MODEL, e.g. qwen3 or deepseek-r1).
 */
import { connect } from './support.js'

const { client, model, close } = await connect({
  model: 'qwen3',
  script: (fake) => {
    fake.addModel({ name: 'qwen3', capabilities: ['completion', 'thinking'] })
    fake.enqueue('chat', { thinking: ['17 is odd; ', 'odd plus odd is even, ', 'so 17 + 25 is even.'], text: ['42, ', 'which is even.'], chunkDelayMs: 30 })
  },
})

try {
  const stream = await client.chat({ model, messages: [{ role: 'user', content: 'Is 17 + 25 even?' }], think: 'low', stream: true })
  let phase: 'thinking' | 'answer' | undefined
  for await (const chunk of stream) {
    const { thinking, content } = chunk.message
    if (thinking && phase !== 'thinking') process.stdout.write(`${(phase = 'thinking')}: `)
    if (thinking) process.stdout.write(thinking)
    if (content && phase !== 'answer') process.stdout.write(`\n${(phase = 'answer')}: `)
    if (content) process.stdout.write(content)
  }
  const reply = await stream.task.await()
  console.log(`\n\nmerged: ${reply.message.thinking?.length ?? 0} characters of thinking, ${reply.message.content.length} of answer, kept apart.`)
} finally {
  await close()
}
