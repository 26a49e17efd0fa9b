/**
 * The seam between ollixir and an HTTP stack. Everything above it (timeouts,
 * retries, status handling, NDJSON decoding, the actors) is the same on every
 * runtime; below it sit `got` (Node's default, `got-transport.ts`) and `fetch`
 * (browsers, Deno, Bun, workers, and Node on request, `fetch-transport.ts`).
 *
 * A transport only moves bytes: it never follows redirects, never retries, never
 * times out on its own, and reports every status as it came.
 */
export interface Transport {
  /** Sends the request; resolves once the response status and headers arrived. */
  open(request: TransportRequest): Promise<TransportResponse>
  /** Closes idle keep-alive connections. The transport stays usable. */
  close(): void
}

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'HEAD'

/**
 * A request body: text, bytes, a `Blob` (a browser `File`), or a factory that opens
 * the bytes afresh for each attempt (a file on disk), so a retry re-reads them.
 */
export type RequestBody = string | Uint8Array | Blob | (() => AsyncIterable<Uint8Array>)

export interface TransportRequest {
  method: HttpMethod
  url: string
  /** Lower-case names. */
  headers: Record<string, string>
  body?: RequestBody
  /** Aborting it closes the connection, before or after the response arrived. */
  signal: AbortSignal
  /** Told the bytes of the body sent so far, where the runtime can tell. */
  onUpload?: (transferred: number) => void
}

export interface TransportResponse {
  /** The HTTP status; 0 for a redirect a browser hides (`redirect: 'manual'`). */
  status: number
  /** Lower-case names. */
  headers: Record<string, string>
  body: ResponseBody
}

/**
 * A response body as byte chunks for one reader. Nothing is lost between `open`
 * resolving and `read`: bytes, the end and an error that arrive before a reader is
 * there are held for it.
 */
export interface ResponseBody {
  /** Starts delivery; the reader hears data, then exactly one of end or error. */
  read(reader: BodyReader): void
  /** Stops reading from the connection, so the server is held back by TCP. */
  pause(): void
  resume(): void
  /** Closes the connection; the reader hears nothing more. Safe to call twice. */
  cancel(): void
}

export interface BodyReader {
  data(bytes: Uint8Array): void
  end(): void
  error(error: unknown): void
}
