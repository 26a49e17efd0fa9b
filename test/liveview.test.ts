import { expect } from 'chai'
import { assign, createActor, setup } from 'xstate'
import { startTask, type ChatResponseWire, type Ollixir, type OllixirEvent, type Task } from '../src/index.js'
import { eventually, useRig } from './support/helpers.js'

/**
 * The Elixir streaming guide's `MyAppWeb.ChatLive`, translated line for line:
 *
 *   handle_event("send", …)                      → on 'send': append the user message, start a Task with stream: self
 *   handle_info({pid, {:data, %{"done" => false}}}) → on 'ollixir.data' (guard: not done, from our task): grow current_response
 *   handle_info({pid, {:data, %{"done" => true}}})  → on 'ollixir.data' (done): append the assistant message
 *   handle_info({ref, {:ok, _}})                  → on 'ollixir.ok': Process.demonitor(ref, [:flush]) → task.demonitor({ flush: true })
 *   handle_info({ref, {:error, reason}})          → on 'ollixir.error': assign error, streaming: false
 */
type Msg = { role: string; content: string }
interface Assigns {
  messages: Msg[]
  streaming: boolean
  current_response: string
  task: Task<ChatResponseWire, ChatResponseWire> | undefined
  error: unknown
  downs: number
}

function chatLive(client: Ollixir) {
  return setup({
    types: { context: {} as Assigns, events: {} as OllixirEvent<ChatResponseWire, ChatResponseWire> | { type: 'send'; message: string } },
    guards: {
      fromOurTask: ({ context, event }) => 'taskId' in event && event.taskId === context.task?.id,
      fromOurRef: ({ context, event }) => 'taskRef' in event && event.taskRef === context.task?.ref,
    },
  }).createMachine({
    context: { messages: [], streaming: false, current_response: '', task: undefined, error: undefined, downs: 0 },
    on: {
      send: {
        actions: assign(({ context, event, self }) => {
          const messages = [...context.messages, { role: 'user', content: event.message }]
          // {:ok, task} = Ollixir.chat(…, stream: self()): startTask is the synchronous form
          // of client.chat({ …, stream: self }), so the task can be assigned right here.
          const task = startTask<ChatResponseWire, ChatResponseWire>(client, 'chat', { model: 'llama3.2', messages }, self)
          return { messages, streaming: true, current_response: '', error: undefined, task }
        }),
      },
      'ollixir.data': [
        {
          guard: ({ context, event }) => event.taskId === context.task?.id && event.data.done === true,
          actions: assign({
            messages: ({ context }) => [...context.messages, { role: 'assistant', content: context.current_response }],
            streaming: false,
            current_response: '',
          }),
        },
        {
          guard: 'fromOurTask',
          actions: assign({ current_response: ({ context, event }) => context.current_response + (event.data.message?.content ?? '') }),
        },
      ],
      'ollixir.ok': { guard: 'fromOurRef', actions: ({ context }) => context.task?.demonitor({ flush: true }) },
      'ollixir.error': { guard: 'fromOurRef', actions: assign({ error: ({ event }) => event.reason, streaming: false }) },
      'ollixir.down': { actions: assign({ downs: ({ context }) => context.downs + 1 }) },
    },
  })
}

describe("the Elixir guide's LiveView chat, as an XState machine", () => {
  const rig = useRig()

  it('streams two turns end to end, keeps the history, and flushes DOWN', async () => {
    rig.fake.enqueue('chat', { text: ['Hi', ' there!'] })
    rig.fake.enqueue('chat', { text: ['Paris', '.'] })
    const live = createActor(chatLive(rig.client)).start()

    live.send({ type: 'send', message: 'Hello' })
    expect(live.getSnapshot().context.streaming).to.equal(true)
    await eventually(() => !live.getSnapshot().context.streaming)
    live.send({ type: 'send', message: 'Capital of France?' })
    await eventually(() => !live.getSnapshot().context.streaming && live.getSnapshot().context.messages.length === 4)

    const { messages, downs, error } = live.getSnapshot().context
    expect(messages).to.deep.equal([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi there!' },
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
    ])
    expect(error).to.equal(undefined)
    expect(downs).to.equal(0)
    // The second request carried the whole history.
    expect(rig.fake.lastRequest('/api/chat')?.body).to.deep.include({ messages: messages.slice(0, 3), stream: true })
    live.stop()
  })

  it('a mid-stream error lands in error, streaming false, as handle_info({ref, {:error, reason}})', async () => {
    rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], errorLineAfter: 1, errorLine: 'out of memory' })
    const live = createActor(chatLive(rig.client)).start()
    live.send({ type: 'send', message: 'Hello' })
    await eventually(() => live.getSnapshot().context.error !== undefined)
    expect(live.getSnapshot().context).to.include({ streaming: false, current_response: 'a' })
    expect((live.getSnapshot().context.error as Error).message).to.equal('out of memory')
    live.stop()
  })
})
