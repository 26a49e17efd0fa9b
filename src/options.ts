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
  limit?: number
  /** Milliseconds before the first retry; doubled each time, with jitter. Default 250. */
  baseDelay?: number
  /** Upper bound for one wait, `Retry-After` included. Default 10 000. */
  maxDelay?: number
  /**
   * Decides whether an error is retried. Default: connection refused or reset, and
   * HTTP 408/429/500/502/503/504. Only ever asked before the first response byte.
   */
  retryOn?: (error: OllixirError, attempt: number) => boolean
}

/** Options every call accepts (inside its request object, or as the last argument). */
export interface CallOptions {
  /** Aborts the call at any moment: before headers, mid-stream, or while reading the body. */
  signal?: AbortSignal
  /** Milliseconds to wait for the next byte (headers or body). Overrides the client's. */
  timeout?: number
  /** `'struct'` returns class instances (`ChatResponse`, …) instead of plain objects. */
  responseFormat?: ResponseFormat
  /** Overrides the client's retry policy for this call; `false` disables retries. */
  retry?: RetryOptions | false
  /**
   * With `hosts`: send the call to this one (any host form; it must be one of them).
   * Model-management calls without it go to every host.
   */
  host?: string
  /** With `hosts`: a key that keeps a conversation on the host that served its previous turn. */
  conversation?: string
}

export interface ClientOptions {
  /** Any host form `parseHost` accepts. Default: `OLLAMA_HOST`, else `http://127.0.0.1:11434`. */
  host?: string
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
  headers?: Record<string, string>
  /** Sent to the configured host as `Authorization: Bearer <key>`. */
  apiKey?: string
  /** Milliseconds to wait for the next byte. Default 10 minutes. */
  timeout?: number
  retry?: RetryOptions | false
  responseFormat?: ResponseFormat
  /** Cap on one NDJSON line, in bytes. Default 32 MiB. */
  maxLineBytes?: number
  /**
   * An XState inspector for the request actors this client starts on its own
   * (`stream: true`, or a `{ send }` parent; an XState parent's own inspector applies
   * otherwise): `createTraceInspector().inspect` for a terminal timeline, or in Node
   * `createWebSocketInspector().inspect` from `@statelyai/inspect` for the Stately
   * inspector (`createBrowserInspector` only works in browsers).
   */
  inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void)
  /** Check requests against Ollama's schemas before sending. Default true. */
  validate?: boolean
  /** Chunks a `stream: true` iterator buffers before it pauses the socket. Default 1024. */
  highWaterMark?: number
  /** Base URL of the hosted API for `webSearch`/`webFetch`. Default `https://ollama.com`. */
  cloudHost?: string
  /**
   * Send through this `fetch` (proxies, instrumentation, a runtime's own), like
   * ollama-js's `fetch` option. In Node, giving one also switches from got to fetch.
   */
  fetch?: FetchFunction
}

/** Names of call options, removed from the request before it goes on the wire. */
export const CALL_OPTION_KEYS = ['signal', 'timeout', 'responseFormat', 'retry', 'stream', 'host', 'conversation'] as const
