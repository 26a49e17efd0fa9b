import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { useClientPage } from './client-page-rig.js'
import type { BinaryKind, PageError } from './pages/client-page.js'

type Attempt<T = unknown> = { ok: true; value: T } | { ok: false; error: PageError }

/** The page's test bytes (byte i is `i % 251`). */
function testBytes(size: number): Buffer {
  return Buffer.from(Array.from({ length: size }, (_, i) => i % 251))
}

function failure(outcome: Attempt): PageError {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`)
  return outcome.error
}

describe('Page inputs in Chromium: bytes, Blobs and Files, never file paths', function () {
  this.timeout(20_000)
  const rig = useClientPage()

  it('the default host in a page is http://127.0.0.1:11434', async () => {
    const page = await rig.open()
    expect(await page.call('defaultHosts')).to.deep.equal({ defaultExport: 'http://127.0.0.1:11434', init: 'http://127.0.0.1:11434' })
  })

  it('calls without a body (version, list) are simple CORS requests: no content-type, no preflight; a chat is preflighted', async () => {
    const fake = await rig.fake()
    const page = await rig.open()
    expect(await page.call<Attempt>('call', fake.url, 'version', {})).to.have.property('ok', true)
    expect(await page.call<Attempt>('call', fake.url, 'list', {})).to.have.property('ok', true)
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(['GET /api/version', 'GET /api/tags'])
    expect(fake.requests.every((r) => r.headers['content-type'] === undefined)).to.equal(true)
    expect(await page.call<Attempt>('call', fake.url, 'chat', { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] })).to.have.property('ok', true)
    expect(fake.requests.slice(2).map((r) => `${r.method} ${r.path}`)).to.deep.equal(['OPTIONS /api/chat', 'POST /api/chat'])
  })

  it('images as Uint8Array, ArrayBuffer, Blob and File are sent as base64 (chat and generate)', async () => {
    const fake = await rig.fake()
    const page = await rig.open()
    const kinds: BinaryKind[] = ['bytes', 'arraybuffer', 'blob', 'file']

    const outcome = await page.call<Attempt>('sendImages', fake.url, kinds, 3000)

    expect(outcome).to.deep.equal({ ok: true, value: null })
    const base64 = testBytes(3000).toString('base64')
    const chat = fake.lastRequest('/api/chat')?.body as { messages: { images: string[] }[] }
    const generate = fake.lastRequest('/api/generate')?.body as { images: string[] }
    expect(chat.messages[0]?.images).to.deep.equal(kinds.map(() => base64))
    expect(generate.images).to.deep.equal(kinds.map(() => base64))
  })

  it('an image given as a file path is a RequestError that says to pass bytes, a Blob or a File; nothing is sent', async () => {
    const fake = await rig.fake()
    const page = await rig.open()

    const error = failure(await page.call<Attempt>('call', fake.url, 'chat', { model: 'llama3.2', messages: [{ role: 'user', content: 'Hi', images: ['./cat.png'] }] }))

    expect(error).to.include({ name: 'RequestError', field: 'messages[0].images[0]' })
    expect(error.message).to.include('Blob or File').and.include('file paths work in Node only')
    expect(fake.requests).to.deep.equal([])
  })

  for (const kind of ['file', 'blob', 'bytes', 'arraybuffer'] as const) {
    it(`createBlob from ${kind === 'file' ? 'a File' : kind === 'blob' ? 'a Blob' : kind === 'bytes' ? 'a Uint8Array' : 'an ArrayBuffer'}: sha256 computed in the page, uploaded once`, async () => {
      const fake = await rig.fake()
      const page = await rig.open()
      // Larger than one 4 MiB hashing slice, so a File is hashed in several.
      const size = kind === 'file' ? 9 * 1024 * 1024 + 7 : 5000
      const digest = `sha256:${createHash('sha256').update(testBytes(size)).digest('hex')}`

      const outcome = await page.call<Attempt<string>>('createBlob', fake.url, kind, size)

      expect(outcome).to.deep.equal({ ok: true, value: digest })
      expect(fake.hasBlob(digest)).to.equal(true)
      // (after the browser's CORS preflights)
      const requests = fake.requests.filter((r) => r.method !== 'OPTIONS').map((r) => `${r.method} ${r.path}`)
      expect(requests).to.deep.equal([`HEAD /api/blobs/${digest}`, `POST /api/blobs/${digest}`])
    })
  }

  it('createBlob with a file path is a RequestError that says to pass bytes, a Blob or a File', async () => {
    const fake = await rig.fake()
    const page = await rig.open()

    const error = failure(await page.call<Attempt>('createBlob', fake.url, 'path', 0))

    expect(error).to.include({ name: 'RequestError', field: 'data' })
    expect(error.message).to.include('File paths work in Node only').and.include('a Blob or a File')
    expect(fake.requests).to.deep.equal([])
  })

  it("create with a File in files uploads it, then creates the model; streamed progress says so", async () => {
    const fake = await rig.fake()
    const page = await rig.open()
    const digest = `sha256:${createHash('sha256').update(testBytes(4096)).digest('hex')}`

    const outcome = await page.call<Attempt<string[]>>('createModel', fake.url, 'file', 4096)

    expect(outcome.ok, JSON.stringify(outcome)).to.equal(true)
    expect((outcome as { value: string[] }).value).to.include('uploading model.gguf').and.include('success')
    expect(fake.lastRequest('/api/create')?.body).to.deep.include({ files: { 'model.gguf': digest } })
  })

  it("create with a file path in files is a RequestError naming files['model.gguf']; nothing is sent", async () => {
    const fake = await rig.fake()
    const page = await rig.open()

    const error = failure(await page.call<Attempt>('createModel', fake.url, 'path', 0))

    expect(error.name).to.equal('RequestError')
    expect(error.field).to.include('model.gguf')
    expect(error.message).to.include('File paths work in Node only')
    expect(fake.requests).to.deep.equal([])
  })
})
