import { expect } from 'chai'
import { assign, createActor, setup, waitFor } from 'xstate'
import { createAgent, createChatSession, defineTool, ollamaStream, Ollixir, RequestError, startTask, type OllixirEvent } from '../src/index.js'
import { hi, Inbox, sleep, useRig } from './support/helpers.js'

/** What a parent machine heard from an `ollamaStream` it invoked with `input`. */
async function invokeWith(input: unknown): Promise<{ reason: RequestError; parentStatus: string }> {
  const machine = setup({
    types: { context: {} as { reason?: unknown }, events: {} as OllixirEvent<any, any> },
    actors: { ollamaStream },
  }).createMachine({
    context: {},
    initial: 'streaming',
    states: {
      streaming: {
        invoke: { src: 'ollamaStream', input: () => input as never },
        on: { 'ollixir.error': { target: 'failed', actions: assign({ reason: ({ event }) => event.reason }) } },
      },
      failed: {},
    },
  })
  const actor = createActor(machine).start()
  const snapshot = await waitFor(actor, (s) => s.matches('failed'), { timeout: 2000 })
  await sleep(10) // anything thrown asynchronously would fail the test as an uncaught exception
  const status = actor.getSnapshot().status
  actor.stop()
  return { reason: snapshot.context.reason as RequestError, parentStatus: status }
}

describe('bad input never crashes', () => {
  const rig = useRig()

  describe('ollamaStream: a wrong client, method or request is an ollixir.error (EINVALID, with the field)', () => {
    const wrongClients: Array<[string, () => unknown]> = [
      ['a host string', () => rig.fake.host],
      ['{ host }', () => ({ host: rig.fake.host })],
      ['the class itself', () => Ollixir],
      ['nothing', () => undefined],
    ]
    for (const [what, client] of wrongClients) {
      it(`client: ${what}`, async () => {
        const { reason, parentStatus } = await invokeWith({ client: client(), method: 'chat', request: { model: 'llama3.2', messages: hi } })
        expect(reason).to.be.instanceOf(RequestError)
        expect(reason.code).to.equal('EINVALID')
        expect(reason.field).to.equal('client')
        expect(reason.message).to.match(/^ollamaStream: client must be an Ollixir client \(Ollixir\.init/)
        expect(parentStatus).to.equal('active')
      })
    }

    it('a method that does not stream, or none', async () => {
      for (const method of ['embed', undefined]) {
        const { reason } = await invokeWith({ client: rig.client, method, request: { model: 'llama3.2' } })
        expect(reason.field).to.equal('method')
        expect(reason.message).to.contain("'chat', 'generate', 'create', 'pull' or 'push'")
      }
    })

    it('a request that is missing or not an object', async () => {
      for (const request of [undefined, 'hello', ['a']]) {
        const { reason } = await invokeWith({ client: rig.client, method: 'chat', request })
        expect(reason.field).to.equal('request')
      }
    })

    it('no input at all', async () => {
      const { reason } = await invokeWith(undefined)
      expect(reason.field).to.equal('input')
    })

    it('nothing reaches the server', async () => {
      await invokeWith({ client: { host: rig.fake.host }, method: 'chat', request: { model: 'llama3.2', messages: hi } })
      expect(rig.fake.requests).to.have.length(0)
    })

    it('a root actor ends done with the error as output instead of throwing', async () => {
      const actor = createActor(ollamaStream, { input: { client: 'localhost' } as never })
      expect(() => actor.start()).not.to.throw()
      const snapshot = await waitFor(actor, (s) => s.status === 'done', { timeout: 2000 })
      const output = snapshot.output as { error: RequestError }
      expect(output.error).to.be.instanceOf(RequestError)
      expect(output.error.field).to.equal('client')
    })
  })

  describe('factories refuse at once with a RequestError', () => {
    it('startTask with a wrong client', () => {
      const error = catchSync(() => startTask({ host: 'x' } as never, 'chat', { model: 'llama3.2', messages: hi }, new Inbox()))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('client')
    })

    it('createChatSession without a client, or with a string', () => {
      for (const client of [undefined, 'localhost:11434']) {
        const error = catchSync(() => createChatSession({ client, model: 'llama3.2' } as never))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('client')
        expect(error.message).to.contain('createChatSession: client must be an Ollixir client')
      }
    })

    it('createAgent without a client', () => {
      const error = catchSync(() => createAgent({ model: 'qwen3', tools: [] } as never))
      expect(error.field).to.equal('client')
      expect(error.message).to.contain('createAgent: client must be an Ollixir client')
    })

    it("createAgent with approve: ['send_email'] when no tool has that name", () => {
      const weather = defineTool({ name: 'get_weather', parameters: { type: 'object', properties: {} }, run: async () => 'sunny' })
      const error = catchSync(() => createAgent({ client: rig.client, model: 'qwen3', tools: [weather], approve: ['send_email'] }))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('approve')
      expect(error.message).to.equal("createAgent: approve names 'send_email', which is not one of the agent's tools (its tools are 'get_weather').")
      expect(() => createAgent({ client: rig.client, model: 'qwen3', tools: [weather], approve: ['get_weather'] })).not.to.throw()
    })
  })
})

function catchSync(run: () => unknown): RequestError {
  try {
    run()
  } catch (error) {
    return error as RequestError
  }
  throw new Error('expected a throw')
}
