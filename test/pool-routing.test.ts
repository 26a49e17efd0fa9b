import { expect } from 'chai'
import { createActor } from 'xstate'
import { createChatSession, Ollixir, servedBy, type ChunkStream } from '../src/index.js'
import { eventually, hi, TRANSPORTS } from './support/helpers.js'
import { requestsPerFake, slowReply, usePool } from './support/pool.js'

for (const transport of TRANSPORTS) {
  describe(`pool routing (${transport.name})`, () => {
    describe('model affinity', () => {
      const rig = usePool([{ models: [] }, { models: [{ name: 'llama3.2' }] }, { models: [{ name: 'llama3.2', loaded: true }] }], transport.options)

      it('a host with the model loaded beats one that has it pulled, which beats one without it', async () => {
        const [none, pulled, loaded] = rig.hosts as [string, string, string]
        const reply = await rig.client.chat({ model: 'llama3.2', messages: hi })
        expect(servedBy(reply)).to.equal(loaded)
        expect(rig.client.host).to.equal(loaded)

        const two = Ollixir.init({ ...transport.options, retry: false, hosts: [none, pulled] })
        try {
          expect(servedBy(await two.chat({ model: 'llama3.2', messages: hi }))).to.equal(pulled)
          expect(requestsPerFake(rig, '/api/chat')).to.deep.equal([0, 1, 1])
        } finally {
          two.close()
        }
      })

      it('a model no host has goes to the least loaded host, and the 404 is the answer', async () => {
        const error = await rig.client.generate({ model: 'nowhere', prompt: 'x' }).catch((e: unknown) => e)
        expect(error).to.have.property('status', 404)
        expect(requestsPerFake(rig, '/api/generate')).to.deep.equal([1, 0, 0])
      })

      it('every reply form says which host served it: reply, chunk stream, Task, ollixir.ok', async () => {
        const loaded = rig.hosts[2]
        const stream = (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })) as ChunkStream
        await stream.collect()
        expect(stream.host).to.equal(loaded)
        const events: any[] = []
        const task = await rig.client.generate({ model: 'llama3.2', prompt: 'x', stream: { send: (event: any) => events.push(event) } })
        await task.await()
        expect(task.host).to.equal(loaded)
        expect(events.find((event) => event.type === 'ollixir.ok').response.host).to.equal(loaded)
        expect(servedBy(task)).to.equal(loaded)
        const embedded = await rig.client.embed({ model: 'llama3.2', input: 'x', responseFormat: 'struct' })
        expect(servedBy(embedded)).to.equal(loaded)
        expect(Object.keys(await rig.client.chat({ model: 'llama3.2', messages: hi }))).to.not.include('host')
      })
    })

    describe('conversations', () => {
      const rig = usePool([{ models: [{ name: 'llama3.2', loaded: true }] }, { models: [{ name: 'llama3.2', loaded: true }] }], transport.options)

      it('a conversation sticks to the host of its previous turn, even when another host is less loaded', async () => {
        const first = await rig.client.chat({ model: 'llama3.2', messages: hi, conversation: 'talk-1' })
        const home = servedBy(first)!
        const other = rig.hosts.find((host) => host !== home)!
        // Load the conversation's host: plain calls now go to the other one.
        const homeFake = rig.fakes[rig.hosts.indexOf(home)]!
        homeFake.enqueue('chat', slowReply(30, 20))
        const busy = (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, host: home })) as ChunkStream
        expect(servedBy(await rig.client.chat({ model: 'llama3.2', messages: hi }))).to.equal(other)
        expect(servedBy(await rig.client.chat({ model: 'llama3.2', messages: hi, conversation: 'talk-1' }))).to.equal(home)
        busy.abort()
      })

      it('the chat session keeps its turns on one host, however loaded', async () => {
        const session = createActor(createChatSession({ client: rig.client, model: 'llama3.2' })).start()
        const replies = () => session.getSnapshot().context.messages.filter((message: { role: string }) => message.role === 'assistant').length
        session.send({ type: 'chat.send', content: 'one' })
        await eventually(() => replies() === 1)
        const home = rig.fakes.findIndex((fake) => fake.requests.some((request) => request.path === '/api/chat'))
        // Another caller keeps the session's host busy: plain calls would go to the other host now.
        rig.fakes[home]!.enqueue('chat', slowReply(100, 20))
        const busy = (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true, host: rig.hosts[home] })) as ChunkStream
        for (const [index, content] of ['two', 'three'].entries()) {
          session.send({ type: 'chat.send', content })
          await eventually(() => replies() === index + 2)
        }
        busy.abort()
        session.stop()
        const sessionTurns = (fake: (typeof rig.fakes)[number]) => fake.requests.filter((request) => request.path === '/api/chat' && (request.body as { messages: Array<{ content: string }> }).messages[0]?.content === 'one').length
        expect(rig.fakes.map(sessionTurns)).to.deep.equal(home === 0 ? [3, 0] : [0, 3])
      })
    })

    describe('spreading', () => {
      const rig = usePool(
        Array.from({ length: 4 }, () => ({ models: [{ name: 'llama3.2', loaded: true }] })),
        { ...transport.options, pool: { slots: 64 } },
      )

      it('200 concurrent streams spread evenly over the least loaded hosts', async function () {
        this.timeout(20_000)
        for (const fake of rig.fakes) for (let i = 0; i < 200; i++) fake.enqueue('chat', slowReply(10, 20))
        let peak = 0
        const streams = await Promise.all(Array.from({ length: 200 }, () => rig.client.chat({ model: 'llama3.2', messages: hi, stream: true }) as Promise<ChunkStream>))
        peak = Math.max(...rig.client.pool!.views().map((view) => view.inFlight))
        await Promise.all(streams.map((stream) => stream.collect()))
        const perHost = requestsPerFake(rig, '/api/chat')
        expect(perHost.reduce((a, b) => a + b)).to.equal(200)
        for (const count of perHost) expect(count).to.be.within(45, 55)
        expect(peak).to.be.at.most(55)
        // A slot is freed when its response has ended, just after the final chunk.
        await eventually(() => rig.client.pool!.views().every((view) => view.inFlight === 0), 3000, 'every slot freed')
      })
    })
  })
}
