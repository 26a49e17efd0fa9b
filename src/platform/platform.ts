import type { BlobSource } from '../protocol/create-files.js'
import type { FetchFunction } from '../transport/fetch-transport.js'
import type { RequestBody, Transport } from '../transport/transport.js'

/**
 * What differs between Node and the fetch runtimes (browsers, Deno, Bun, workers),
 * in one place. The client and everything under it ask the platform; only the Node
 * entry reaches the Node platform, so a browser bundle holds no Node built-in.
 */
export interface Platform {
  /** The transport a client uses: the runtime's default, or fetch when one is given. */
  createTransport(fetch: FetchFunction | undefined): Transport
  /** An environment variable (`OLLAMA_HOST`, `OLLAMA_API_KEY`), where the runtime has them. */
  env(name: string): string | undefined
  /** Sent as `user-agent` where a runtime lets a request set it. */
  userAgent: string | undefined
  /**
   * Reads a blob's data, hashes it and gives a body that can be sent again on retry.
   * Stops within milliseconds when `signal` aborts, however large the data.
   */
  prepareBlob(data: BlobSource, field: string, signal: AbortSignal): Promise<PreparedBlob>
  /** The bytes of an image given as a file path, or undefined when `path` names no file; absent without a file system. */
  readImageFile: ((path: string) => Promise<Uint8Array | undefined>) | undefined
}

/** A blob ready to upload: its digest and size, and a body that can be read again. */
export interface PreparedBlob {
  digest: string
  size: number
  body: RequestBody
  /** Frees what preparing took (a spooled temporary file). */
  dispose(): Promise<void>
}
