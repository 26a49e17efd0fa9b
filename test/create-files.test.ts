import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { ProgressResponse, RequestError } from '../src/index.js'
import { Inbox, rejection, sentBody, useRig } from './support/helpers.js'

const sha256 = (data: Uint8Array) => `sha256:${createHash('sha256').update(data).digest('hex')}`

describe('create from files', () => {
  const rig = useRig()
  let dir: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ollixir-create-test-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const trail = () => rig.fake.requests.map((r) => `${r.method} ${r.path}`)

  it('uploads bytes, paths and streams as blobs (HEAD first), then sends their digests', async () => {
    const weights = randomBytes(200_000)
    const adapter = randomBytes(1000)
    const extra = Buffer.from('tokenizer data')
    const path = join(dir, 'adapter.gguf')
    await writeFile(path, adapter)
    const result = await rig.client.create({
      model: 'mine',
      files: { 'model.gguf': weights, 'tokenizer.json': Readable.from([extra]) },
      adapters: { 'adapter.gguf': path },
    })
    expect(result).to.deep.equal({ status: 'success' })
    const [w, t, a] = [sha256(weights), sha256(extra), sha256(adapter)]
    expect(trail()).to.deep.equal([
      `HEAD /api/blobs/${w}`,
      `POST /api/blobs/${w}`,
      `HEAD /api/blobs/${t}`,
      `POST /api/blobs/${t}`,
      `HEAD /api/blobs/${a}`,
      `POST /api/blobs/${a}`,
      'POST /api/create',
    ])
    expect(sentBody(rig.fake, '/api/create')).to.deep.equal({
      model: 'mine',
      files: { 'model.gguf': w, 'tokenizer.json': t },
      adapters: { 'adapter.gguf': a },
      stream: false,
    })
    expect((await rig.client.list()).models.map((m) => m.name)).to.include('mine:latest')
  })

  it('a digest passes as it is, and a blob the server has is not uploaded again', async () => {
    const known = rig.fake.addBlob('already there')
    const again = Buffer.from('already there too')
    rig.fake.addBlob(again)
    await rig.client.create({ model: 'mine', files: { 'a.gguf': known, 'b.gguf': again } })
    expect(trail()).to.deep.equal([`HEAD /api/blobs/${sha256(again)}`, 'POST /api/create'])
  })

  it('stream: true reports each upload as progress chunks before the server\'s own, up to success', async () => {
    const weights = randomBytes(300_000)
    const known = Buffer.from('known blob')
    rig.fake.addBlob(known)
    const stream = await rig.client.create({ model: 'mine', files: { 'model.gguf': weights, 'known.gguf': known }, stream: true })
    const chunks = await stream.collect()
    const uploads = chunks.filter((chunk) => chunk.status === 'uploading model.gguf')
    expect(uploads[0]).to.deep.equal({ status: 'uploading model.gguf', digest: sha256(weights), total: 300_000, completed: 0 })
    expect(uploads.at(-1)).to.deep.include({ completed: 300_000, total: 300_000 })
    const completed = uploads.map((chunk) => chunk.completed!)
    expect(completed, 'progress only grows').to.deep.equal([...completed].sort((a, b) => a - b))
    expect(chunks.find((chunk) => chunk.status.startsWith('using existing'))).to.deep.equal({
      status: 'using existing known.gguf',
      digest: sha256(known),
      total: known.length,
      completed: known.length,
    })
    expect(chunks.at(-1)).to.deep.equal({ status: 'success' })
    expect(chunks.findIndex((chunk) => chunk.status === 'using existing known.gguf')).to.be.greaterThan(chunks.lastIndexOf(uploads.at(-1)!))
  })

  it('process mode: upload progress arrives as ollixir.data events (structs in struct mode)', async () => {
    const inbox = new Inbox()
    await rig.client.create({ model: 'mine', files: { 'model.gguf': randomBytes(1000) }, stream: inbox, responseFormat: 'struct' })
    await inbox.until('ollixir.ok')
    const first = inbox.events[0] as { type: string; data: ProgressResponse }
    expect(first.type).to.equal('ollixir.data')
    expect(first.data).to.be.instanceOf(ProgressResponse)
    expect(first.data.status).to.equal('uploading model.gguf')
  })

  it('a path that is not a file names the entry; nothing is sent', async () => {
    const error = await rejection(rig.client.create({ model: 'mine', files: { 'model.gguf': join(dir, 'missing.gguf') } }))
    expect(error).to.be.instanceOf(RequestError)
    expect(error.field).to.equal('files["model.gguf"]')
    expect(error.message).to.contain('missing.gguf')
    expect(rig.fake.requests).to.have.length(0)
  })

  it('an invalid request is refused before any upload', async () => {
    const error = await rejection(rig.client.create({ files: { 'model.gguf': randomBytes(100) } } as never))
    expect(error).to.be.instanceOf(RequestError)
    expect(rig.fake.requests).to.have.length(0)
  })

  it('aborting during an upload stops it and the create request is never sent', async () => {
    const controller = new AbortController()
    const big = randomBytes(8 * 1024 * 1024)
    const call = rig.client.create({ model: 'mine', files: { 'model.gguf': big }, signal: controller.signal, stream: true })
    setTimeout(() => controller.abort(), 5)
    const error = await rejection(call)
    expect(error.name).to.equal('AbortError')
    expect(trail()).to.not.include('POST /api/create')
  })
})
