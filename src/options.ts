import type { InspectionEvent, Observer } from 'xstate'
import type { OllixirError } from './errors/OllixirError.js'
import type { HostSpec, PoolOptions } from './pool/pool-options.js'
import type { FetchFunction } from './transport/fetch-transport.js'

/** Ten minutes without a byte: longer than Ollama's own 5-minute model-load limit. */
export const DEFAULT_TIMEOUT_MS = 10 * 60 * 1000
/** A line longer than this ends the stream instead of growing a buffer without end. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024

export type ResponseFormat = 'map' | 'struct'

export interface RetryOptions {
  /** Further attempts after the first. Default 2. */
  limit?: number | undefined
  /** Milliseconds before the first retry; doubled each time, with jitter. Default 250. */
  baseDelay?: number | undefined
  /** Upper bound for one wait, `Retry-After` included. Default 10 000. */
  maxDelay?: number | undefined
  /**
   * Decides whether an error is retried. Default: connection refused or reset, and
   * HTTP 408/429/500/502/503/504. Only ever asked before the first response byte.
   */
  retryOn?: ((error: OllixirError, attempt: number) => boolean) | undefined
}

/** Options every call accepts (inside its request object, or as the last argument). */
export interface CallOptions {
  /** Aborts the call at any moment: before headers, mid-stream, or while reading the body. */
  signal?: AbortSignal | undefined
  /** Milliseconds to wait for the next byte (headers or body). Overrides the client's. */
  timeout?: number | undefined
  /** `'struct'` returns class instances (`ChatResponse`, …) instead of plain objects. */
  responseFormat?: ResponseFormat | undefined
  /** Overrides the client's retry policy for this call; `false` disables retries. */
  retry?: RetryOptions | false | undefined
  /** Check this request against Ollama's schemas (and for misspelt fields) before sending. Overrides the client's. */
  validate?: boolean | undefined
  /**
   * With `stream: parent`: one `ollixir.chunks` event per socket read (its chunks as an
   * array) instead of one `ollixir.data` per chunk. Same order, and ok/error still come
   * after every chunk; a machine (or a UI) then runs once per batch, not per token.
   */
  coalesce?: boolean | undefined
  /**
   * With `hosts`: send the call to this one (any host form; it must be one of them).
   * Model-management calls without it go to every host.
   */
  host?: string | undefined
  /** With `hosts`: a key that keeps a conversation on the host that served its previous turn. */
  conversation?: string | undefined
}

export interface ClientOptions {
  /** Any host form `parseHost` accepts. Default: `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  host?: string | undefined
  /**
   * Several Ollama servers behind this client (instead of `host`): each a host form, or
   * `{ host, apiKey, headers, slots }`. Calls are routed by model, load and conversation,
   * and fail over before their first byte (see the README's "Several servers").
   */
  hosts?: readonly HostSpec[]
  /** Slots, queue and refresh settings of the `hosts` pool. */
  pool?: PoolOptions
  /**
   * Sent with every request to `host`. An explicit `authorization` header wins over
   * `apiKey`. Not sent to ollama.com for `webSearch`/`webFetch`: headers meant for a
   * local server or proxy do not travel to a third party.
   */
  headers?: Record<string, string> | undefined
  /** Sent to the configured host as `Authorization: Bearer <key>`. */
  apiKey?: string | undefined
  /** Milliseconds to wait for the next byte. Default 10 minutes. */
  timeout?: number | undefined
  retry?: RetryOptions | false | undefined
  responseFormat?: ResponseFormat | undefined
  /** Cap on one NDJSON line, in bytes. Default 32 MiB. */
  maxLineBytes?: number | undefined
  /**
   * An XState inspector for the request actors this client starts on its own
   * (`stream: true`, or a `{ send }` parent; an XState parent's own inspector applies
   * otherwise): `createTraceInspector().inspect` for a terminal timeline, or in Node
   * `createWebSocketInspector().inspect` from `@statelyai/inspect` for the Stately
   * inspector (`createBrowserInspector` only works in browsers).
   */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void) | undefined
  /** Check requests against Ollama's schemas before sending. Default true. */
  validate?: boolean | undefined
  /** Chunks a `stream: true` iterator buffers before it pauses the socket. Default 1024. */
  highWaterMark?: number | undefined
  /** Base URL of the hosted API for `webSearch`/`webFetch`. Default `https://ollama.com`. */
  cloudHost?: string | undefined
  /**
   * Send through this `fetch` (proxies, instrumentation, a runtime's own), like
   * ollama-js's `fetch` option. In Node, giving one also switches from got to fetch.
   */
  fetch?: FetchFunction | undefined
}

/** Names of call options, removed from the request before it goes on the wire. */
export const CALL_OPTION_KEYS = ['signal', 'timeout', 'responseFormat', 'retry', 'stream', 'validate', 'coalesce', 'host', 'conversation'] as const
