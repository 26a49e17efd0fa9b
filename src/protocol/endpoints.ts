import type { HttpMethod } from '../transport/open-request.js'
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
  /**
   * The local server's route for a call that otherwise goes to ollama.com: Ollama proxies
   * it there with its own sign-in, so no key is needed (web search and fetch).
   */
  localPath?: string
}

export const ENDPOINTS = {
  chat: { http: 'POST', path: '/api/chat', merge: 'chat', struct: 'chat' },
  generate: { http: 'POST', path: '/api/generate', merge: 'generate', struct: 'generate' },
  embed: { http: 'POST', path: '/api/embed', struct: 'embed' },
  embeddings: { http: 'POST', path: '/api/embeddings', struct: 'embeddings' },
  list: { http: 'GET', path: '/api/tags', struct: 'list' },
  show: { http: 'POST', path: '/api/show', struct: 'show' },
  ps: { http: 'GET', path: '/api/ps', struct: 'ps' },
  create: { http: 'POST', path: '/api/create', merge: 'progress', struct: 'progress' },
  copy: { http: 'POST', path: '/api/copy' },
  delete: { http: 'DELETE', path: '/api/delete' },
  pull: { http: 'POST', path: '/api/pull', merge: 'progress', struct: 'progress' },
  push: { http: 'POST', path: '/api/push', merge: 'progress', struct: 'progress' },
  version: { http: 'GET', path: '/api/version', struct: 'version' },
  status: { http: 'GET', path: '/api/status' },
  me: { http: 'POST', path: '/api/me' },
  signout: { http: 'POST', path: '/api/signout' },
  webSearch: { http: 'POST', path: '/api/web_search', struct: 'webSearch', localPath: '/api/experimental/web_search' },
  webFetch: { http: 'POST', path: '/api/web_fetch', struct: 'webFetch', localPath: '/api/experimental/web_fetch' },
} as const satisfies Record<string, Endpoint>

export type EndpointName = keyof typeof ENDPOINTS
/** The methods whose responses can stream. */
export type StreamMethod = 'chat' | 'generate' | 'create' | 'pull' | 'push'

export function isStreamMethod(name: string): name is StreamMethod {
  return name in ENDPOINTS && 'merge' in ENDPOINTS[name as EndpointName]
}
