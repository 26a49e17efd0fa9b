import { expect } from 'chai'
import { FakeOllama } from '../src/testing/index.js'
import { ConnectionError, Ollixir, parseHost, servedBy, type ChunkStream } from '../src/index.js'
import { closedPort, eventually, hi, rejection, TRANSPORTS } from './support/helpers.js'
import { requestsPerFake, slowReply, usePool } from './support/pool.js'

const loaded = { models: [{ name: 'llama3.2', loaded: true }] }
const quickRetry = { limit: 2, baseDelay: 10, maxDelay: 50 }

for (const transport of TRANSPORTS) {
  describe(`pool failover (${transport.name})`, () => {
    describe('before the first byte', () => {
      const rig = usePool([loaded, loaded], { ...transport.options, retry: quickRetry })

      it('a 503 before the first byte moves the call to the next host, and the busy host is degraded', async () => {
        rig.fakes[0]!.enqueue('chat', { status: 503, error: 'server busy, please try again' })
        const reply = await rig.client.chat({ model: 'llama3.2', messages: hi })
        expect(servedBy(reply)).to.equal(rig.hosts[1])
        expect(requestsPerFake(rig, '/api/chat')).to.deep.equal([1, 1])
        expect(rig.client.pool!.views()[0]!.state).to.equal('degraded')
        // While it is degraded, calls prefer the other host.
        expect(servedBy(await rig.client.chat({ model: 'llama3.2', messages: hi }))).to.equal(rig.hosts[1])
      })

      it('a stream moves too, when its host answers 503 before any chunk', async () => {
        rig.fakes[0]!.enqueue('chat', { status: 503 })
        const stream = (await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })) as ChunkStream
        expect((await stream.collect()).length).to.be.greaterThan(0)
        expect(stream.host).to.equal(rig.hosts[1])
      })

      it('with retry: false nothing is moved: the 503 is the answer', async () => {
        rig.fakes[0]!.enqueue('chat', { status: 503 })
        const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi, retry: false }))
        expect(error).to.have.property('status', 503)
        expect(requestsPerFake(rig, '/api/chat')).to.deep.equal([1, 0])
      })
    })

    describe('hosts that are gone', () => {
      it('a refused host is marked down and the call goes to one that answers', async () => {
        const fake = await FakeOllama.start(loaded)
        const dead = parseHost(`127.0.0.1:${await closedPort()}`)
        const client = Ollixir.init({ ...transport.options, retry: quickRetry, hosts: [dead, fake.host], pool: { probeDelay: 60_000 } })
        try {
          expect(servedBy(await client.chat({ model: 'llama3.2', messages: hi }))).to.equal(parseHost(fake.host))
          expect(client.pool!.views()[0]!.state).to.equal('down')
        } finally {
          client.close()
          await fake.close()
        }
      })

      it('when every host is down, the error names each host and why', async () => {
        const dead = [parseHost(`127.0.0.1:${await closedPort()}`), parseHost(`127.0.0.1:${await closedPort()}`)]
        const client = Ollixir.init({ ...transport.options, retry: quickRetry, hosts: dead, pool: { probeDelay: 60_000 } })
        try {
          const error = await rejection(client.chat({ model: 'llama3.2', messages: hi }))
          expect(error).to.be.instanceOf(ConnectionError)
          expect(error.code).to.equal('EALLHOSTSDOWN')
          for (const host of dead) expect(error.message).to.include(host)
          expect(error.message).to.match(/ECONNREFUSED|ENETWORK/)
        } finally {
          client.close()
        }
      })

      it('a host killed mid-run: its open streams fail, new calls go elsewhere, it is probed and returns', async function () {
        this.timeout(15_000)
        const fakes = [await FakeOllama.start(loaded), await FakeOllama.start(loaded)]
        const hosts = fakes.map((fake) => parseHost(fake.host))
        const port = Number(hosts[0]!.split(':').at(-1))
        const client = Ollixir.init({ ...transport.options, retry: quickRetry, hosts, pool: { probeDelay: 50, maxProbeDelay: 200 } })
        try {
          for (const fake of fakes) for (let i = 0; i < 2; i++) fake.enqueue('chat', slowReply(40, 25))
          const streams = await Promise.all(Array.from({ length: 4 }, () => client.chat({ model: 'llama3.2', messages: hi, stream: true }) as Promise<ChunkStream>))
          expect(streams.map((stream) => stream.host).filter((host) => host === hosts[0])).to.have.length(2)
          await fakes[0]!.close()
          const outcomes = await Promise.all(streams.map((stream) => stream.collect().then(() => 'ok', (error: unknown) => (error as Error).constructor.name)))
          expect(outcomes.filter((outcome, i) => streams[i]!.host === hosts[0] && outcome === 'ConnectionError')).to.have.length(2)
          expect(outcomes.filter((outcome, i) => streams[i]!.host === hosts[1] && outcome === 'ok')).to.have.length(2)

          for (let i = 0; i < 3; i++) expect(servedBy(await client.chat({ model: 'llama3.2', messages: hi }))).to.equal(hosts[1])
          expect(client.pool!.views()[0]!.state).to.be.oneOf(['down', 'probing'])

          fakes[0] = await FakeOllama.start({ ...loaded, port })
          await eventually(() => client.pool!.views()[0]!.state === 'up', 5000, 'the host back up')
          expect(servedBy(await client.chat({ model: 'llama3.2', messages: hi }))).to.equal(hosts[0])
        } finally {
          client.close()
          await Promise.all(fakes.map((fake) => fake.close()))
        }
      })
    })
  })
}
