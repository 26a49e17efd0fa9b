/**
 * Public types of `ollixir/testing` (the {@link FakeOllama} server).
 *
 * Field names inside JSON payloads are snake_case, as on the wire; the
 * options that only steer the fake (timing, faults) are camelCase.
 */
import type { IncomingHttpHeaders } from 'node:http'
// The fake serves the client's own wire shapes, so the two cannot drift apart.
import type { Capability, ModelDetails, UserResponse } from '../types/wire.js'

export type { Capability, ModelDetails, UserResponse }

/** Endpoints whose replies can be scripted with `fake.enqueue()`. */
export type FakeEndpoint =
  | 'chat'
  | 'generate'
  | 'embed'
  | 'embeddings'
  | 'pull'
  | 'push'
  | 'create'
  | 'show'
  | 'tags'
  | 'ps'
  | 'version'
  | 'copy'
  | 'delete'
  /** `HEAD` and `POST /api/blobs/:digest`, whichever comes next (used when the method's own queue is empty). */
  | 'blobs'
  /** `HEAD /api/blobs/:digest` only. */
  | 'blobExists'
  /** `POST /api/blobs/:digest` only. */
  | 'blobUpload'
  /** `POST /api/web_search` (ollama.com's hosted API, see `cloudHost`) and the local `/api/experimental/web_search`. */
  | 'webSearch'
  /** `POST /api/web_fetch` (ollama.com's hosted API) and the local `/api/experimental/web_fetch`. */
  | 'webFetch'
  /** `GET /api/status`. */
  | 'status'
  /** `POST /api/me`. */
  | 'me'
  /** `POST /api/signout`. */
  | 'signout'

/** A model known to the fake. Only `name` is required; the rest gets plausible defaults. */
export interface ModelSpec {
  /** e.g. `'llama3.2'`, `'qwen3:8b'`, `'user/model:tag'`; a missing tag means `:latest`. */
  name: string
  /** Default `['completion']`. */
  capabilities?: Capability[]
  /**
   * The `think` levels the model takes, e.g. `['low', 'medium', 'high']`. A level outside
   * them gets the server's 400 `think value "max" is not supported for this model`.
   * Default: every level (a model that does not say is lenient).
   */
  thinkLevels?: string[]
  /** Size in bytes (`/api/tags`, `/api/ps`). */
  size?: number
  /** Manifest digest, 64 hex characters (derived from the name when omitted). */
  digest?: string
  details?: Partial<ModelDetails>
  /** `modified_at` in `/api/tags` and `/api/show`; default: when the model was added. */
  modifiedAt?: Date | string
  /** Shown by `/api/show`. */
  template?: string
  system?: string
  license?: string
  /** Modelfile parameters, e.g. `{ stop: ['<|eot_id|>'], temperature: 0.7 }`. */
  parameters?: Record<string, unknown>
  /** Merged over the generated `model_info` of `/api/show`. */
  modelInfo?: Record<string, unknown>
  /** Context length reported by `/api/tags`, `/api/ps` and `model_info`. Default 4096. */
  contextLength?: number
  /**
   * A model served by another Ollama (a cloud model such as `gpt-oss:120b-cloud`): its
   * `/api/tags`, `/api/ps` and `/api/show` entries and every chat/generate chunk carry
   * `remote_model` and `remote_host`.
   */
  remote?: { model: string; host: string }
  /** Listed by `/api/ps` from the start (otherwise a model is "loaded" by its first use). */
  loaded?: boolean
}

/** A tool call as it appears in `message.tool_calls`. */
export interface ToolCallSpec {
  id?: string
  function: { name: string; arguments: Record<string, unknown>; index?: number }
}

/** One progress line of pull/push/create. */
export interface ProgressStep {
  status: string
  digest?: string
  total?: number
  completed?: number
}

/**
 * A scripted reply, consumed FIFO per endpoint by the next request that passes
 * validation (a request answered with a 400/404 leaves the queue untouched,
 * except that a reply with `status` is a fault and answers whatever comes).
 */
export interface Reply {
  /** Chat/generate content: a string is split by words into a few chunks; an array gives the exact chunks. */
  text?: string | string[]
  /**
   * Thinking chunks, sent before the text chunks (`message.thinking` / `thinking`). Left out
   * when the request has `think: false` (and, with `strictCapabilities`, for a model without
   * the `thinking` capability), as a real model told not to think.
   */
  thinking?: string | string[]
  /** Sent in one chunk after the text chunks (`message.tool_calls`; `tool_calls` for generate). Sent exactly as given. */
  toolCalls?: ToolCallSpec[]
  /** Send each tool call in a chunk of its own, as Ollama does when its parser finds them one by one. */
  splitToolCalls?: boolean
  /** For `/api/embed` (one vector per input); for `/api/embeddings` a single `number[]` (or the first row). */
  embeddings?: number[][] | number[]
  /** Pull/push/create steps sent before the final `{"status":"success"}`. */
  progress?: ProgressStep[]
  /** Default `'stop'`. */
  done_reason?: string
  /** Merged into the final chunk, or into the whole response of non-stream endpoints (e.g. `logprobs`, `context`). */
  extra?: Record<string, unknown>
  /** Non-stream endpoints (and `stream:false`): replaces the whole JSON response (e.g. `{ results: [...] }` for `webSearch`). */
  body?: unknown

