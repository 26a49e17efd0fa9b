/**
 * `npx tsx examples/agent.ts`: a weather and calculator agent, built with
 * `createAgent`, printed as a trace of turns, tool calls and the answer.
 *
 * Talks to the Ollama at OLLAMA_HOST (default http://127.0.0.1:11434) when one answers
 * and has a model that can call tools (OLLAMA_MODEL picks it); otherwise starts an
 * embedded FakeOllama whose scripted replies call the tools, and says so.
 */
import { assign, createActor, setup, waitFor, type AnyActorRef } from 'xstate'
import { createAgent, defineTool, type AgentActorRef, type Ollixir } from '../src/index.js'
import type { FakeOllama } from '../src/testing/index.js'
import { connect } from './support.js'

// ── the tools ────────────────────────────────────────────────────────────────

const FORECASTS: Record<string, { temperature: number; sky: string }> = {
  paris: { temperature: 18, sky: 'sunny' },
  oslo: { temperature: 4, sky: 'snow showers' },
  tokyo: { temperature: 22, sky: 'cloudy' },
}

const weather = defineTool({
  name: 'get_weather',
  description: 'The current weather in a city: temperature in °C and the sky',
  parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city, e.g. Paris' } }, required: ['city'] },
  run: async ({ city }, { signal }) => {
    await new Promise((resolve) => setTimeout(resolve, 30)) // a pretend network call
    signal.throwIfAborted()
    const forecast = FORECASTS[city.trim().toLowerCase()]
    if (!forecast) throw new Error(`no weather station in ${city}`)
    return { city, ...forecast }
  },
})

const calculator = defineTool({
  name: 'calculate',
  description: 'Evaluates an arithmetic expression with + - * / and parentheses, e.g. "(18 - 4) * 2"',
  parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
  run: ({ expression }) => evaluate(expression),
})

