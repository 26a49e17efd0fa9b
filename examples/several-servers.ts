/**
 * Several Ollama servers behind one client: routing by model, failover, merged lists,
 * and the pool's actors seen by an inspector.
 *
 *   OLLAMA_HOSTS=gpu1:11434,gpu2:11434 OLLAMA_MODEL=llama3.2 npx tsx examples/several-servers.ts
 *
 * Without OLLAMA_HOSTS it runs against three embedded FakeOllama servers, and kills one
 * halfway to show failover. It ends on its own: the pool's timers never hold Node open.
 */
import type { InspectionEvent } from 'xstate'
import { Ollixir, parseHost, servedBy, type ChunkStream } from '../src/index.js'
import { FakeOllama } from '../src/testing/index.js'

const given = process.env.OLLAMA_HOSTS?.split(',').filter(Boolean)
const model = process.env.OLLAMA_MODEL ?? 'llama3.2'
const fakes = given
  ? []
  : await Promise.all([
      FakeOllama.start({ models: [{ name: 'nomic-embed-text', capabilities: ['embedding'] }] }), // has no llama3.2
      FakeOllama.start({ models: [{ name: model }] }), // has it pulled
      FakeOllama.start({ models: [{ name: model, loaded: true }] }), // has it loaded
    ])
const hosts = given ?? fakes.map((fake) => parseHost(fake.host))
console.log(given ? `Ollama servers: ${hosts.join(', ')}` : `Three embedded FakeOllama servers (no real Ollama is used): ${hosts.join(', ')}`)

// The inspector hears every host actor's state and every routing decision.
const hostStates: string[] = []
const lastState = new Map<string, string>()
const inspect = (event: InspectionEvent) => {
  if (event.type === '@xstate.snapshot' && /^host\.\d+$/.test((event.actorRef as { id?: string }).id ?? '')) {
    const { value, context } = event.snapshot as unknown as { value: string; context: { host: string } }
    if (lastState.get(context.host) !== value) hostStates.push(`${context.host} ${value}`)
    lastState.set(context.host, value)
  }
}

const client = Ollixir.init({ hosts, pool: { slots: 2, probeDelay: 100 }, retry: { limit: 2, baseDelay: 50 }, inspect })
const messages = [{ role: 'user' as const, content: 'Say hello in five words.' }]

const reply = await client.chat({ model, messages })
console.log(`1. chat → served by ${servedBy(reply)} (the host with ${model} loaded)`)

// A conversation keeps to one host, so the server's prompt cache is reused.
for (const turn of [1, 2]) {
  const answer = await client.chat({ model, messages, conversation: 'user-42' })
  console.log(`2. conversation user-42, turn ${turn} → ${servedBy(answer)}`)
}

// More streams than the loaded host has slots: they wait for its slots rather than load
// the model on another host (until 4 × its slots are waiting).
const streams = await Promise.all(Array.from({ length: 4 }, () => client.chat({ model, messages, stream: true }) as Promise<ChunkStream>))
await Promise.all(streams.map((stream) => stream.collect()))
console.log(`3. four streams at once → ${streams.map((stream) => stream.host).join(', ')}`)

const { models } = (await client.list()) as unknown as { models: Array<{ name: string; hosts: string[] }> }
console.log(`4. list, merged: ${models.map((entry) => `${entry.name} on ${entry.hosts.length} host(s)`).join('; ')}`)

if (!given) {
  // Kill the loaded host: calls move to the next suitable one before their first byte.
  const port = Number(hosts[2]!.split(':').at(-1))
  await fakes[2]!.close()
  const moved = await client.chat({ model, messages })
  console.log(`5. loaded host killed; the next chat → ${servedBy(moved)}`)
  fakes[2] = await FakeOllama.start({ port, models: [{ name: model, loaded: true }] })
  while (client.pool!.views()[2]!.state !== 'up') await new Promise((resolve) => setTimeout(resolve, 50))
  console.log(`6. it is back: probed with GET /api/version, state ${client.pool!.views()[2]!.state}`)
}

console.log(`host actor states seen by the inspector:\n  ${hostStates.join('\n  ')}`)
client.close()
await Promise.all(fakes.map((fake) => fake.close()))
