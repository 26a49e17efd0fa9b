/**
 * CORS as Ollama answers it: `envconfig.AllowedOrigins()` fed to gin-contrib/cors v1.7.2
 * (the version in Ollama's go.mod) with the configuration of `server/routes.go`
 * `GenerateRoutes`: `cors.DefaultConfig()` plus `AllowWildcard`, `AllowBrowserExtensions`
 * and Ollama's own `AllowHeaders`. The middleware runs before every route:
 *
 * - no `Origin` header, or an `Origin` equal to `http://<Host>` / `https://<Host>`: not a
 *   CORS request, nothing is added;
 * - an origin not allowed: `403`, empty body, no CORS header, whatever the method and path;
 * - an allowed `OPTIONS`: a preflight, answered `204` with the preflight headers, whatever
 *   the path (gin-contrib/cors does not check `Access-Control-Request-Method/-Headers`:
 *   the browser compares them with the lists it gets back);
 * - any other allowed request: `Vary: Origin` and `Access-Control-Allow-Origin: <origin>`,
 *   then the route answers.
 *
 * An origin `*` anywhere in the list allows every origin, and then the answers carry
 * `Access-Control-Allow-Origin: *` and no `Vary`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The hosts Ollama always allows, each on http and https, with and without a port. */
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '0.0.0.0']
/** The app schemes Ollama always allows (`envconfig.AllowedOrigins`). */
const DEFAULT_SCHEME_ORIGINS = ['app://*', 'file://*', 'tauri://*', 'vscode-webview://*', 'vscode-file://*']

/** `corsConfig.AllowHeaders` in Ollama's `server/routes.go`, in its order. */
export const OLLAMA_ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'User-Agent',
  'Accept',
  'X-Requested-With',
  // OpenAI compatibility headers
  'OpenAI-Beta',
  'x-stainless-arch',
  'x-stainless-async',
  'x-stainless-custom-poll-interval',
  'x-stainless-helper-method',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-poll-helper',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
]
/** gin-contrib/cors `DefaultConfig().AllowMethods`, which Ollama keeps. */
const ALLOW_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']
/** `DefaultConfig().MaxAge` is 12 hours, sent in seconds. */
const MAX_AGE_SECONDS = 12 * 60 * 60
/** Schemes an origin without `*` must start with (`DefaultSchemas` + `ExtensionSchemas`). */
const ALLOWED_SCHEMES = ['http://', 'https://', 'chrome-extension://', 'safari-extension://', 'moz-extension://', 'ms-browser-extension://']

/**
 * Ollama's allowlist: the `OLLAMA_ORIGINS` entries first, then the defaults
 * (`http(s)://localhost`, `http(s)://localhost:*`, the same for `127.0.0.1` and
 * `0.0.0.0`, then `app://*`, `file://*`, `tauri://*`, `vscode-webview://*`, `vscode-file://*`).
 *
 * `extra` is either the variable's value (split on `,` as Ollama does, after trimming
 * spaces and quotes around the whole value) or its entries as an array.
 */
export function allowedOrigins(extra: string | readonly string[] = []): string[] {
  const origins = typeof extra === 'string' ? splitOriginsVariable(extra) : [...extra]
  for (const host of DEFAULT_HOSTS) {
    origins.push(`http://${host}`, `https://${host}`, `http://${host}:*`, `https://${host}:*`)
  }
  return [...origins, ...DEFAULT_SCHEME_ORIGINS]
}

