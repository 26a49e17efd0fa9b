import { expect } from 'chai'
import { useClientPage } from './client-page-rig.js'
import type { SessionOutcome } from './pages/client-page.js'

describe('Machines and inspection in Chromium', function () {
  this.timeout(20_000)
  const rig = useClientPage()

  it('createChatSession: the reply streams in as deltas, thinking apart, then joins the history', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { thinking: ['Short ', 'answer.'], text: ['Hi ', 'there!'], chunkDelayMs: 10 })
    const page = await rig.open()

    const outcome = await page.call<SessionOutcome>('chatSession', fake.url, { content: 'Hello' })

    expect(outcome).to.deep.include({ state: 'idle', deltas: 'Hi there!', thinking: 'Short answer.' })
    expect(outcome.emitted.filter((type) => type !== 'chat.delta')).to.deep.equal(['chat.message'])
    expect(outcome.messages).to.deep.equal([
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi there!' },
    ])
  })

  it('createChatSession: chat.cancel mid-reply discards it and closes the connection', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: Array.from({ length: 100 }, (_, i) => `${i} `), chunkDelayMs: 20 })
    const page = await rig.open()
    const closed = fake.waitForClientClose(5000)

    const outcome = await page.call<SessionOutcome>('chatSession', fake.url, { content: 'Count', cancelAfterDeltas: 2 })

    expect(outcome.state).to.equal('idle')
    expect(outcome.emitted).to.deep.equal(['chat.delta', 'chat.delta', 'chat.cancelled'])
    expect(outcome.messages).to.deep.equal([{ role: 'user', content: 'Count' }])
    await closed
  })

  it('createChatSession: an error is shown, chat.retry asks again with the same history', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { status: 503, error: 'server busy' })
    fake.enqueue('chat', { text: 'Second time lucky' })
    const page = await rig.open()

    const outcome = await page.call<SessionOutcome>('chatSession', fake.url, { content: 'Again?', retry: true })

    expect(outcome.error).to.include({ name: 'ResponseError', status: 503, message: 'server busy' })
    expect(outcome.state).to.equal('idle')
    expect(outcome.messages.map((m) => m.content)).to.deep.equal(['Again?', 'Second time lucky'])
    const asked = fake.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { messages: unknown[] }).messages)
    expect(asked).to.have.length(2)
    expect(asked[1]).to.deep.equal(asked[0])
  })

  it('createAgent: the model calls a tool that runs in the page, then answers', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: '', toolCalls: [{ function: { name: 'add', arguments: { a: 2, b: 3 } } }] })
    fake.enqueue('chat', { text: '2 + 3 = 5' })
    const page = await rig.open()

    const outcome = await page.call('agent', fake.url)

    expect(outcome).to.deep.equal({ answer: '2 + 3 = 5', stopReason: 'answer', toolResults: ['5'], turns: 2 })
    const second = fake.lastRequest('/api/chat')?.body as { tools: { function: { name: string } }[]; messages: { role: string }[] }
    expect(second.tools.map((t) => t.function.name)).to.deep.equal(['add'])
    expect(second.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'tool'])
  })

  it('inspection: a trace inspector and a raw inspect callback see the session and its request actor', async () => {
    const fake = await rig.fake()
    fake.enqueue('chat', { text: ['In', 'spected'] })
    const page = await rig.open()

    const outcome = await page.call<{ actors: { name: string; kind: string; outcome?: string; states: string[] }[]; rawTypes: string[]; dataEvents: number }>(
      'inspectSession',
      fake.url,
    )

    expect(outcome.rawTypes).to.include.members(['@xstate.actor', '@xstate.event', '@xstate.snapshot'])
    expect(outcome.dataEvents, 'chunks delivered in the session\'s batches').to.equal(3)
    const request = outcome.actors.find((actor) => actor.name === 'ollixir.chat')
    expect(request).to.deep.include({ kind: 'request', outcome: 'ok' })
    expect(outcome.actors.some((actor) => actor.kind === 'machine' && actor.states.includes('streaming'))).to.equal(true)
  })
})
