import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { Ollixir, RequestError, ResponseError } from '../src/index.js'
import { useRig, rejection } from './support/helpers.js'

const sha256 = (data: Uint8Array) => `sha256:${createHash('sha256').update(data).digest('hex')}`

describe('blobs', () => {
  const rig = useRig()
  let dir: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ollixir-blobs-test-'))
  })
  after(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  const trail = () => rig.fake.requests.map((r) => `${r.method} ${r.path}`)

  describe('createBlob', () => {
    it('bytes: HEAD, then POST of exactly those bytes; resolves with node\'s sha256 digest', async () => {
      const data = randomBytes(4096)
      const digest = await rig.client.createBlob(data)
      expect(digest).to.equal(sha256(data))
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
      const post = rig.fake.lastRequest(`/api/blobs/${digest}`)!
      expect(post.method).to.equal('POST')
      expect(Buffer.compare(post.raw, data)).to.equal(0)
      expect(post.headers['content-type']).to.equal('application/octet-stream')
      expect(rig.fake.hasBlob(digest)).to.equal(true)
    })

    it('a Uint8Array view sends and hashes only its own bytes', async () => {
      const backing = new Uint8Array(randomBytes(100))
      const view = backing.subarray(10, 60)
      const digest = await rig.client.createBlob(view)
      expect(digest).to.equal(sha256(Buffer.from(view)))
      expect(Buffer.compare(rig.fake.lastRequest(`/api/blobs/${digest}`)!.raw, Buffer.from(view))).to.equal(0)
    })

    it('the same data a second time: only a HEAD, no upload', async () => {
      const data = Buffer.from('same blob twice')
      const first = await rig.client.createBlob(data)
      const second = await rig.client.createBlob(data)
      expect(second).to.equal(first)
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${first}`, `POST /api/blobs/${first}`, `HEAD /api/blobs/${first}`])
    })

    it('a blob the server already has (added by the fake) is not uploaded', async () => {
      const digest = rig.fake.addBlob('preloaded')
      expect(await rig.client.createBlob(Buffer.from('preloaded'))).to.equal(digest)
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`])
    })

    it('a file path: digest of the file, the file\'s bytes uploaded', async () => {
      const data = randomBytes(300 * 1024)
      const file = join(dir, 'model.gguf')
      await writeFile(file, data)
      const digest = await rig.client.createBlob(file)
      expect(digest).to.equal(sha256(data))
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
      expect(Buffer.compare(rig.fake.lastRequest(`/api/blobs/${digest}`)!.raw, data)).to.equal(0)
      expect(rig.fake.hasBlob(digest)).to.equal(true)
    })

    it('a readable stream: digest of everything it yields, all of it uploaded, spool removed', async () => {
      const parts = [randomBytes(1000), randomBytes(70_000), Buffer.from('tail')]
      const all = Buffer.concat(parts)
      const spools = async () => (await readdir(tmpdir())).filter((name) => name.startsWith('ollixir-blob-')).length
      const before = await spools()
      const digest = await rig.client.createBlob(Readable.from(parts))
      expect(digest).to.equal(sha256(all))
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
      expect(Buffer.compare(rig.fake.lastRequest(`/api/blobs/${digest}`)!.raw, all)).to.equal(0)
      expect(await spools()).to.equal(before)
    })

    it('a missing file path → RequestError (field data), nothing sent', async () => {
      const error = await rejection(rig.client.createBlob(join(dir, 'does-not-exist.gguf')))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('data')
      expect(error.message).to.include('does-not-exist.gguf')
      expect(rig.fake.requests).to.have.length(0)
    })

    it('a directory path → RequestError, nothing sent', async () => {
      const error = await rejection(rig.client.createBlob(dir))
      expect(error).to.be.instanceOf(RequestError)
      expect(rig.fake.requests).to.have.length(0)
    })

    it('something that is not bytes, a path or a stream → RequestError', async () => {
      const error = await rejection(rig.client.createBlob(42 as never))
      expect(error).to.be.instanceOf(RequestError)
      expect(error.field).to.equal('data')
      expect(rig.fake.requests).to.have.length(0)
    })

    it('a retryable failure of the HEAD is retried when the client retries', async () => {
      const client = Ollixir.init({ host: rig.fake.host, retry: { limit: 2, baseDelay: 1, maxDelay: 5 } })
      try {
        rig.fake.enqueue('blobs', { status: 503, error: 'busy' })
        const data = Buffer.from('retry me')
        const digest = await client.createBlob(data)
        expect(digest).to.equal(sha256(data))
        expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`, `HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
      } finally {
        client.close()
      }
    })

    it('a retryable failure of the upload of bytes is retried', async () => {
      const client = Ollixir.init({ host: rig.fake.host, retry: { limit: 2, baseDelay: 1, maxDelay: 5 } })
      try {
        // Faults answer whichever blob request comes next: a 404 for the HEAD, then a 503 for the first POST.
        rig.fake.enqueue('blobs', { status: 404, error: 'not here' }).enqueue('blobs', { status: 503, error: 'busy' })
        const data = randomBytes(512)
        const digest = await client.createBlob(data)
        expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
        expect(Buffer.compare(rig.fake.lastRequest(`/api/blobs/${digest}`)!.raw, data)).to.equal(0)
        expect(rig.fake.hasBlob(digest)).to.equal(true)
      } finally {
        client.close()
      }
    })

    it('a server error on the upload rejects with ResponseError', async () => {
      const data = Buffer.from('will fail')
      // Faults answer whichever blob request comes next: a 404 for the HEAD, then a 500 for the POST.
      rig.fake.enqueue('blobs', { status: 404, error: 'not here' }).enqueue('blobs', { status: 500, error: 'disk full' })
      const error = await rejection(rig.client.createBlob(data))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error).to.include({ status: 500, message: 'disk full' })
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${sha256(data)}`, `POST /api/blobs/${sha256(data)}`])
    })
  })

  describe('blobExists', () => {
    it('HEAD /api/blobs/:digest → true when the server has it, false on 404', async () => {
      const digest = rig.fake.addBlob('present')
      expect(await rig.client.blobExists(digest)).to.equal(true)
      const absent = sha256(Buffer.from('absent'))
      expect(await rig.client.blobExists(absent)).to.equal(false)
      expect(trail()).to.deep.equal([`HEAD /api/blobs/${digest}`, `HEAD /api/blobs/${absent}`])
      for (const request of rig.fake.requests) expect(request.raw.length).to.equal(0)
    })

    it('accepts the sha256-<hex> spelling', async () => {
      const digest = rig.fake.addBlob('dash form')
      expect(await rig.client.blobExists(digest.replace(':', '-'))).to.equal(true)
    })

    for (const bad of ['sha256:xyz', 'md5:' + 'a'.repeat(32), 'a'.repeat(64), '', 'sha256:' + 'a'.repeat(63), `sha256:${'a'.repeat(64)}/../../api/tags`]) {
      it(`a bad digest ${JSON.stringify(bad.length > 28 ? `${bad.slice(0, 10)}…${bad.slice(-14)}` : bad)} → RequestError (field digest), nothing sent`, async () => {
        const error = await rejection(rig.client.blobExists(bad))
        expect(error).to.be.instanceOf(RequestError)
        expect(error.field).to.equal('digest')
        expect(rig.fake.requests).to.have.length(0)
      })
    }

    it('other HTTP errors are not read as "missing"', async () => {
      rig.fake.enqueue('blobs', { status: 500, error: 'oops' })
      const error = await rejection(rig.client.blobExists(sha256(Buffer.from('x'))))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(500)
      // A HEAD answer has no body, so there is no error text to show.
      expect(error.message).to.equal('HTTP 500')
    })
  })

  describe('create from uploaded blobs', () => {
    it('create({ model, files: { "x.gguf": digest } }) after createBlob succeeds', async () => {
      const data = randomBytes(2048)
      const digest = await rig.client.createBlob(data)
      const reply = await rig.client.create({ model: 'from-blob', files: { 'x.gguf': digest }, system: 'hi' })
      expect(reply).to.deep.equal({ status: 'success' })
      const request = rig.fake.lastRequest('/api/create')!
      expect(request.body).to.deep.equal({ model: 'from-blob', files: { 'x.gguf': digest }, system: 'hi', stream: false })
      expect(rig.fake.hasModel('from-blob')).to.equal(true)
    })

    it('streamed create from files reports parsing and the layer it uses', async () => {
      const digest = await rig.client.createBlob(Buffer.from('gguf bytes'))
      const chunks = await (await rig.client.createModel({ model: 'streamed-blob', files: { 'x.gguf': digest }, stream: true })).collect()
      const statuses = chunks.map((c) => c.status)
      expect(statuses[0]).to.equal('parsing GGUF')
      expect(statuses).to.include(`using existing layer ${digest}`)
      expect(statuses.at(-1)).to.equal('success')
    })

    it('create with a digest that was never uploaded → 400 with Ollama\'s text', async () => {
      const digest = sha256(Buffer.from('never uploaded'))
      const error = await rejection(rig.client.create({ model: 'broken', files: { 'x.gguf': digest } }))
      expect(error).to.be.instanceOf(ResponseError)
      expect(error.status).to.equal(400)
      expect(error.message).to.include(`blob not found for x.gguf (digest ${digest})`)
    })
  })
})
