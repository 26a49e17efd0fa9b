import { expect } from 'chai'
import { assign, createActor, setup, waitFor } from 'xstate'
import { ollamaStream, trackProgress, updateProgress, type Progress, type PullStreamEvent } from '../src/index.js'
import { useRig } from './support/helpers.js'

const A = `sha256:${'a'.repeat(64)}`
const B = `sha256:${'b'.repeat(64)}`

/** Two layers, one after the other, as Ollama reports a pull. */
const TWO_LAYERS = [
  { status: 'pulling manifest' },
  { status: 'pulling aaaaaaaaaaaa', digest: A, total: 1000, completed: 0 },
  { status: 'pulling aaaaaaaaaaaa', digest: A, total: 1000, completed: 500 },
  { status: 'pulling aaaaaaaaaaaa', digest: A, total: 1000, completed: 1000 },
  { status: 'pulling bbbbbbbbbbbb', digest: B, total: 3000, completed: 1000 },
  { status: 'verifying sha256 digest' },
  { status: 'writing manifest' },
  { status: 'success' },
]

describe('progress of pull, push and create', () => {
  const rig = useRig()

  it('trackProgress over a pull stream: every layer kept and summed, percent, rate and time left', async () => {
    rig.fake.enqueue('pull', { progress: TWO_LAYERS })
    let clock = 0
    const seen: Progress[] = []
    for await (const progress of trackProgress(await rig.client.pull({ model: 'llama3.2', stream: true }), { now: () => (clock += 1000) })) seen.push(progress)

    expect(seen.map((p) => p.status)).to.deep.equal(TWO_LAYERS.map((step) => step.status))
    expect(seen[0]).to.include({ total: 0, completed: 0, percent: undefined, secondsLeft: undefined, done: false })
    expect(seen[2]).to.include({ total: 1000, completed: 500, percent: 50 })
    // The second layer adds to the first: the bar never jumps back.
    expect(seen[4]!.layers).to.deep.equal([
      { digest: A, total: 1000, completed: 1000 },
      { digest: B, total: 3000, completed: 1000 },
    ])
    expect(seen[4]).to.include({ total: 4000, completed: 2000, percent: 50 })
    // 2000 bytes in the 4 s since the first sample in the window (t=1 s … t=5 s).
    expect(seen[4]!.bytesPerSecond).to.equal(500)
    expect(seen[4]!.secondsLeft).to.equal(4)
    expect(seen.at(-1)).to.include({ status: 'success', done: true, percent: 100, completed: 4000, secondsLeft: 0 })
  })

  it('the rate only counts the last five seconds', () => {
    let progress = updateProgress(undefined, { digest: A, total: 10_000, completed: 0 }, 0)
    progress = updateProgress(progress, { digest: A, total: 10_000, completed: 1000 }, 1000)
    expect(progress.bytesPerSecond).to.equal(1000)
    progress = updateProgress(progress, { digest: A, total: 10_000, completed: 1100 }, 10_000) // a stall: only this sample is recent
    progress = updateProgress(progress, { digest: A, total: 10_000, completed: 1200 }, 11_000)
    expect(progress.bytesPerSecond).to.equal(100)
    expect(progress.secondsLeft).to.equal(88)
    expect(progress.samples).to.have.length(2)
  })

  it('a layer that reports less than before (a retried download) does not move the bar back', () => {
    let progress = updateProgress(undefined, { digest: A, total: 100, completed: 80 }, 0)
    progress = updateProgress(progress, { digest: A, total: 100, completed: 10 }, 1)
    expect(progress.completed).to.equal(80)
  })

  it('create: uploads count as layers too', async () => {
    const stream = await rig.client.create({ model: 'mine', files: { 'model.gguf': new Uint8Array(200_000) }, stream: true })
    let last: Progress | undefined
    for await (const progress of trackProgress(stream)) last = progress
    expect(last).to.include({ done: true, percent: 100 })
    expect(last!.layers).to.have.length(1)
    expect(last!.layers[0]!.total).to.equal(200_000)
  })

  it('in a machine: updateProgress in assign keeps plain data in the context', async () => {
    rig.fake.enqueue('pull', { progress: TWO_LAYERS })
    const machine = setup({
      types: { context: {} as { progress: Progress | undefined }, events: {} as PullStreamEvent },
      actors: { ollamaStream },
    }).createMachine({
      context: { progress: undefined },
      initial: 'pulling',
      states: {
        pulling: {
          invoke: { src: 'ollamaStream', input: { client: rig.client, method: 'pull', request: { model: 'llama3.2' } } },
          on: {
            'ollixir.data': { actions: assign({ progress: ({ context, event }) => updateProgress(context.progress, event.data) }) },
            'ollixir.ok': 'pulled',
          },
        },
        pulled: { type: 'final' },
      },
    })
    const actor = createActor(machine).start()
    const snapshot = await waitFor(actor, (s) => s.status === 'done', { timeout: 3000 })
    expect(snapshot.context.progress).to.include({ done: true, total: 4000, percent: 100 })
    expect(JSON.parse(JSON.stringify(actor.getPersistedSnapshot()))).to.have.nested.property('context.progress.total', 4000)
  })
})
