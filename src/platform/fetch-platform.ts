import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { RequestError } from '../errors/RequestError.js'
import type { BlobSource } from '../protocol/create-files.js'
import { createFetchTransport } from '../transport/fetch-transport.js'
import type { Platform, PreparedBlob } from './platform.js'

/**
 * Browsers, Deno, Bun and workers: fetch, no file system. Blobs are bytes, `Blob`s
 * and `File`s; a large `File` is hashed slice by slice (WebCrypto has no incremental
 * digest), so it is never held in memory twice.
 */
export const fetchPlatform: Platform = {
  createTransport: (fetch) => createFetchTransport(fetch),
  env: readEnv,
  // Browsers refuse to let a page set it.
  userAgent: undefined,
  prepareBlob,
  readImageFile: undefined,
}

/** What a field that names a file path is told outside Node. */
export const NO_FILE_PATHS = 'File paths work in Node only; here pass bytes (Uint8Array or ArrayBuffer), a Blob or a File'

async function prepareBlob(data: BlobSource, field: string, signal: AbortSignal): Promise<PreparedBlob> {
  if (data instanceof ArrayBuffer) data = new Uint8Array(data)
  if (data instanceof Uint8Array) return { digest: `sha256:${bytesToHex(sha256(data))}`, size: data.byteLength, body: data, dispose: async () => {} }
  if (data instanceof Blob) return { digest: await hashBlob(data, signal), size: data.size, body: data, dispose: async () => {} }
  if (typeof data === 'string') throw new RequestError(`${field}: "${data.slice(0, 200)}" is not a blob digest (sha256:…). ${NO_FILE_PATHS}.`, { field })
  if (data && typeof (data as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') return collect(data as AsyncIterable<Uint8Array>, signal)
  throw new RequestError(`${field} must be bytes (Uint8Array or ArrayBuffer), a Blob or a File.`, { field })
}

/** Slices of a few MiB: memory stays flat, and an abort is seen between slices. */
const SLICE_BYTES = 4 * 1024 * 1024

async function hashBlob(blob: Blob, signal: AbortSignal): Promise<string> {
  const hash = sha256.create()
  for (let start = 0; start < blob.size; start += SLICE_BYTES) {
    if (signal.aborted) throw signal.reason
    hash.update(new Uint8Array(await blob.slice(start, start + SLICE_BYTES).arrayBuffer()))
  }
  if (signal.aborted) throw signal.reason
  return `sha256:${bytesToHex(hash.digest())}`
}

/** A stream without a file system to spool to: held as one Blob, so a retry can send it again. */
async function collect(source: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<PreparedBlob> {
  const hash = sha256.create()
  const parts: Uint8Array[] = []
  let size = 0
  for await (const part of source) {
    if (signal.aborted) throw signal.reason
    hash.update(part)
    parts.push(part)
    size += part.byteLength
  }
  return { digest: `sha256:${bytesToHex(hash.digest())}`, size, body: new Blob(parts as Uint8Array<ArrayBuffer>[]), dispose: async () => {} }
}

function readEnv(name: string): string | undefined {
  const runtime = globalThis as { process?: { env?: Record<string, string | undefined> }; Deno?: { env: { get(name: string): string | undefined } } }
  try {
    return runtime.process?.env?.[name] ?? runtime.Deno?.env.get(name)
  } catch {
    // Deno without --allow-env throws: no environment, then.
    return undefined
  }
}
