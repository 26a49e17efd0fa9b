/**
 * ollama.com's hosted web API, which the client calls on `cloudHost`
 * (docs: ollama/ollama `docs/capabilities/web-search.mdx`, https://docs.ollama.com/capabilities/web-search):
 * - `POST /api/web_search` `{query, max_results?}` -> `{results: [{title, url, content}]}`;
 *   `max_results` defaults to 5 and is at most 10 (larger values are capped here);
 * - `POST /api/web_fetch` `{url}` -> `{title, content, links: string[]}` (the docs' curl
 *   example sends `"url": "ollama.com"`, without a scheme, so the fake accepts that too);
 * - both need `Authorization: Bearer <key>`; without it: 401 `{"error":"unauthorized"}`
 *   (the exact body is an assumption, see `UNAUTHORIZED` in ollama-errors.ts);
 * - a missing or empty `query`/`url`: 400 (wording assumed: `query is required`, `url is required`);
 *   bodies that are not JSON objects, or fields of the wrong type, get the same 400s as
 *   the local endpoints (decode.ts).
 * The default answers are deterministic, built from the request; `reply.body` replaces
 * them and `reply.extra` is merged into them.
 *
 * The local server proxies both as `POST /api/experimental/web_search` and
 * `/api/experimental/web_fetch`, signing the request to ollama.com with its own key: no
 * `Authorization` is needed, but a server not signed in answers 401 with a `signin_url`
 * (account.ts), and one with cloud switched off 403 `ollama cloud is disabled: web search
 * is unavailable` (server/routes.go, `webExperimentalProxyHandler`). The same queues script
 * both routes.
 */
import * as Q from '../../protocol/wire/requests.js'
import { decodeBody } from '../decode.js'
import { notSignedIn } from './account.js'
import { goFields } from '../go-fields.js'
import * as E from '../ollama-errors.js'
import type { Json } from '../replies.js'
import type { HandlerContext } from '../routes.js'
import type { Reply } from '../types.js'
import { errorOutcome, type Outcome } from '../writer.js'

export const DEFAULT_MAX_RESULTS = 5
export const MAX_RESULTS_CAP = 10

function single(body: Json, reply: Reply): Outcome {
  return { kind: 'json', status: 200, body: reply.body ?? { ...body, ...reply.extra } }
}

/** `Authorization: Bearer <something>` (the scheme is case-insensitive, as in RFC 9110). */
function hasBearer(ctx: HandlerContext): boolean {
  const value = ctx.headers.authorization
  return typeof value === 'string' && /^bearer\s+\S/i.test(value)
}

/** How many results a search answers with: `max_results` when positive, capped at 10; otherwise 5. */
export function resultCount(maxResults: unknown): number {
  if (typeof maxResults !== 'number' || !Number.isFinite(maxResults) || maxResults < 1) return DEFAULT_MAX_RESULTS
  return Math.min(Math.floor(maxResults), MAX_RESULTS_CAP)
}

export function webSearch(ctx: HandlerContext): Outcome {
  if (!hasBearer(ctx)) return errorOutcome(401, E.UNAUTHORIZED)
  return search(ctx)
}

/** `/api/experimental/web_search`: the server's own sign-in instead of the caller's key. */
export function localWebSearch(ctx: HandlerContext): Outcome {
  return proxyRefusal(ctx, E.WEB_SEARCH_UNAVAILABLE) ?? search(ctx)
}

/**
 * What `webExperimentalProxyHandler` answers before anything reaches ollama.com: an empty
 * body (400), cloud switched off (403), a server not signed in (401 with `signin_url`).
 */
function proxyRefusal(ctx: HandlerContext, operation: string): Outcome | undefined {
  if (ctx.raw.toString('utf8').trim() === '') return errorOutcome(400, E.MISSING_BODY)
  if (ctx.settings.cloud.disabledBy !== 'none') return errorOutcome(403, E.cloudDisabled(operation))
  return ctx.settings.cloud.account ? undefined : notSignedIn()
}

function search(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'WebSearchRequest', goFields(Q.WebSearchRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const query = typeof req.query === 'string' ? req.query.trim() : ''
  if (query === '') return errorOutcome(400, E.QUERY_REQUIRED)

  const reply = ctx.takeReply()
  const n = resultCount(req.max_results)
  const slug = encodeURIComponent(query.toLowerCase().replace(/\s+/g, '-'))
  const results = Array.from({ length: n }, (_, i) => ({
    title: `${query} - result ${i + 1}`,
    url: `https://example.com/search/${slug}/${i + 1}`,
    content: `Result ${i + 1} of ${n} about "${query}".`,
  }))
  return single({ results }, reply)
}

export function webFetch(ctx: HandlerContext): Outcome {
  if (!hasBearer(ctx)) return errorOutcome(401, E.UNAUTHORIZED)
  return fetchPage(ctx)
}

/** `/api/experimental/web_fetch`: the server's own sign-in instead of the caller's key. */
export function localWebFetch(ctx: HandlerContext): Outcome {
  return proxyRefusal(ctx, E.WEB_FETCH_UNAVAILABLE) ?? fetchPage(ctx)
}

function fetchPage(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'WebFetchRequest', goFields(Q.WebFetchRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const url = typeof decoded.value.url === 'string' ? decoded.value.url.trim() : ''
  if (url === '') return errorOutcome(400, E.URL_REQUIRED)

  const reply = ctx.takeReply()
  const page = parsePage(url)
  const title = page ? page.hostname : url
  const base = page ? page.origin : url.replace(/\/+$/, '')
  return single(
    {
      title,
      content: `# ${title}\n\nThe page at ${url}, as served by FakeOllama.`,
      links: [`${base}/`, `${base}/about`, `${base}/docs`],
    },
    reply,
  )
}

/** The URL as given, or with `https://` in front when it has no scheme (`ollama.com`). */
function parsePage(url: string): URL | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `https://${url}`
  try {
    return new URL(candidate)
  } catch {
    // Not a URL: the title and links fall back to the text itself.
    return undefined
  }
}
