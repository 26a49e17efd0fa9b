import { expect } from 'chai'
import { FakeOllama } from '../src/testing/index.js'
import { Ollixir, parseHost, RequestError } from '../src/index.js'
import { closedPort, rejection } from './support/helpers.js'
import { requestsPerFake, usePool } from './support/pool.js'

describe('pool: model management and merged lists', () => {
  const rig = usePool([{ models: [{ name: 'llama3.2', loaded: true }, { name: 'qwen3' }] }, { models: [{ name: 'llama3.2' }] }])

  it('pull without host goes to every host, with a result per host', async () => {
    const result = await rig.client.pull({ model: 'gemma3' })
    expect(result).to.deep.equal({ status: 'success', hosts: rig.hosts.map((host) => ({ host, status: 'success' })) })
    expect(requestsPerFake(rig, '/api/pull')).to.deep.equal([1, 1])
  })

  it('with host, one host only', async () => {
    await rig.client.pull({ model: 'gemma3', host: rig.hosts[1] })
    await rig.client.copy({ source: 'llama3.2', destination: 'mine', host: rig.hosts[1] })
    expect(requestsPerFake(rig, '/api/pull')).to.deep.equal([0, 1])
    expect(requestsPerFake(rig, '/api/copy')).to.deep.equal([0, 1])
  })

  it('a fan-out that fails somewhere rejects with EFANOUT and every host’s result', async () => {
    const error = await rejection(rig.client.delete({ model: 'qwen3' }))
    expect(error.code).to.equal('EFANOUT')
    expect(error.message).to.include(rig.hosts[1])
    expect(error.results.map((result: { host: string }) => result.host)).to.deep.equal(rig.hosts)
    expect(error.results[0]).to.have.property('ok')
    expect(error.results[1].error.status).to.equal(404)
  })

  it('a streamed pull needs a host; a host not in `hosts` is refused', async () => {
    const streamed = await rejection(rig.client.pull({ model: 'gemma3', stream: true }))
    expect(streamed).to.be.instanceOf(RequestError)
    expect(streamed.field).to.equal('host')
    const stranger = await rejection(rig.client.pull({ model: 'gemma3', host: 'elsewhere:1' }))
    expect(stranger).to.be.instanceOf(RequestError)
    expect(stranger.message).to.include('http://elsewhere:1')
    expect(requestsPerFake(rig, '/api/pull')).to.deep.equal([0, 0])
  })

  it('list merges every host’s models and says where each one is', async () => {
    const { models } = (await rig.client.list()) as unknown as { models: Array<{ name: string; hosts: string[] }> }
    const where = Object.fromEntries(models.map((model) => [model.name, model.hosts]))
    expect(where).to.deep.equal({ 'llama3.2:latest': rig.hosts, 'qwen3:latest': [rig.hosts[0]] })
  })

  it('in struct mode the merged list is a ListResponse whose entries keep where they are', async () => {
    const list = await rig.client.list({ responseFormat: 'struct' })
    expect(list.constructor.name).to.equal('ListResponse')
    const where = Object.fromEntries(list.models.map((model) => [model.name, (model as unknown as { hosts: string[] }).hosts]))
    expect(where).to.deep.equal({ 'llama3.2:latest': rig.hosts, 'qwen3:latest': [rig.hosts[0]] })
  })

  it('ps merges the loaded models', async () => {
    const { models } = (await rig.client.ps()) as unknown as { models: Array<{ name: string; hosts: string[] }> }
    expect(models.map((model) => [model.name, model.hosts])).to.deep.equal([['llama3.2:latest', [rig.hosts[0]]]])
  })

  it('a host that does not answer is named in `unreachable`; when none answers, the error names each', async () => {
    const fake = await FakeOllama.start()
    const dead = parseHost(`127.0.0.1:${await closedPort()}`)
    const client = Ollixir.init({ retry: false, hosts: [fake.host, dead], pool: { probeDelay: 60_000 } })
    const none = Ollixir.init({ retry: false, hosts: [dead], pool: { probeDelay: 60_000 } })
    try {
      const listed = (await client.list()) as unknown as { unreachable: string[] }
      expect(listed.unreachable).to.deep.equal([dead])
      const error = await rejection(none.list())
      expect(error.code).to.equal('EALLHOSTSDOWN')
      expect(error.message).to.include(dead)
    } finally {
      client.close()
      none.close()
      await fake.close()
    }
  })
})
