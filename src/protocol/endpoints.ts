import type { HttpMethod } from '../transport/transport.js'
import type { StructKind } from '../types/structs.js'
import type { MergeKind } from './merge.js'

/** How each client method maps onto Ollama's REST API. */
export interface Endpoint {
  http: HttpMethod
  path: string
  /** Set for methods that can stream: how their chunks merge into a body. */
  merge?: MergeKind
  /** The response class in struct mode (see `toStruct`), when there is a body. */
  struct?: StructKind
  /** What a whole (non-streamed) answer must look like to be taken for Ollama's (see `readAnswer`). */
  answer: AnswerShape
  /**
   * `false` for calls that change the server's models and must not run twice: once the
   * request may have reached the server, they are retried only when the call itself
   * asked for it (see `resolveRetry`). A second delete would fail with 404 after the
   * first succeeded; a second create or push redoes minutes of work.
   */
  idempotent?: false
  /**
   * The local server's route for a call that otherwise goes to ollama.com: Ollama proxies
   * it there with its own sign-in, so no key is needed (web search and fetch).
   */
  localPath?: string
}

/**
 * A cheap check of a whole answer: a JSON object holding at least one of the `anyOf`
 * fields, of its kind (no fields: any object). `emptyOk`: an empty body is a reply too.
 */
export interface AnswerShape {
  anyOf?: Record<string, 'object' | 'array' | 'string' | 'boolean'>
  emptyOk?: boolean
  /** `null` is a reply too (Go's `c.JSON(200, nil)`, as signout answers). */
  nullOk?: boolean
}

const PROGRESS = { anyOf: { status: 'string' } } as const

export const ENDPOINTS = {
  chat: { http: 'POST', path: '/api/chat', merge: 'chat', struct: 'chat', answer: { anyOf: { message: 'object' } } },
  generate: { http: 'POST', path: '/api/generate', merge: 'generate', struct: 'generate', answer: { anyOf: { response: 'string', done: 'boolean' } } },
  embed: { http: 'POST', path: '/api/embed', struct: 'embed', answer: { anyOf: { embeddings: 'array' } } },
  embeddings: { http: 'POST', path: '/api/embeddings', struct: 'embeddings', answer: { anyOf: { embedding: 'array' } } },
  list: { http: 'GET', path: '/api/tags', struct: 'list', answer: { anyOf: { models: 'array' } } },
  show: { http: 'POST', path: '/api/show', struct: 'show', answer: {} },
  ps: { http: 'GET', path: '/api/ps', struct: 'ps', answer: { anyOf: { models: 'array' } } },
  create: { http: 'POST', path: '/api/create', merge: 'progress', struct: 'progress', answer: PROGRESS, idempotent: false },
  copy: { http: 'POST', path: '/api/copy', answer: { emptyOk: true }, idempotent: false },
  delete: { http: 'DELETE', path: '/api/delete', answer: { emptyOk: true }, idempotent: false },
  pull: { http: 'POST', path: '/api/pull', merge: 'progress', struct: 'progress', answer: PROGRESS },
  push: { http: 'POST', path: '/api/push', merge: 'progress', struct: 'progress', answer: PROGRESS, idempotent: false },
  version: { http: 'GET', path: '/api/version', struct: 'version', answer: { anyOf: { version: 'string' } } },
  status: { http: 'GET', path: '/api/status', answer: {} },
  me: { http: 'POST', path: '/api/me', answer: {} },
  signout: { http: 'POST', path: '/api/signout', answer: { emptyOk: true, nullOk: true } },
  webSearch: { http: 'POST', path: '/api/web_search', struct: 'webSearch', answer: {}, localPath: '/api/experimental/web_search' },
  webFetch: { http: 'POST', path: '/api/web_fetch', struct: 'webFetch', answer: {}, localPath: '/api/experimental/web_fetch' },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof ENDPOINTS
/** The methods whose responses can stream. */
export type StreamMethod = 'chat' | 'generate' | 'create' | 'pull' | 'push'

export function isStreamMethod(name: string): name is StreamMethod {
  return name in ENDPOINTS && 'merge' in ENDPOINTS[name as EndpointName]
}
