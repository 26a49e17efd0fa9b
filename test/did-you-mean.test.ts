import { expect } from 'chai'
import { RequestError } from '../src/index.js'
import { closest, editDistance } from '../src/protocol/field-names.js'
import { hi, Inbox, rejection, useRig } from './support/helpers.js'

describe('misspelt request fields', () => {
  const rig = useRig()

  async function refused(call: Promise<unknown>): Promise<RequestError> {
    const error = await rejection(call)
    expect(error).to.be.instanceOf(RequestError)
    expect(error.code).to.equal('EINVALID')
    return error
  }

  it('a top-level typo is refused before sending, with a did-you-mean naming the field', async () => {
    const before = rig.fake.requests.length
    const error = await refused(rig.client.chat({ model: 'llama3.2', mesages: hi } as never))
    expect(error.field).to.equal('mesages')
    expect(error.message).to.contain("Did you mean 'messages'?")
    expect(rig.fake.requests.length).to.equal(before)
  })

  it('catches promt, option, a misspelt call option and contnet inside a message', async () => {
    expect((await refused(rig.client.generate({ model: 'llama3.2', promt: 'Hi' } as never))).message).to.contain("Did you mean 'prompt'?")
    expect((await refused(rig.client.chat({ model: 'llama3.2', messages: hi, option: {} } as never))).message).to.contain("Did you mean 'options'?")
    expect((await refused(rig.client.chat({ model: 'llama3.2', messages: hi, timout: 5 } as never))).message).to.contain("Did you mean 'timeout'?")
    const inMessage = await refused(rig.client.chat({ model: 'llama3.2', messages: [hi[0], { role: 'user', contnet: 'x' }] } as never))
    expect(inMessage.field).to.equal('messages[1].contnet')
    expect(inMessage.message).to.contain("Did you mean 'content'?")
    expect((await refused(rig.client.pull({ modle: 'llama3.2' } as never))).message).to.contain("Did you mean 'model'?")
  })

  it('streamed calls refuse too: stream: true rejects, a parent gets ollixir.error', async () => {
    await refused(rig.client.chat({ model: 'llama3.2', mesages: hi, stream: true } as never))
    const inbox = new Inbox()
    await rig.client.chat({ model: 'llama3.2', mesages: hi, stream: inbox } as never)
    const event: any = await inbox.until('ollixir.error')
    expect(event.reason).to.be.instanceOf(RequestError)
    expect(event.reason.field).to.equal('mesages')
  })

  it('fields far from every known name, and fields other requests know, pass through', async () => {
    await rig.client.chat({ model: 'llama3.2', messages: hi, x_future_field: 1, suffix: 'x', aspect_ratio: '1:1' } as never)
    const sent = rig.fake.lastRequest('/api/chat')!.body as Record<string, unknown>
    expect(sent).to.include({ x_future_field: 1, suffix: 'x', aspect_ratio: '1:1' })
  })

  it('validate: false, per call or per client, sends the field as it is', async () => {
    await rig.client.chat({ model: 'llama3.2', mesages: hi, validate: false } as never)
    expect(rig.fake.lastRequest('/api/chat')!.body).to.have.property('mesages')
    expect(rig.fake.lastRequest('/api/chat')!.body).not.to.have.property('validate')
  })

  it('edit distance counts a swap of neighbours as one edit; short names allow one edit only', () => {
    expect(editDistance('contnet', 'content')).to.equal(1)
    expect(editDistance('mesages', 'messages')).to.equal(1)
    expect(editDistance('abc', 'abc')).to.equal(0)
    expect(closest('rwa', ['raw'])).to.equal('raw')
    expect(closest('xyz', ['raw'])).to.equal(undefined)
    expect(closest('moel', ['model'])).to.equal('model')
    expect(closest('fmt', ['format'])).to.equal(undefined)
  })
})
