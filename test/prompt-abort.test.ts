import { expect } from 'chai'
import { AbortError, type ChunkStream, type Ollixir } from '../src/index.js'
import { eventually, useRig } from './support/helpers.js'

/**
 * Issue 9, defect 5: every abort of a `stream: true` loop is as prompt as
 * `stream.abort()`: the chunks already queued in the mailbox are not yielded.
 */
describe('aborting a stream: true loop is prompt', () => {
  const rig = useRig()
  const CHUNKS = 5000

  /** A fast server, a consumer that took one chunk and then let the mailbox fill up. */
  async function floodedStream(signal?: AbortSignal): Promise<{ stream: ChunkStream<any, any>; iterator: AsyncIterator<unknown> }> {
    rig.fake.enqueue('generate', { text: Array.from({ length: CHUNKS }, (_, i) => `${i} `) })
    const stream = await rig.client.generate({ model: 'llama3.2', prompt: 'p', stream: true, ...(signal ? { signal } : {}) })
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    // The mailbox passed its highWaterMark and paused the socket: hundreds of chunks wait.
    await eventually(() => stream.task.actor.getSnapshot().context.phase === 'paused', 3000, 'the mailbox filled up')
    return { stream, iterator }
  }

  /** How many `next()` calls it takes to see the error, and the error. */
  async function callsUntilError(iterator: AsyncIterator<unknown>): Promise<{ calls: number; error: unknown }> {
    for (let calls = 1; calls <= CHUNKS + 2; calls++) {
      try {
        const result = await iterator.next()
        if (result.done) return { calls, error: null }
      } catch (error) {
        return { calls, error }
      }
    }
    return { calls: Infinity, error: null }
  }

  const aborts: Record<string, (client: Ollixir, controller: AbortController, stream: ChunkStream) => void> = {
    'the call’s signal': (_client, controller) => controller.abort(),
    'client.abort()': (client) => client.abort(),
    'stream.abort()': (_client, _controller, stream) => stream.abort(),
  }

  for (const [name, abort] of Object.entries(aborts)) {
    it(`${name}: the next next() throws AbortError, no queued chunk is yielded`, async () => {
      const controller = new AbortController()
      const { stream, iterator } = await floodedStream(controller.signal)
      abort(rig.client, controller, stream)
      const { calls, error } = await callsUntilError(iterator)
      expect(error).to.be.instanceOf(AbortError)
      expect(calls, 'next() calls until AbortError').to.be.at.most(2)
      expect(stream.task.status).to.be.oneOf(['error', 'cancelled'])
    })
  }

  it('the caller’s signal aborts a loop waiting on an empty mailbox at once, too', async () => {
    rig.fake.enqueue('generate', { text: ['a', 'b', 'c'], chunkDelayMs: 2000 })
    const controller = new AbortController()
    const stream = await rig.client.generate({ model: 'llama3.2', prompt: 'p', stream: true, signal: controller.signal })
    const iterator = stream[Symbol.asyncIterator]()
    await iterator.next()
    setTimeout(() => controller.abort(), 20)
    const started = Date.now()
    const { calls, error } = await callsUntilError(iterator)
    expect(error).to.be.instanceOf(AbortError)
    expect(calls).to.equal(1)
    expect(Date.now() - started).to.be.below(1000)
  })

  it('a stream that ended with an error other than an abort still yields its chunks first', async () => {
    rig.fake.enqueue('generate', { text: ['a', 'b', 'c'], errorLineAfter: 3, errorLine: 'boom' })
    const stream = await rig.client.generate({ model: 'llama3.2', prompt: 'p', stream: true })
    const seen: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) seen.push(chunk.response)
    })().then(
      () => null,
      (e: unknown) => e,
    )
    expect(seen).to.deep.equal(['a', 'b', 'c'])
    expect(error).to.have.property('message', 'boom')
  })
})
