import { expect } from 'chai'
import { AbortError, servedBy, type ChunkStream } from '../src/index.js'
import { eventually, hi, rejection, TRANSPORTS } from './support/helpers.js'
import { requestsPerFake, slowReply, usePool } from './support/pool.js'

const loaded = { models: [{ name: 'llama3.2', loaded: true }] }

for (const transport of TRANSPORTS) {
  describe(`pool limits and queue (${transport.name})`, () => {
    const rig = usePool([loaded, loaded], { ...transport.options, pool: { slots: 1, queueLimit: 2 } })

    /** Both hosts busy with one long stream each (one slot per host). */
    async function fillBothHosts(): Promise<ChunkStream[]> {
      for (const fake of rig.fakes) fake.enqueue('chat', slowReply(200, 20))
      return Promise.all([0, 1].map(() => rig.client.chat({ model: 'llama3.2', messages: hi, stream: true }) as Promise<ChunkStream>))
    }

    it('calls beyond the slots wait, in a bounded queue that refuses clearly when full', async () => {
      const busy = await fillBothHosts()
      expect(new Set(busy.map((stream) => stream.host)).size).to.equal(2)
      const first = rig.client.chat({ model: 'llama3.2', messages: hi })
      const second = rig.client.chat({ model: 'llama3.2', messages: hi })
      await eventually(() => rig.client.pool!.waiting === 2)
      const refused = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi }))
      expect(refused.code).to.equal('EQUEUEFULL')
      expect(refused.message).to.include('queueLimit')
      expect(requestsPerFake(rig, '/api/chat')).to.deep.equal([1, 1])

      busy[0]!.abort()
      expect(servedBy(await first)).to.equal(busy[0]!.host)
      busy[1]!.abort()
      await second
      expect(rig.client.pool!.waiting).to.equal(0)
    })

    it('a waiting call is served first come, first served', async () => {
      const busy = await fillBothHosts()
      const order: string[] = []
      const calls = ['a', 'b'].map((name) => rig.client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: name }] }).then(() => order.push(name)))
      await eventually(() => rig.client.pool!.waiting === 2)
      busy[1]!.abort()
      await calls[0]
      expect(order).to.deep.equal(['a'])
      busy[0]!.abort()
      await calls[1]
      expect(order).to.deep.equal(['a', 'b'])
    })

    it('abort works while waiting: the call leaves the queue and nothing is sent', async () => {
      const busy = await fillBothHosts()
      const controller = new AbortController()
      const waiting = rig.client.chat({ model: 'llama3.2', messages: hi, signal: controller.signal })
      const streamed = rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
      await eventually(() => rig.client.pool!.waiting === 2)
      controller.abort()
      expect(await rejection(waiting)).to.be.instanceOf(AbortError)
      expect(rig.client.pool!.waiting).to.equal(1)
      rig.client.abort()
      expect(await rejection(streamed)).to.be.instanceOf(AbortError)
      await eventually(() => rig.client.pool!.waiting === 0)
      expect(requestsPerFake(rig, '/api/chat')).to.deep.equal([1, 1])
      for (const stream of busy) expect(await rejection(stream.collect())).to.be.instanceOf(AbortError)
    })
  })
}
