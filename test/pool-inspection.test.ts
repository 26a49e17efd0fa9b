import { expect } from 'chai'
import type { InspectionEvent } from 'xstate'
import { FakeOllama } from '../src/testing/index.js'
import { Ollixir, parseHost } from '../src/index.js'
import { closedPort, hi } from './support/helpers.js'

describe('pool as actors', () => {
  it('the inspector sees host actors change state and which host took each request; no key anywhere', async () => {
    const fake = await FakeOllama.start({ models: [{ name: 'llama3.2', loaded: true }] })
    const dead = parseHost(`127.0.0.1:${await closedPort()}`)
    const events: InspectionEvent[] = []
    const client = Ollixir.init({
      retry: false,
      hosts: [{ host: dead, apiKey: 'secret-one' }, { host: fake.host, apiKey: 'secret-two', headers: { 'x-team': 'secret-three' } }],
      pool: { probeDelay: 60_000 },
      inspect: (event) => events.push(event),
    })
    try {
      const reply = await client.chat({ model: 'llama3.2', messages: hi })
      expect(reply.message.content).to.be.a('string')
      expect(fake.lastRequest('/api/chat')!.headers.authorization).to.equal('Bearer secret-two')

      const hostStates = events
        .filter((event) => event.type === '@xstate.snapshot' && (event.actorRef as { id?: string }).id === 'host.0')
        .map((event) => (event as unknown as { snapshot: { value: string } }).snapshot.value)
      expect(hostStates).to.include('down')
      const routed = events.filter((event) => event.type === '@xstate.event' && (event as { event: { type: string } }).event.type === 'pool.routed')
      expect(routed.map((event) => (event as unknown as { event: { host: string; reason: string } }).event)).to.deep.include.members([
        { type: 'pool.routed', request: (routed[0] as unknown as { event: { request: string } }).event.request, host: parseHost(fake.host), reason: 'loaded', model: 'llama3.2:latest' },
      ])
      const task = await client.chat({ model: 'llama3.2', messages: hi, stream: { send: () => {} } })
      await task.await()
      expect(task.actor.getSnapshot().context.host).to.equal(parseHost(fake.host))

      const seen = JSON.stringify(events.map((event) => ('snapshot' in event ? event.snapshot : 'event' in event ? event.event : null)))
      expect(seen).to.include(parseHost(fake.host))
      expect(seen).to.not.match(/secret/)
      expect(JSON.stringify(client)).to.not.match(/secret/)
    } finally {
      client.close()
      await fake.close()
    }
  })

  it('close() stops the router and its host actors; a client of one host has no pool', async () => {
    const fake = await FakeOllama.start()
    const client = Ollixir.init({ retry: false, hosts: [fake.host] })
    const single = Ollixir.init({ host: fake.host })
    try {
      await client.version()
      const router = client.pool!.actor
      const host = router.getSnapshot().children['host.0']!
      expect(host.getSnapshot().status).to.equal('active')
      client.close()
      expect(router.getSnapshot().status).to.equal('stopped')
      expect(host.getSnapshot().status).to.equal('stopped')
      expect(single.pool).to.equal(undefined)
      expect(JSON.stringify(single)).to.equal(JSON.stringify({ host: parseHost(fake.host) }))
      // Still usable: the pool starts afresh.
      expect((await client.version()).version).to.be.a('string')
    } finally {
      client.close()
      single.close()
      await fake.close()
    }
  })
})
