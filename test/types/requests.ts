/**
 * Compile-time checks of the request and result types, run by `npm run typecheck`
 * (never executed). Each `@ts-expect-error` line is a misuse the compiler must catch:
 * if a change makes one compile, tsc fails with "Unused '@ts-expect-error' directive".
 */
import type { AnyActorRef } from 'xstate'
import { Ollixir, type ChatResponse, type ChunkStream, type Task } from '../../src/index.js'
import type * as W from '../../src/types/wire.js'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function expectType<T>(_value: T): void {}
function assertTrue<T extends true>(): void {}

export async function requests(client: Ollixir, parent: AnyActorRef, flag: boolean): Promise<void> {
  const model = 'llama3.2'
  const messages = [{ role: 'user', content: 'Hi' }]

  // @ts-expect-error a typo in a top-level field: "Did you mean to write 'messages'?"
  await client.chat({ model, mesages: messages })
  // @ts-expect-error generate's prompt misspelled
  await client.generate({ model, promt: 'Hi' })
  // @ts-expect-error options misspelled
  await client.chat({ model, messages, option: { temperature: 0 } })
  // @ts-expect-error a typo inside a message
  await client.chat({ model, messages: [{ role: 'user', contnet: 'Hi' }] })
  // @ts-expect-error a typo in a streamed call
  await client.chat({ model, mesages: messages, stream: true })
  // @ts-expect-error a typo in a model-management call
  await client.pull({ modle: model })
  // @ts-expect-error a typo in a plain call
  await client.embed({ model, inputs: ['a'] })
  // @ts-expect-error a wrong type
  await client.chat({ model, messages, think: 'extreme' })
  // @ts-expect-error stream takes true, false or a parent
  await client.chat({ model, messages, stream: 'yes' })
  // @ts-expect-error responseFormat is 'map' or 'struct'
  await client.chat({ model, messages, responseFormat: 'class' })

  // stream picks the result
  const reply = await client.chat({ model, messages })
  assertTrue<Equal<typeof reply, W.ChatResponse>>()
  const off = await client.chat({ model, messages, stream: false })
  assertTrue<Equal<typeof off, W.ChatResponse>>()
  const stream = await client.chat({ model, messages, stream: true })
  assertTrue<Equal<typeof stream, ChunkStream<W.ChatResponse, W.ChatResponse>>>()
  const task = await client.chat({ model, messages, stream: parent })
  assertTrue<Equal<typeof task, Task<W.ChatResponse, W.ChatResponse>>>()
  const sent = await client.chat({ model, messages, stream: { send: (_event: unknown) => {} } })
  assertTrue<Equal<typeof sent, Task<W.ChatResponse, W.ChatResponse>>>()
  // A request built beforehand: `stream` is a boolean, so the result is the union.
  const opts = { model, messages, stream: true }
  const either = await client.chat(opts)
  // @ts-expect-error it may be a stream: narrow first
  either.message.content
  if (!('task' in either) && !('actor' in either)) expectType<string>(either.message.content)
  const maybe = await client.generate({ model, prompt: 'Hi', stream: flag })
  // @ts-expect-error it may be a stream: narrow first
  maybe.response

  // responseFormat per call, and per client
  const struct = await client.chat({ model, messages, responseFormat: 'struct' })
  assertTrue<Equal<typeof struct, ChatResponse>>()
  const structStream = await client.chat({ model, messages, responseFormat: 'struct', stream: true })
  assertTrue<Equal<typeof structStream, ChunkStream<ChatResponse, ChatResponse>>>()
  const structs = Ollixir.init({ responseFormat: 'struct' })
  const structReply = await structs.chat({ model, messages })
  assertTrue<Equal<typeof structReply, ChatResponse>>()
  const mapReply = await structs.chat({ model, messages, responseFormat: 'map' })
  assertTrue<Equal<typeof mapReply, W.ChatResponse>>()
  const list = await structs.list()
  expectType<string>(list.models[0]!.name)
  const pulled = await client.pull({ model, stream: true })
  for await (const chunk of pulled) expectType<string>(chunk.status)

  // validate per call
  await client.chat({ model, messages, validate: false })
}