  // timing
  /** Wait before sending status + headers (a model loading). */
  headersDelayMs?: number
  /** Wait between chunks (between byte slices when `writeBytes` is set). */
  chunkDelayMs?: number
  /** Split the whole output into socket writes of this many bytes (splits UTF-8 sequences and lines). */
  writeBytes?: number

  // faults
  /**
   * Reply with this HTTP status and `{"error": error}` instead of a normal answer.
   * `error` alone means status 500; `status` alone uses the lower-cased status text (`"too many requests"`).
   */
  status?: number
  error?: string
  /** Seconds; sets `Retry-After` (use with `status`). */
  retryAfter?: number
  /** After N chunks send `{"error": errorLine}` and end the response, as Ollama does mid-stream. */
  errorLineAfter?: number
  errorLine?: string
  /** After N chunks destroy the socket (no final chunk). Non-stream responses: destroyed before any byte. */
  dropAfter?: number
  /**
   * Streams: destroy the socket once N bytes of the body were written, wherever they
   * fall (mid-line, mid-character), as a proxy that gives up does. Nothing is sent
   * after them; a stream shorter than N bytes is sent whole (and then dropped).
   */
  dropAfterBytes?: number
  /**
   * After N chunks stop writing but keep the socket open (until the client closes or `fake.close()`).
   * Non-stream responses: stalled before the status line.
   */
  stallAfter?: number
  /** After N chunks write a line that is not JSON, then continue normally. */
  malformedAfter?: number
  /** Default `'{"message": oops}'`. */
  malformedLine?: string
  /** End the response cleanly (chunked terminator) without the final done chunk. */
  endWithoutDone?: boolean
  /** Write this many bytes of one never-terminated line, then keep the socket open. */
  noNewlineBytes?: number
}

/** A request as the fake received it. */
export interface RecordedRequest {
  method: string
  /** Path without the query string, e.g. `/api/chat`. */
  path: string
  headers: IncomingHttpHeaders
  /** Parsed JSON when the body is JSON, otherwise the raw bytes. */
  body: unknown
  raw: Buffer
  /** `Date.now()` when the body had been read. */
  at: number
}

export interface FakeOllamaOptions {
  /** Default 0 (an ephemeral port). The fake always listens on 127.0.0.1. */
  port?: number
  /** Default: `llama3.2` and `nomic-embed-text` (embedding). */
  models?: ModelSpec[]
  /** Reported by `/api/version`. */
  version?: string
  /**
   * Enforce model capabilities like Ollama does (400 `"x" does not support thinking`,
   * `... does not support tools`, `"x" does not support chat`), and send scripted thinking
   * only for models with the `thinking` capability. Off by default so tests can script
   * thinking/tool replies for any model.
   */
  strictCapabilities?: boolean
  /**
   * Extra allowed browser origins, as Ollama's `OLLAMA_ORIGINS`: they add to the default
   * allowlist (`http(s)://localhost`, `127.0.0.1` and `0.0.0.0`, with any port or none,
   * `app://*`, `file://*`, `tauri://*`, `vscode-webview://*`, `vscode-file://*`).
   * Entries may hold one `*` (`'https://*.example.com'`); `'*'` allows every origin.
   * A string is split on `,` like the variable. Requests without an `Origin` header are
   * never affected; a refused origin gets `403` with an empty body before any route runs.
   * A bad entry makes `start()` throw, as it stops Ollama from starting.
   *
   * @example
   * ```ts
   * const fake = await FakeOllama.start({ origins: ['https://my.app'] })
   * ```
   */
  origins?: string | string[]
  /**
   * The ollama.com account the fake server is signed in with (`ollama signin`), as
   * `POST /api/me` answers it. Default: not signed in, like a fresh server: `/api/me` and
   * the local `/api/experimental/web_*` routes answer 401 with a `signin_url`.
   * `fake.signIn()` / `fake.signOut()` change it later.
   */
  account?: UserResponse
  /**
   * Cloud features switched off, and by what: `true` or `'env'` (`OLLAMA_NO_CLOUD`),
   * `'config'` (server.json) or `'both'`. `GET /api/status` reports it, and the local
   * `/api/experimental/web_*` routes answer 403 `ollama cloud is disabled: web search is
   * unavailable`. Default: cloud on.
   */
  cloudDisabled?: boolean | 'env' | 'config' | 'both'
}
