/**
 * Compile-time checks that machines get typed `ollixir.*` events (run by `npm run
 * typecheck`, never executed). Each `@ts-expect-error` is a mistake tsc must catch.
 */
import { assign, setup } from 'xstate'
import { ollamaStream, Ollixir, startTask, type ChatResponse, type ChatStreamEvent, type GenerateStreamEvent, type PullStreamEvent } from '../../src/index.js'

const client = Ollixir.init()
const model = 'llama3.2'
const messages = [{ role: 'user', content: 'Hi' }]

export const chat = setup({
  types: { context: {} as { text: string; thinking: string }, events: {} as ChatStreamEvent | { type: 'ask'; text: string } },
  actors: { ollamaStream },
}).createMachine({
  context: { text: '', thinking: '' },
  invoke: { src: 'ollamaStream', input: { client, method: 'chat', request: { model, messages } } },
  on: {
    'ollixir.data': {
      actions: assign({
        text: ({ context, event }) => context.text + event.data.message.content,
        // @ts-expect-error a typo in a chunk field
        thinking: ({ context, event }) => context.thinking + event.data.message.thinkin,
      }),
    },
    'ollixir.ok': { actions: ({ event }) => expectChat(event.response.body) },
    ask: { actions: ({ event, self }) => startTask(client, 'chat', { model, messages: [{ role: 'user', content: event.text }] }, self) },
  },
})

export const wrongInvokeInput = setup({ types: { events: {} as ChatStreamEvent }, actors: { ollamaStream } }).createMachine({
  // @ts-expect-error the invoke input's request is typed by its method (XState's invoke config does not check excess properties)
  invoke: { src: 'ollamaStream', input: { client, method: 'chat', request: { model, messages, think: 'extreme' } } },
})

export const generate = setup({ types: { context: {} as { text: string }, events: {} as GenerateStreamEvent } }).createMachine({
  context: { text: '' },
  on: { 'ollixir.data': { actions: assign({ text: ({ context, event }) => context.text + event.data.response }) } },
})

export const pull = setup({ types: { context: {} as { done: number }, events: {} as PullStreamEvent } }).createMachine({
  context: { done: 0 },
  on: { 'ollixir.data': { actions: assign({ done: ({ event }) => event.data.completed ?? 0 }) } },
})

export const structs = setup({ types: { events: {} as ChatStreamEvent<'struct'> } }).createMachine({
  on: { 'ollixir.ok': { actions: ({ event }) => expectStruct(event.response.body) } },
})

function expectChat(_body: { message: { content?: string } }): void {}
function expectStruct(_body: ChatResponse): void {}
