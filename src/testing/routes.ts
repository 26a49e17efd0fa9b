/**
 * The route table, as registered in Ollama's `GenerateRoutes` (gin), plus ollama.com's
 * hosted `/api/web_search` and `/api/web_fetch` (so one fake can serve as both `host` and
 * `cloudHost`); the local server's proxies of those two are `/api/experimental/web_*`.
 * As in gin with `HandleMethodNotAllowed`, an unknown path answers 404
 * `404 page not found` and a known path with another method 405 `405 method not allowed`
 * (plain text).
 */
import type { IncomingHttpHeaders } from 'node:http'
import * as account from './handlers/account.js'
import * as inference from './handlers/inference.js'
import * as models from './handlers/models.js'
import * as web from './handlers/web.js'
import type { ModelRegistry } from './models.js'
import { METHOD_NOT_ALLOWED_PAGE, NOT_FOUND_PAGE } from './ollama-errors.js'
import type { FakeEndpoint, Reply, UserResponse } from './types.js'
import type { Outcome } from './writer.js'

/** The fake server's standing with ollama.com; `signout` changes it. */
export interface CloudState {
  /** Signed in as this account, or not signed in. */
  account: UserResponse | undefined
  /** What switched cloud features off: 'none' when nothing did. */
  disabledBy: 'none' | 'env' | 'config' | 'both'
}

/** What a handler gets to decide its answer. */
export interface HandlerContext {
  raw: Buffer
  /** Request headers (lower-cased names, as node:http gives them). */
  headers: IncomingHttpHeaders
  params: Record<string, string>
  models: ModelRegistry
  settings: { version: string; strictCapabilities: boolean; cloud: CloudState }
  /** Consumes the next scripted reply for this endpoint (`{}` when none); call it once the request is valid. */
  takeReply(): Reply
}

export type Handler = (ctx: HandlerContext) => Outcome

interface Route {
  method: string
  path: string | RegExp
  /** Queue of scripted replies for this route. */
  endpoint?: FakeEndpoint
  /** Shared queue used when `endpoint`'s queue is empty (`'blobs'` for both blob methods). */
  fallback?: FakeEndpoint
  handler: Handler
}

const BLOB_PATH = /^\/api\/blobs\/([^/]+)$/

const ROUTES: Route[] = [
  { method: 'GET', path: '/', handler: models.root },
  { method: 'HEAD', path: '/', handler: models.root },
  { method: 'GET', path: '/api/version', endpoint: 'version', handler: models.version },
  { method: 'HEAD', path: '/api/version', endpoint: 'version', handler: models.version },
  { method: 'GET', path: '/api/tags', endpoint: 'tags', handler: models.tags },
  { method: 'HEAD', path: '/api/tags', endpoint: 'tags', handler: models.tags },
  { method: 'GET', path: '/api/ps', endpoint: 'ps', handler: models.ps },
  { method: 'POST', path: '/api/show', endpoint: 'show', handler: models.show },
  { method: 'POST', path: '/api/pull', endpoint: 'pull', handler: models.pull },
  { method: 'POST', path: '/api/push', endpoint: 'push', handler: models.push },
  { method: 'POST', path: '/api/create', endpoint: 'create', handler: models.create },
  { method: 'POST', path: '/api/copy', endpoint: 'copy', handler: models.copy },
  { method: 'DELETE', path: '/api/delete', endpoint: 'delete', handler: models.remove },
  { method: 'HEAD', path: BLOB_PATH, endpoint: 'blobExists', fallback: 'blobs', handler: models.headBlob },
  { method: 'POST', path: BLOB_PATH, endpoint: 'blobUpload', fallback: 'blobs', handler: models.createBlob },
  { method: 'POST', path: '/api/chat', endpoint: 'chat', handler: inference.chat },
  { method: 'POST', path: '/api/generate', endpoint: 'generate', handler: inference.generate },
  { method: 'POST', path: '/api/embed', endpoint: 'embed', handler: inference.embed },
  { method: 'POST', path: '/api/embeddings', endpoint: 'embeddings', handler: inference.embeddings },
  { method: 'POST', path: '/api/web_search', endpoint: 'webSearch', handler: web.webSearch },
  { method: 'POST', path: '/api/web_fetch', endpoint: 'webFetch', handler: web.webFetch },
  { method: 'POST', path: '/api/experimental/web_search', endpoint: 'webSearch', handler: web.localWebSearch },
  { method: 'POST', path: '/api/experimental/web_fetch', endpoint: 'webFetch', handler: web.localWebFetch },
  { method: 'GET', path: '/api/status', endpoint: 'status', handler: account.status },
  { method: 'POST', path: '/api/me', endpoint: 'me', handler: account.me },
  { method: 'POST', path: '/api/signout', endpoint: 'signout', handler: account.signout },
]

export type RouteMatch =
  | { found: true; endpoint?: FakeEndpoint; fallback?: FakeEndpoint; handler: Handler; params: Record<string, string> }
  | { found: false; outcome: Outcome }

export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = []
  for (const route of ROUTES) {
    const params = matchPath(route.path, path)
    if (!params) continue
    if (route.method === method) return { found: true, endpoint: route.endpoint, fallback: route.fallback, handler: route.handler, params }
    allowed.push(route.method)
  }
  if (allowed.length > 0) {
    return { found: false, outcome: { kind: 'text', status: 405, text: METHOD_NOT_ALLOWED_PAGE, headers: { Allow: allowed.join(', ') } } }
  }
  return { found: false, outcome: { kind: 'text', status: 404, text: NOT_FOUND_PAGE } }
}

function matchPath(pattern: string | RegExp, path: string): Record<string, string> | undefined {
  if (typeof pattern === 'string') return pattern === path ? {} : undefined
  const m = pattern.exec(path)
  return m ? { digest: decodeURIComponent(m[1] as string) } : undefined
}
