/**
 * Ollama's wire types: the JSON bodies of its REST API, field for field as in the
 * server's `api/types.go` (snake_case names kept as sent on the wire).
 *
 * Each type is `Static<>` of its one declaration in `src/protocol/wire/` — the same
 * declaration whose JSON Schema ajv checks requests against — so the type, the schema and
 * the struct classes cannot drift apart. Hover a field for its documentation; to add a
 * field Ollama gained, add it there (see test/drift.test.ts).
 *
 * Request types describe what the *user* passes to the client, so images are
 * `ImageInput` (bytes, a Blob, a file path in Node, or base64): the client converts them to base64
 * before sending. Transport options (`stream`, `signal`, `timeout`, `responseFormat`)
 * are not part of these types; the client adds them.
 */
import type { Static } from '@sinclair/typebox'
import type * as M from '../protocol/wire/messages.js'
import type * as O from '../protocol/wire/options.js'
import type * as Q from '../protocol/wire/requests.js'
import type * as R from '../protocol/wire/responses.js'
import type * as S from '../protocol/wire/scalars.js'

// ---- shared scalars ----------------------------------------------------------------

/** An image for a request: bytes (`Uint8Array`/`Buffer`, `ArrayBuffer`), a `Blob`/`File`, a path to a file (Node only), or a base64 string. */
export type ImageInput = Static<typeof S.ImageInput>
/** `think`: on/off, or a reasoning effort level for models that support it. */
export type ThinkValue = Static<typeof S.ThinkValue>
/** A JSON Schema document (kept loose: Ollama passes it to the sampler as-is). */
export type JSONSchema = Static<typeof S.JSONSchema>
/** `format`: free text (''), any JSON ('json'), or JSON constrained by a schema. */
export type Format = Static<typeof S.Format>
/**
 * `keep_alive`: seconds (negative = keep loaded forever, 0 = unload now) or a Go duration
 * string ('5m', '1h30m', '-1h'). Go's `time.ParseDuration` needs a unit, so the string
 * '-1' is refused by the server: use the number -1.
 */
export type KeepAlive = Static<typeof S.KeepAlive>
/** Chat roles Ollama knows; other strings pass through (the server lowercases them). */
export type Role = Static<typeof S.Role>
/** Capabilities reported by `/api/show`, `/api/tags` and `/api/ps`. */
export type Capability = Static<typeof S.Capability>

// ---- messages, tools, log probabilities --------------------------------------------

/** One message of a chat, as Ollama sends it back (images as base64). */
export type Message = Static<typeof M.Message>
/** A message as the user passes it in a request: images may be bytes or paths too. */
export type MessageInput = Static<typeof M.MessageInput>
/** A tool invocation requested by the model. */
export type ToolCall = Static<typeof M.ToolCall>
/** Function part of a tool call. */
export type ToolCallFunction = Static<typeof M.ToolCallFunction>
/** A tool the model may call (`tools` of a chat request). */
export type Tool = Static<typeof M.Tool>
/** Description of a callable function. */
export type ToolFunction = Static<typeof M.ToolFunction>
/** JSON-Schema-ish description of a function's arguments (an object schema). */
export type ToolFunctionParameters = Static<typeof M.ToolFunctionParameters>
/** JSON-Schema-ish description of one argument; other JSON Schema keywords are accepted. */
export type ToolProperty = Static<typeof M.ToolProperty> & { [key: string]: unknown }
/** Log probability of one token. */
export type TokenLogprob = Static<typeof M.TokenLogprob>
/** Log probability of a generated token plus its most likely alternatives. */
export type Logprob = Static<typeof M.Logprob>

// ---- options -----------------------------------------------------------------------

/**
 * Model options (`options` of a request, `parameters` of a create request): Ollama's
 * `Options` plus its embedded `Runner`. All optional; unset fields take the model's
 * Modelfile values, then Ollama's defaults. `@deprecated` ones are ignored by current servers.
 */
export type Options = O.Options

// ---- requests ----------------------------------------------------------------------