/** A tiny recursive-descent parser for + - * / ( ) and decimal numbers. No eval. */
function evaluate(source: string): number {
  const tokens = source.match(/\d+(?:\.\d+)?|[-+*/()]|\S/g) ?? []
  let at = 0
  const peek = () => tokens[at]
  const take = (expected?: string) => {
    const token = tokens[at++]
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected ${expected ?? 'more'} in "${source}"`)
    return token
  }
  const sum = (): number => {
    let value = product()
    while (peek() === '+' || peek() === '-') value = take() === '+' ? value + product() : value - product()
    return value
  }
  const product = (): number => {
    let value = factor()
    while (peek() === '*' || peek() === '/') {
      const op = take()
      const right = factor()
      if (op === '/' && right === 0) throw new Error('division by zero')
      value = op === '*' ? value * right : value / right
    }
    return value
  }
  const factor = (): number => {
    const token = take()
    if (token === '-') return -factor()
    if (token === '(') {
      const value = sum()
      take(')')
      return value
    }
    if (!/^\d/.test(token)) throw new Error(`unexpected "${token}" in "${source}"`)
    return Number(token)
  }
  const value = sum()
  if (at < tokens.length) throw new Error(`unexpected "${tokens[at]}" in "${source}"`)
  return value
}

// ── a server: the real Ollama, or a scripted fake ───────────────────────────

const QUESTION = 'What is the weather in Paris and in Oslo, and how many degrees warmer is Paris?'
const SUM = 'What is (2 + 3) * 4?'

/** Scripted replies for the fake: they make the "model" call the tools. */
function script(fake: FakeOllama): void {
  // The agent run: two weather calls at once, then a calculation, then the answer.
  fake.enqueue('chat', {
    thinking: 'I need the weather in both cities first.',
    text: '',
    toolCalls: [
      { id: 'call_1', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
      { id: 'call_2', function: { name: 'get_weather', arguments: { city: 'Oslo' } } },
    ],
  })
  fake.enqueue('chat', { text: '', toolCalls: [{ id: 'call_3', function: { name: 'calculate', arguments: { expression: '18 - 4' } } }] })
  fake.enqueue('chat', { text: 'Paris is sunny at 18 °C and Oslo has snow showers at 4 °C, so Paris is 14 degrees warmer.', chunkDelayMs: 25 })
  // The invoked one-shot agent.
  fake.enqueue('chat', { text: '', toolCalls: [{ function: { name: 'calculate', arguments: { expression: '(2 + 3) * 4' } } }] })
  fake.enqueue('chat', { text: '(2 + 3) * 4 = 20.', chunkDelayMs: 25 })
}

// ── 1. a long-lived agent, watched through its emitted events ───────────────

/** Prints what the agent does, as it happens. */
function trace(actor: AgentActorRef): void {
  let turn = 0
  let open = false // a streamed line is not finished yet
  let thinking = false
  const line = (text: string) => {
    if (open) process.stdout.write('\n')
    open = thinking = false
    console.log(text)
  }
  actor.subscribe((snapshot) => {
    if (snapshot.value === 'streaming' && snapshot.context.turn !== turn) {
      turn = snapshot.context.turn
      line(`\n[turn ${turn}] model:`)
    }
  })
  actor.on('agent.delta', ({ content, thinking: thought }) => {
    if (thought) {
      process.stdout.write(`${thinking ? '' : '  (thinking) '}${thought}`)
      open = thinking = true
    }
    if (content) {
      if (thinking) process.stdout.write('\n')
      thinking = false
      process.stdout.write(content)
      open = true
    }
  })
  actor.on('agent.toolCall', ({ name, args }) => line(`  → ${name}(${JSON.stringify(args)})`))
  actor.on('agent.toolResult', ({ name, ok, content, durationMs }) => line(`  ${ok ? '←' : '✗'} ${name}: ${content} (${durationMs} ms)`))
  actor.on('agent.approvalNeeded', ({ calls }) => {
    for (const call of calls) line(`  ? ${call.name}(${JSON.stringify(call.args)}) needs approval: approved (this demo approves everything)`)
    actor.send({ type: 'agent.approve' })
  })
  actor.on('agent.answer', () => line(''))
  actor.on('agent.error', ({ error }) => line(`  error: ${error.message}`))
}

async function conversation(client: Ollixir, model: string): Promise<void> {
  console.log('— a long-lived agent: createActor(createAgent({ client, model, tools })), then agent.ask')
  const agent = createAgent({
    client,
    model,
    tools: [weather, calculator],
    system: 'You answer with the help of tools. Use calculate for any arithmetic.',
    approve: ['calculate'], // human in the loop for one tool
    toolTimeout: 10_000,
  })
  const actor = createActor(agent).start()
  trace(actor)
  console.log(`user: ${QUESTION}`)
  actor.send({ type: 'agent.ask', content: QUESTION })
  const { context } = await waitFor(actor, (snapshot) => !snapshot.hasTag('running'), { timeout: 300_000 })
  const toolSteps = context.steps.filter((step) => step.type === 'tool').length
  console.log(`  (stopped: ${context.stopReason}; ${context.turn} model turns, ${toolSteps} tool calls, ${context.messages.length} messages in the history)\n`)
  actor.stop()
}

// ── 2. a one-shot agent invoked by your own machine ─────────────────────────

async function invoked(client: Ollixir, model: string): Promise<void> {
  console.log('— a one-shot agent invoked by a parent machine: invoke: { src: agent, input: { prompt }, onDone }')
  const agent = createAgent({ client, model, tools: [calculator] })
  const app = setup({ types: { context: {} as { answer: string | null } }, actors: { agent } }).createMachine({
    context: { answer: null },
    initial: 'asking',
    states: {
      asking: {
        invoke: { id: 'agent', src: 'agent', input: { prompt: SUM }, onDone: { target: 'answered', actions: assign({ answer: ({ event }) => event.output.answer }) } },
      },
      answered: { type: 'final' },
    },
  })
  const spawned: string[] = []
  const parent = createActor(app, { inspect: (event) => void (event.type === '@xstate.actor' && spawned.push((event.actorRef as AnyActorRef).id)) }).start()
  console.log(`user: ${SUM}`)
  await waitFor(parent, (snapshot) => snapshot.status === 'done', { timeout: 300_000 })
  console.log(`answer (from onDone): ${parent.getSnapshot().context.answer}`)
  console.log(`  (children the inspector saw: ${spawned.slice(1).join(', ')})\n`)
}

const { client, model, close } = await connect({ capability: 'tools', script })
try {
  await conversation(client, model)
  await invoked(client, model)
} finally {
  await close()
}
