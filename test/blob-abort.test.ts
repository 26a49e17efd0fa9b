import { expect } from 'chai'
import { mkdtemp, open, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { AbortError } from '../src/index.js'
import { rejection, sleep, useRig } from './support/helpers.js'

/** Large enough that hashing it takes seconds here; sparse, so it costs no disk. */
const BIG_FILE_BYTES = 4 * 1024 ** 3

describe('createBlob stops at once when aborted while hashing (issue 9, defect 6)', () => {
  const rig = useRig()
  let dir: string
  let big: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ollixir-blob-abort-'))
    big = join(dir, 'big.gguf')
    const file = await open(big, 'w')
    await file.truncate(BIG_FILE_BYTES)
    await file.close()
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** Starts `createBlob`, aborts 50 ms in, and says how long the rejection took after the abort. */
  async function abortWhileHashing(start: () => Promise<string>, abort: () => void): Promise<{ error: unknown; ms: number }> {
    const pending = rejection(start())
    await sleep(50)
    const aborted = Date.now()
    abort()
    const error = await pending
    return { error, ms: Date.now() - aborted }
  }

  it('client.abort() while a 4 GiB file is hashed: AbortError within milliseconds, nothing sent', async () => {
    const { error, ms } = await abortWhileHashing(() => rig.client.createBlob(big), () => rig.client.abort())
    expect(error).to.be.instanceOf(AbortError)
    expect(ms).to.be.below(500)
    expect(rig.fake.requests).to.have.length(0)
  })

  it('the call\'s signal while a file is hashed: the same', async () => {
    const controller = new AbortController()
    const { error, ms } = await abortWhileHashing(() => rig.client.createBlob(big, { signal: controller.signal }), () => controller.abort())
    expect(error).to.be.instanceOf(AbortError)
    expect(ms).to.be.below(500)
    expect(rig.fake.requests).to.have.length(0)
  })

  it('a stream being spooled to a temporary file: the same, and the temporary file is gone', async () => {
    const endless = Readable.from((function* () {
      for (;;) yield new Uint8Array(64 * 1024)
    })())
    const spools = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('ollixir-blob-') && !name.startsWith('ollixir-blob-abort-'))
    const before = await spools()
    const { error, ms } = await abortWhileHashing(() => rig.client.createBlob(endless), () => rig.client.abort())
    expect(error).to.be.instanceOf(AbortError)
    expect(ms).to.be.below(500)
    expect(rig.fake.requests).to.have.length(0)
    expect(await spools()).to.deep.equal(before)
  })

  it('create with a file to upload, aborted while it is hashed: nothing reaches /api/create', async () => {
    const controller = new AbortController()
    const { error, ms } = await abortWhileHashing(
      () => rig.client.create({ model: 'mine', files: { 'big.gguf': big }, signal: controller.signal }) as Promise<never>,
      () => controller.abort(),
    )
    expect(error).to.be.instanceOf(AbortError)
    expect(ms).to.be.below(500)
    expect(rig.fake.requests).to.have.length(0)
  })
})
