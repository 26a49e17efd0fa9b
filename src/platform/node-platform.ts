import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { RequestError } from '../errors/RequestError.js'
import type { BlobSource } from '../protocol/create-files.js'
import { createFetchTransport } from '../transport/fetch-transport.js'
import { createGotTransport } from '../transport/got-transport.js'
import { VERSION } from '../version.js'
import type { Platform, PreparedBlob } from './platform.js'

/** Node: got by default, files by path, temporary files for streams, `node:crypto`. */
export const nodePlatform: Platform = {
  createTransport: (fetch) => (fetch ? createFetchTransport(fetch) : createGotTransport()),
  env: (name) => process.env[name],
  userAgent: `ollixir/${VERSION} (${process.platform} ${process.arch}) Node.js/${process.versions.node}`,
  prepareBlob,
  async readImageFile(path) {
    const info = await stat(path).catch(() => undefined)
    return info?.isFile() ? readFile(path) : undefined
  },
}

async function prepareBlob(data: BlobSource, field: string, signal: AbortSignal): Promise<PreparedBlob> {
  if (data instanceof ArrayBuffer) data = new Uint8Array(data)
  if (data instanceof Uint8Array) {
    return { digest: `sha256:${createHash('sha256').update(data).digest('hex')}`, size: data.byteLength, body: data, dispose: async () => {} }
  }
  if (typeof data === 'string') {
    const path = data
    const info = await stat(path).catch(() => undefined)
    if (!info?.isFile()) throw new RequestError(`${field}: "${path}" is neither a blob digest (sha256:…) nor an existing file.`, { field })
    return { digest: await hashFile(path, signal), size: info.size, body: () => createReadStream(path), dispose: async () => {} }
  }
  if (data instanceof Blob) return { digest: await hashStream(data.stream(), signal), size: data.size, body: data, dispose: async () => {} }
  if (data && typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') return spool(data as AsyncIterable<Uint8Array>, signal)
  throw new RequestError(`${field} must be bytes (Uint8Array/Buffer), a Blob, a file path, or a readable stream.`, { field })
}

/** A stream is read once: spooled to a temporary file while it is hashed, so memory stays flat and a retry can read it again. */
async function spool(source: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<PreparedBlob> {
  const dir = await mkdtemp(join(tmpdir(), 'ollixir-blob-'))
  const dispose = () => rm(dir, { recursive: true, force: true })
  const file = join(dir, 'blob')
  const hash = createHash('sha256')
  try {
    await pipeline(
      source,
      async function* (parts: AsyncIterable<Uint8Array>) {
        for await (const part of parts) {
          hash.update(part)
          yield part
        }
      },
      createWriteStream(file),
      { signal },
    )
  } catch (error) {
    await dispose()
    throw error
  }
  const { size } = await stat(file)
  return { digest: `sha256:${hash.digest('hex')}`, size, body: () => createReadStream(file), dispose }
}

async function hashFile(path: string, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  // The signal closes the file at once, however large it is.
  for await (const part of createReadStream(path, { signal })) hash.update(part as Buffer)
  return `sha256:${hash.digest('hex')}`
}

async function hashStream(stream: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  const reader = stream.getReader()
  const onAbort = () => void reader.cancel().catch(() => {})
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason
      const { done, value } = await reader.read()
      if (done) break
      hash.update(value)
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  return `sha256:${hash.digest('hex')}`
}