/** Body of POST /api/chat. */
export type ChatRequest = Static<typeof Q.ChatRequest>
/** Body of POST /api/generate. */
export type GenerateRequest = Static<typeof Q.GenerateRequest>
/** Body of POST /api/embed. */
export type EmbedRequest = Static<typeof Q.EmbedRequest>
/** Body of POST /api/embeddings (legacy, one prompt, superseded by /api/embed). */
export type EmbeddingsRequest = Static<typeof Q.EmbeddingsRequest>
/** Body of POST /api/show. */
export type ShowRequest = Static<typeof Q.ShowRequest>
/** Body of POST /api/create. */
export type CreateRequest = Static<typeof Q.CreateRequest>
/** Body of POST /api/copy. */
export type CopyRequest = Static<typeof Q.CopyRequest>
/** Body of DELETE /api/delete. */
export type DeleteRequest = Static<typeof Q.DeleteRequest>
/** Body of POST /api/pull. */
export type PullRequest = Static<typeof Q.PullRequest>
/** Body of POST /api/push. */
export type PushRequest = Static<typeof Q.PushRequest>
/** Body of a web search (ollama.com's /api/web_search or the local /api/experimental/web_search). */
export type WebSearchRequest = Static<typeof Q.WebSearchRequest>
/** Body of a web fetch (ollama.com's /api/web_fetch or the local /api/experimental/web_fetch). */
export type WebFetchRequest = Static<typeof Q.WebFetchRequest>

// ---- responses (a streamed chunk has the same shape as the final response) ----------

/** Timing and token counts reported on the final chunk (all durations in ns). */
export type Metrics = Static<typeof R.Metrics>
/** Returned instead of a result when `_debug_render_only` is set. */
export type DebugInfo = Static<typeof R.DebugInfo>
/** Response (or stream chunk) of POST /api/chat. */
export type ChatResponse = Static<typeof R.ChatResponse>
/** Response (or stream chunk) of POST /api/generate. */
export type GenerateResponse = Static<typeof R.GenerateResponse>
/** Response of POST /api/embed. */
export type EmbedResponse = Static<typeof R.EmbedResponse>
/** Response of POST /api/embeddings (legacy). */
export type EmbeddingsResponse = Static<typeof R.EmbeddingsResponse>
/** Format and size facts about a model. */
export type ModelDetails = Static<typeof R.ModelDetails>
/** One local model in GET /api/tags. */
export type ModelResponse = Static<typeof R.ModelResponse>
/** Response of GET /api/tags. */
export type ListResponse = Static<typeof R.ListResponse>
/** One loaded model in GET /api/ps. */
export type RunningModel = Static<typeof R.RunningModel>
/** Response of GET /api/ps. */
export type ProcessResponse = Static<typeof R.ProcessResponse>
/** Metadata of one tensor (`tensors` of a show response). */
export type Tensor = Static<typeof R.Tensor>
/** Response of POST /api/show. */
export type ShowResponse = Static<typeof R.ShowResponse>
/** Response (or stream chunk) of pull, push and create. */
export type ProgressResponse = Static<typeof R.ProgressResponse>
/** Response of GET /api/version. */
export type VersionResponse = Static<typeof R.VersionResponse>
/** The server's cloud setting (`cloud` of GET /api/status). */
export type CloudStatus = Static<typeof R.CloudStatus>
/** Response of GET /api/status. */
export type ServerStatus = Static<typeof R.ServerStatus>
/** Response of POST /api/me: the ollama.com account the server is signed in with. */
export type UserResponse = Static<typeof R.UserResponse>
/** One hit of a web search. */
export type WebSearchResult = Static<typeof R.WebSearchResult>
/** Response of a web search. */
export type WebSearchResponse = Static<typeof R.WebSearchResponse>
/** Response of a web fetch. */
export type WebFetchResponse = Static<typeof R.WebFetchResponse>
/** Body of an error reply (any non-2xx status, or an `error` line mid-stream). */
export type ErrorResponse = Static<typeof R.ErrorResponse>

/** A streamed chat chunk: Ollama streams the response struct itself. */
export type ChatChunk = ChatResponse
/** A streamed generate chunk. */
export type GenerateChunk = GenerateResponse
/** A streamed pull/push/create chunk. */
export type ProgressChunk = ProgressResponse