/** `strings.Split(envconfig.Var("OLLAMA_ORIGINS"), ",")`: entries are not trimmed one by one. */
function splitOriginsVariable(value: string): string[] {
  const trimmed = value.trim().replace(/^["']+|["']+$/g, '')
  return trimmed === '' ? [] : trimmed.split(',')
}

/** A wildcard rule as gin-contrib/cors `parseWildcardRules` makes it: `[prefix, suffix]`, `*` for "any". */
type WildcardRule = [string, string]

/**
 * The CORS middleware of an Ollama server started with a given `OLLAMA_ORIGINS`.
 *
 * @example
 * ```ts
 * const cors = OllamaCors.fromOrigins(['https://my.app'])
 * server.on('request', (req, res) => {
 *   if (cors.answer(req, res)) return   // refused (403) or a preflight (204): already answered
 *   // ... the route answers, with the CORS headers already set on `res`
 * })
 * ```
 */
export class OllamaCors {
  private constructor(
    private readonly exact: ReadonlySet<string>,
    private readonly wildcards: readonly WildcardRule[],
    private readonly allowAll: boolean,
  ) {}

  /**
   * Builds the middleware from the `OLLAMA_ORIGINS` entries. Throws where Ollama refuses to
   * start (gin-contrib/cors panics): an entry without `*` that does not start with `http://`,
   * `https://` or a browser extension scheme, or an entry with more than one `*`.
   */
  static fromOrigins(extra: string | readonly string[] = []): OllamaCors {
    const origins = allowedOrigins(extra)
    for (const origin of origins) {
      if (!origin.includes('*') && !ALLOWED_SCHEMES.some((scheme) => origin.startsWith(scheme))) {
        throw new Error(`bad origin: origins must contain '*' or include ${ALLOWED_SCHEMES.join(',')} (got ${JSON.stringify(origin)})`)
      }
    }
    // Exact entries are compared trimmed and lower-cased; wildcard rules are parsed from the raw entries.
    const exact = new Set(origins.map((origin) => origin.trim().toLowerCase()))
    return new OllamaCors(exact, origins.filter((o) => o.includes('*')).map(parseWildcardRule), origins.includes('*'))
  }

  /**
   * Runs the middleware for one request. Returns `true` when it answered the request itself
   * (a refused origin or a preflight), `false` when the route should answer; in that case the
   * CORS headers, if any, are already set on `res`.
   */
  answer(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin
    if (!origin) return false
    const host = req.headers.host ?? ''
    if (origin === `http://${host}` || origin === `https://${host}`) return false

    if (!this.allows(origin)) {
      res.writeHead(403, { 'Content-Length': 0 })
      res.end()
      return true
    }
    if (this.allowAll) res.setHeader('Access-Control-Allow-Origin', '*')
    else res.setHeader('Access-Control-Allow-Origin', origin)

    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Headers', OLLAMA_ALLOW_HEADERS.map(canonicalHeaderKey).join(','))
      res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS.join(','))
      res.setHeader('Access-Control-Max-Age', String(MAX_AGE_SECONDS))
      if (!this.allowAll) res.setHeader('Vary', ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'])
      res.writeHead(204)
      res.end()
      return true
    }
    if (!this.allowAll) res.setHeader('Vary', 'Origin')
    return false
  }

  /** gin-contrib/cors `validateOrigin`: `*`, an exact entry, or a wildcard rule. */
  allows(origin: string): boolean {
    if (this.allowAll || this.exact.has(origin)) return true
    return this.wildcards.some(([prefix, suffix]) => {
      if (prefix === '*' && origin.endsWith(suffix)) return true
      if (suffix === '*' && origin.startsWith(prefix)) return true
      return origin.startsWith(prefix) && origin.endsWith(suffix)
    })
  }
}

function parseWildcardRule(origin: string): WildcardRule {
  if (origin.split('*').length > 2) throw new Error(`only one * is allowed (got ${JSON.stringify(origin)})`)
  const star = origin.indexOf('*')
  if (star === 0) return ['*', origin.slice(1)]
  if (star === origin.length - 1) return [origin.slice(0, star), '*']
  return [origin.slice(0, star), origin.slice(star + 1)]
}

/** Go's `http.CanonicalHeaderKey` after gin-contrib/cors lower-cased the name: `openai-beta` → `Openai-Beta`. */
function canonicalHeaderKey(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('-')
}
