import { expect } from 'chai'
import { AbortError, ChatResponse, ChunkStream, ConnectionError, Ollixir, ResponseError, type ChatResponseWire } from '../src/index.js'
import { Mailbox } from '../actors/mailbox.js'
import { closedPort, eventually, hi, useRig, TRANSPORTS } from './support/helpers.js'

for (const { name: transport, options: over, spareConnections: spare } of TRANSPORTS)
describe(`enumerable mode (stream: true) [${transport}]`, () => {
  const rig = useRig(over)

  it('yields every chunk in order, ends after the final chunk, and sends stream: true', async () => {
    rig.fake.enqueue('chat', { text: ['Hel', 'lo', ' there'] })
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
    expect(stream).to.be.instanceOf(ChunkStream)
    const parts: string[] = []
    let last: ChatResponseWire | undefined
    for await (const chunk of stream) {
      parts.push(chunk.message.content)
      last = chunk
    }
    expect(parts.join('')).to.equal('Hello there')
    expect(last?.done).to.equal(true)
    expect(rig.fake.lastRequest('/api/chat')?.body).to.include({ model: 'llama3.2', stream: true })
    expect(stream.task.status).to.equal('ok')
  })

  it('collect() gives all chunks, like Enum.to_list', async () => {
    rig.fake.enqueue('generate', { text: ['a', 'b', 'c'] })
    const chunks = await (await rig.client.generate({ model: 'llama3.2', prompt: 'x', stream: true })).collect()
    expect(chunks.map((c) => c.response).join('')).to.equal('abc')
    expect(chunks.at(-1)?.done).to.equal(true)
  })

  it('the task merges the body: content, thinking and late tool calls', async () => {
    rig.fake.enqueue('chat', { thinking: ['Let me', ' think'], text: ['It is', ' sunny'], toolCalls: [{ function: { name: 'weather', arguments: { city: 'Paris' } } }] })
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, think: true })
    await stream.collect()
    const body = await stream.task.await()
    expect(body.message.content).to.equal('It is sunny')
    expect(body.message.thinking).to.equal('Let me think')
    expect(body.message.tool_calls).to.deep.equal([{ function: { name: 'weather', arguments: { city: 'Paris' } } }])
    expect(body.done).to.equal(true)
    expect(body.eval_count).to.be.a('number')
  })

  it('streams pull progress up to status success', async () => {
    const stream = await rig.client.pull({ model: 'qwen3', stream: true })
    const statuses = (await stream.collect()).map((c) => c.status)
    expect(statuses[0]).to.equal('pulling manifest')
    expect(statuses.at(-1)).to.equal('success')
  })

  it("responseFormat: 'struct' delivers class instances for chunks and body", async () => {
    rig.fake.enqueue('chat', { text: ['x', 'y'] })
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, responseFormat: 'struct' })
    const chunks = await stream.collect()
    expect(chunks.every((c) => c instanceof ChatResponse)).to.equal(true)
    expect(chunks[0]!.text).to.equal('x')
    const body = await stream.task.await()
    expect(body).to.be.instanceOf(ChatResponse)
    expect(body.text).to.equal('xy')
  })

  it('rejects the call itself for an HTTP error (the status is known before any chunk)', async () => {
    const error = await rig.client.chat({ model: 'missing', messages: hi, stream: true }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(ResponseError)
    expect((error as ResponseError).status).to.equal(404)
    expect((error as ResponseError).message).to.match(/not found/)
  })

  it('resolves only once the response status is known (a model still loading)', async () => {
    rig.fake.enqueue('chat', { headersDelayMs: 150, text: 'ok' })
    const started = Date.now()
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
    expect(Date.now() - started).to.be.at.least(100)
    expect((await stream.collect()).length).to.be.greaterThan(0)
  })

  it('break aborts the request and closes the socket (seen by the server)', async () => {
    rig.fake.enqueue('chat', { text: Array.from({ length: 50 }, (_, i) => `${i} `), chunkDelayMs: 10 })
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
    const closed = rig.fake.waitForClientClose()
    let seen = 0
    for await (const _ of stream) if (++seen === 2) break
    await closed
    expect(stream.task.status).to.equal('cancelled')
    await eventually(() => rig.fake.inFlight === 0 && rig.fake.openConnections <= spare, 2000, 'socket closed')
  })

  it('abort() makes the loop throw AbortError and closes the socket', async () => {
    rig.fake.enqueue('chat', { text: Array.from({ length: 50 }, (_, i) => `${i} `), chunkDelayMs: 10 })
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
    const closed = rig.fake.waitForClientClose()
    let seen = 0
    const error = await (async () => {
      for await (const _ of stream) if (++seen === 2) stream.abort()
    })().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(AbortError)
    expect((error as AbortError).name).to.equal('AbortError')
    await closed
  })

  it('a caller signal aborts mid-stream', async () => {
    rig.fake.enqueue('chat', { text: Array.from({ length: 50 }, (_, i) => `${i} `), chunkDelayMs: 10 })
    const controller = new AbortController()
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, signal: controller.signal })
    setTimeout(() => controller.abort(), 40)
    const error = await stream.collect().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(AbortError)
    await rig.fake.waitForClientClose()
  })

  it('a slow consumer pauses the socket instead of buffering everything', async () => {
    // ~12 MB: more than loopback socket buffers hold, so the server must wait for us.
    const chunks = 40_000
    rig.fake.enqueue('generate', { text: Array.from({ length: chunks }, () => 'x'.repeat(200)) })
    const stream = await rig.client.generate({ model: 'llama3.2', prompt: 'p', stream: true })
    let read = 0
    let pausedSeen = false
    for await (const _ of stream) {
      read++
      if (read === 1) {
        // Let the server push as much as it can while we do not read.
        await new Promise((resolve) => setTimeout(resolve, 200))
        const { phase } = stream.task.actor.getSnapshot().context
        pausedSeen = phase === 'paused'
        // The server could not finish writing: TCP pushed back.
        expect(rig.fake.inFlight).to.equal(1)
      }
    }
    expect(pausedSeen).to.equal(true)
    expect(read).to.equal(chunks + 1)
  })

  it('can be iterated only once', async () => {
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
    await stream.collect()
    const error = await stream.collect().then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.have.property('code', 'ECONSUMED')
  })

  it('a refused connection rejects with ConnectionError naming the host and how to start Ollama', async () => {
    // A closed port, not port 1, which fetch refuses to dial at all ("bad port").
    const port = await closedPort()
    const client = Ollixir.init({ ...over, host: `127.0.0.1:${port}`, retry: false })
    const error = await client.chat({ model: 'm', messages: hi, stream: true }).then(
      () => null,
      (e: unknown) => e,
    )
    expect(error).to.be.instanceOf(ConnectionError)
    expect((error as ConnectionError).code).to.equal('ECONNREFUSED')
    expect((error as ConnectionError).message).to.include(`http://127.0.0.1:${port}`).and.include('ollama serve')
  })
})

describe('Mailbox', () => {
  it('stays compact when the reader never quite catches up', () => {
    const mailbox = new Mailbox(1 << 30)
    const event = { type: 'ollixir.data' as const, taskId: 't', data: 1 }
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 1000; i++) mailbox.send(event)
      for (let i = 0; i < 990; i++) mailbox.take()
    }
    expect(mailbox.size).to.equal(1000)
    expect((mailbox as unknown as { toJSON(): unknown }).toJSON()).to.deep.equal({ mailbox: 1000 })
    // The backing array holds about what is queued, not the 100,000 events that passed.
    expect(mailbox.slots).to.be.below(3000)
  })
})
