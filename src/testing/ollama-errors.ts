/**
 * Error texts of the real Ollama server, in one place.
 *
 * Sources (ollama/ollama): `server/routes.go` (handlers, `handleScheduleError`,
 * `HeadBlobHandler`, `CreateBlobHandler`, `PushModel` progress), `server/create.go`
 * (`detectModelTypeFromFile`, `errNeitherFromOrFiles`), `manifest` package
 * (`ErrInvalidDigestFormat`), `types/errtypes` (`InvalidModelNameErrMsg`), and gin's
 * defaults for unknown routes / wrong methods. Go's `%q` quotes with double quotes,
 * `'%s'` with single quotes; both styles occur and are kept as the server has them.
 */

/** Empty or whitespace-only body (`ShouldBindJSON` returned io.EOF). */
export const MISSING_BODY = 'missing request body'
/** chat, embed, embeddings, show, push. */
export const MODEL_REQUIRED = 'model is required'
/** pull, create (`errtypes.InvalidModelNameErrMsg`). */
export const INVALID_MODEL_NAME = 'invalid model name'
export const INVALID_DIGEST = 'invalid digest format'
export const INVALID_INPUT_TYPE = 'invalid input type'
export const TOP_LOGPROBS_RANGE = 'top_logprobs must be between 0 and 20'
export const RAW_MODE_CONFLICT = 'raw mode does not support template, system, or context'
export const NEITHER_FROM_NOR_FILES = "neither 'from' or 'files' was specified"
/** What the registry answers for a model that does not exist (seen while pulling). */
export const REGISTRY_MISSING = 'pull model manifest: file does not exist'
/** Default text of a mid-stream error line. */
export const RUNNER_ERROR = 'an error was encountered while running the model'

/** chat, generate, show, delete: `model '%s' not found` (404). */
export const modelNotFound = (name: string): string => `model '${name}' not found`
/** embed, embeddings (the scheduler path): `model %q not found, try pulling it first` (404). */
export const modelNotFoundTryPulling = (name: string): string => `model ${goQuote(name)} not found, try pulling it first`
/** copy: `model %q not found` (404). */
export const copySourceNotFound = (name: string): string => `model ${goQuote(name)} not found`
export const sourceInvalid = (name: string): string => `source ${goQuote(name)} is invalid`
export const destinationInvalid = (name: string): string => `destination ${goQuote(name)} is invalid`
/** delete with an empty/invalid name (400). */
export const nameInvalid = (name: string): string => `name ${goQuote(name)} is invalid`
export const blobNotFound = (digest: string): string => `blob ${goQuote(digest)} not found`
export const digestMismatch = (expected: string, got: string): string =>
  `digest mismatch, expected ${goQuote(expected)}, got ${goQuote(got)}`
export const createBlobMissing = (file: string, digest: string, path: string): string =>
  `blob not found for ${file} (digest ${digest}): open ${path}: no such file or directory`
export const createDigestInvalid = (file: string): string => `invalid digest for ${file}: ${INVALID_DIGEST}`
/**
 * `api.ThinkValue.UnmarshalJSON` (api/types.go), returned as-is by `ShouldBindJSON` (400):
 * a string that is not a level, or a value that is neither a boolean nor a string.
 */
export const invalidThinkValue = (value: string): string =>
  `invalid think value: ${goQuote(value)} (must be "high", "medium", "low", "max", true, or false)`
export const THINK_TYPE = 'think must be a boolean or string ("high", "medium", "low", "max", true, or false)'
/** Chat and generate, for a level the model does not take (server/routes.go: `think value %q is not supported for this model`). */
export const thinkLevelNotSupported = (value: string): string => `think value ${goQuote(value)} is not supported for this model`
/**
 * Chat and generate, for `think: true` or a level when the model lacks the `thinking`
 * capability (server/routes.go: `if req.Think != nil && req.Think.Bool()` in the branch
 * without `model.CapabilityThinking`); `think: false` passes.
 */
export const doesNotSupportThinking = (name: string): string => `${goQuote(name)} does not support thinking`
export const doesNotSupportChat = (name: string): string => `${goQuote(name)} does not support chat`
export const doesNotSupportGenerate = (name: string): string => `${goQuote(name)} does not support generate`
/** `CheckCapabilities` prefixes the fully qualified name, e.g. `registry.ollama.ai/library/llama3.2:latest`. */
export const doesNotSupportTools = (fullName: string): string => `${fullName} does not support tools`
export const manifestMissing = (path: string): string => `open ${path}: no such file or directory`

/**
 * ollama.com's hosted web API (`/api/web_search`, `/api/web_fetch`). Its server code is
 * not public. Cloud calls made with a missing or rejected key are seen failing with 401 and
 * the message `unauthorized` (e.g. ollama/ollama#13776, continuedev/continue#11405,
 * langchain-ai/deepagents#2674, where ollama-python raises
 * `ResponseError: unauthorized (status code: 401)`). No capture of the exact body for the web
 * endpoints was found, so `{"error":"unauthorized"}` is an assumption, in the usual
 * `{"error": ...}` shape.
 */
export const UNAUTHORIZED = 'unauthorized'
/** Assumed wording: the client libraries refuse an empty value before sending ('Query is required' in ollama-js). */
export const QUERY_REQUIRED = 'query is required'
/**
 * A server not signed in to ollama.com: the link `ollama signin` prints, whose `key` is the
 * server's public key (a fixed stand-in here).
 */
export const SIGNIN_URL = 'https://ollama.com/connect?name=fake-ollama&key=c3NoLWVkMjU1MTkgQUFBQUMzTnphQzFsWkRJMU5URTVBQUFBSUZha2VPbGxhbWE'
/** `internalcloud.DisabledError(operation)`, for what a server with cloud switched off refuses. */
export const cloudDisabled = (operation: string): string => `ollama cloud is disabled: ${operation}`
export const WEB_SEARCH_UNAVAILABLE = 'web search is unavailable'
export const WEB_FETCH_UNAVAILABLE = 'web fetch is unavailable'
/** `SignoutHandler` on a server that was not signed in. */
export const NOT_SIGNED_IN = 'you are not currently signed in'
export const URL_REQUIRED = 'url is required'

/** gin's plain-text bodies for unknown routes and wrong methods. */
export const NOT_FOUND_PAGE = '404 page not found'
export const METHOD_NOT_ALLOWED_PAGE = '405 method not allowed'

/** Go's `%q` for ordinary strings (JSON string escaping is close enough). */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}
