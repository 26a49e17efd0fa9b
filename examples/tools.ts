/**
 * `npx tsx examples/tools.ts`: tools by hand, one turn at a time — define, offer,
 * check and run the model's calls, feed the answers back. (`examples/agent.ts` does
 * the same loop as a state machine.) Runs against FakeOllama unless an Ollama
 * answers at OLLAMA_HOST; with a real one, pick a tool-capable model with
 * OLLAMA_MODEL (e.g. qwen3, llama3.1).
 */
import { defineTool, runToolCalls, toolMessages, type MessageInput } from '../src/index.js'
import { connect } from './support.js'

const clock = defineTool({
  name: 'current_time',
  description: 'The current time in an IANA time zone',
  parameters: { type: 'object', properties: { zone: { type: 'string', description: 'e.g. Europe/Paris' } }, required: ['zone'] },
  run: ({ zone }) => new Date().toLocaleTimeString('en-GB', { timeZone: zone }),
})

const add = defineTool({
  name: 'add',
  description: 'Adds two numbers',
  parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
  run: ({ a, b }) => a + b,
})

const tools = [clock, add]

const { client, model, close } = await connect({
  script: (fake) => {
    // Turn 1: two calls, one with arguments that break the schema. Turn 2: a fix. Turn 3: the answer.
    fake.enqueue('chat', { text: '', toolCalls: [{ function: { name: 'current_time', arguments: { zone: 'Asia/Tokyo' } } }, { function: { name: 'add', arguments: { a: 'two', b: 40 } } }] })
    fake.enqueue('chat', { text: '', toolCalls: [{ function: { name: 'add', arguments: { a: 2, b: 40 } } }] })
    fake.enqueue('chat', { text: 'In Tokyo it is the time above, and 2 + 40 = 42.' })
  },
})

try {
  const messages: MessageInput[] = [{ role: 'user', content: 'What time is it in Tokyo, and what is 2 + 40? Use the tools.' }]
  for (let turn = 1; turn <= 5; turn++) {
    const reply = await client.chat({ model, messages, tools })
    messages.push(reply.message)
    const calls = reply.message.tool_calls ?? []
    if (calls.length === 0) {
      console.log(`answer (turn ${turn}): ${reply.message.content}`)
      break
    }
    const outcomes = await runToolCalls(reply, tools, { timeout: 5000 })
    for (const outcome of outcomes) {
      const args = JSON.stringify(outcome.call.function.arguments)
      console.log(`turn ${turn}: ${outcome.name}(${args}) → ${outcome.ok ? outcome.message.content : `${outcome.reason}: ${outcome.error}`}`)
    }
    // Failures go back too: the model reads the error and can correct its call.
    messages.push(...toolMessages(outcomes))
  }
} finally {
  await close()
}
