/**
 * Ollama's wire types: the JSON bodies of its REST API, field for field as in
 * the server's `api/types.go` (snake_case names kept as sent on the wire).
 *
 * Request types describe what the *user* passes to the client, so images are
 * `ImageInput` (bytes, a Blob, a file path in Node, or base64) — the client converts them to
 * base64 before sending. Transport options (`stream`, `signal`, `timeout`,
 * `responseFormat`) are not part of these interfaces; the client adds them.
 *
 * Ollama encodes durations as integer nanoseconds and timestamps as RFC 3339
 * strings; both are kept as-is here (the struct classes add converters).
 */

// ---------------------------------------------------------------------------
// Shared scalars
// ---------------------------------------------------------------------------

/** An image for a request: bytes (`Uint8Array`/`Buffer`, `ArrayBuffer`), a `Blob`/`File`, a path to a file (Node only), or a base64 string. */
export type ImageInput = Uint8Array | ArrayBuffer | Blob | string

/** `think`: on/off, or a reasoning effort level for models that support it. */
export type ThinkValue = boolean | 'low' | 'medium' | 'high'

/** A JSON Schema document (kept loose: Ollama passes it to the sampler as-is). */
export interface JSONSchema {
  [key: string]: unknown
}

/** `format`: free text (''), any JSON ('json'), or JSON constrained by a schema. */
export type Format = '' | 'json' | JSONSchema

/**
 * `keep_alive`: seconds (negative = keep loaded forever, 0 = unload now) or a Go duration
 * string ('5m', '1h30m', '-1h'). Go's `time.ParseDuration` needs a unit, so the string
 * '-1' is refused by the server: use the number -1.
 */
export type KeepAlive = string | number

/** Chat roles Ollama knows; other strings pass through (the server lowercases them). */
export type Role = 'system' | 'user' | 'assistant' | 'tool' | (string & {})

/** Capabilities reported by `/api/show` (`types/model/capability.go`). */
export type Capability =
  | 'completion'
  | 'tools'
  | 'insert'
  | 'vision'
  | 'embedding'
  | 'thinking'
  | 'image'
  | 'audio'
  | (string & {})

// ---------------------------------------------------------------------------
// Messages and tools
// ---------------------------------------------------------------------------

/** One message of a chat, as Ollama sends it back (images as base64). */
export interface Message {
  /** Who wrote the message: system, user, assistant or tool. */
  role: Role
  /** The message text (may be '' for a pure tool-call message). */
  content: string
  /** Reasoning text of a thinking model, when `think` was enabled. */
  thinking?: string
  /** Base64-encoded images attached to the message. */
  images?: string[]
  /** Tools the assistant asked to call. */
  tool_calls?: ToolCall[]
  /** For role 'tool': name of the tool whose result this is. */
  tool_name?: string
  /** For role 'tool': id of the tool call this message answers. */
  tool_call_id?: string
}

/** A message as the user passes it in a request: images may be bytes or paths too. */
export interface MessageInput extends Omit<Message, 'images'> {
  /** Images as bytes, file paths or base64 strings (the client sends base64). */
  images?: ImageInput[]
}

/** A tool invocation requested by the model. */
export interface ToolCall {
  /** Call id, echoed back in the tool result's `tool_call_id` (newer servers). */
  id?: string
  /** Which function to call and with what arguments. */
  function: ToolCallFunction
}

/** Function part of a tool call. */
export interface ToolCallFunction {
  /** Position of this call among the calls of one response. */
  index?: number
  /** Name of the function to call. */
  name: string
  /** Arguments as a JSON object (already parsed, not a string). */
  arguments: Record<string, unknown>
}

/** A tool the model may call (`tools` of a chat request). */
export interface Tool {
  /** Tool kind; Ollama only knows 'function'. */
  type: 'function' | (string & {})
  /** Item schema, for tools whose type describes an array (rarely used). */
  items?: unknown
  /** The function's name, description and parameter schema. */
  function: ToolFunction
}

/** Description of a callable function. */
export interface ToolFunction {
  /** Function name the model uses in its tool call. */
  name: string
  /** What the function does; shown to the model. */
  description?: string
  /** JSON Schema of the arguments object (Ollama accepts a tool without one). */
  parameters?: ToolFunctionParameters
}

/** JSON-Schema-ish description of a function's arguments (an object schema). */
export interface ToolFunctionParameters {
  /** Schema type; 'object' in practice. */
  type: 'object' | (string & {})
  /** Shared sub-schema definitions referenced with $ref. */
  $defs?: unknown
  /** Item schema when type is 'array'. */
  items?: unknown
  /** Names of required properties. */
  required?: string[]
  /** Schema of each property, in declaration order. */
  properties?: Record<string, ToolProperty>
  /** Other JSON Schema keywords are accepted (Ollama ignores them). */
  [key: string]: unknown
}

/** JSON-Schema-ish description of one argument. */
export interface ToolProperty {
  /** Alternatives, any of which the value may match. */
  anyOf?: ToolProperty[]
  /** JSON type name, or several for a union. */
  type?: string | string[]
  /** Item schema when type is 'array'. */
  items?: unknown
  /** What the argument means; shown to the model. */
  description?: string
  /** Allowed values. */
  enum?: unknown[]
  /** Nested properties when type is 'object'. */
  properties?: Record<string, ToolProperty>
  /** Other JSON Schema keywords are accepted (Ollama ignores them). */
  [key: string]: unknown
}

// ---------------------------------------------------------------------------
// Log probabilities
// ---------------------------------------------------------------------------

/** Log probability of one token. */
export interface TokenLogprob {
  /** The token's text. */
  token: string
  /** Natural log of the token's probability. */
  logprob: number
  /** The token's raw UTF-8 bytes (tokens may split characters). */
  bytes?: number[]
}

/** Log probability of a generated token plus its most likely alternatives. */
export interface Logprob extends TokenLogprob {
  /** The `top_logprobs` most likely tokens at this position. */
  top_logprobs?: TokenLogprob[]
}

// ---------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------

/**
 * Model options (`options` of a request, `parameters` of a create request):
 * Ollama's `Options` plus its embedded `Runner`. All optional; unset fields
 * take the model's Modelfile values, then Ollama's defaults.
 */
export interface Options {
  // Runner options: take effect when the model is (re)loaded.

  /** Context window size in tokens. */
  num_ctx?: number
  /** Prompt-processing batch size. */
  num_batch?: number
  /** Number of layers to offload to the GPU (-1 = automatic). */
  num_gpu?: number
  /** GPU that holds small tensors when splitting across GPUs. */
  main_gpu?: number
  /** Memory-map the model file (unset = Ollama decides). */
  use_mmap?: boolean
  /** CPU threads for generation (0 = automatic). */
  num_thread?: number

  // Predict options: take effect per request.

  /** Tokens of the prompt kept when the context shifts. */
  num_keep?: number
  /** Random seed for reproducible output (-1 = random). */
  seed?: number
  /** Maximum tokens to generate (-1 = until done, -2 = fill context). */
  num_predict?: number
  /** Sample only from the K most likely tokens. */
  top_k?: number
  /** Nucleus sampling: sample from tokens covering this probability mass. */
  top_p?: number
  /** Drop tokens less likely than min_p times the most likely token. */
  min_p?: number
  /** Locally typical sampling parameter (1 = off). */
  typical_p?: number
  /** How far back to look for repetitions (0 = off, -1 = num_ctx). */
  repeat_last_n?: number
  /** Sampling temperature; higher is more random. */
  temperature?: number
  /** Penalty applied to repeated tokens (1 = off). */
  repeat_penalty?: number
  /** Penalty for tokens already present at all. */
  presence_penalty?: number
  /** Penalty growing with how often a token already appeared. */
  frequency_penalty?: number
  /**
   * Stop generating when any of these strings is produced. A lone string is sent as a
   * one-element array (the server reads `stop` as an array only).
   */
  stop?: string | string[]

  // Options older servers accepted; current ones log a warning and ignore them.

  /** @deprecated Removed from Ollama; ignored by current servers. Enable NUMA. */
  numa?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Reduce VRAM use. */
  low_vram?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Use f16 KV cache. */
  f16_kv?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Return all logits. */
  logits_all?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Load vocabulary only. */
  vocab_only?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Lock model in RAM. */
  use_mlock?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Embedding-only mode. */
  embedding_only?: boolean
  /** @deprecated Removed from Ollama; ignored by current servers. Tail-free sampling. */
  tfs_z?: number
  /** @deprecated Removed from Ollama; ignored by current servers. Mirostat mode (0/1/2). */
  mirostat?: number
  /** @deprecated Removed from Ollama; ignored by current servers. Mirostat target entropy. */
  mirostat_tau?: number
  /** @deprecated Removed from Ollama; ignored by current servers. Mirostat learning rate. */
  mirostat_eta?: number
  /** @deprecated Removed from Ollama; ignored by current servers. Penalize newlines. */
  penalize_newline?: boolean
}

// ---------------------------------------------------------------------------
// Requests (POST bodies; `stream` is added by the client)
// ---------------------------------------------------------------------------

/** Body of POST /api/chat. */
export interface ChatRequest {
  /** Model name, e.g. 'llama3.2' or 'qwen3:8b'. */
  model: string
  /** The conversation so far; omit (or empty) to just load the model. */
  messages?: MessageInput[]
  /** Output format: '' (text), 'json', or a JSON Schema. */
  format?: Format
  /** How long the model stays loaded after this request. */
  keep_alive?: KeepAlive
  /** Tools the model may call. */
  tools?: Tool[]
  /** Model options for this request. */
  options?: Options
  /** Enable/disable thinking, or set its effort level. */
  think?: ThinkValue
  /** Truncate old history when the prompt exceeds the context (server default true). */
  truncate?: boolean
  /** Shift the context when it fills up instead of erroring (server default true). */
  shift?: boolean
  /** Debug: return the rendered template instead of running the model. */
  _debug_render_only?: boolean
  /** Return log probabilities of the generated tokens. */
  logprobs?: boolean
  /** With logprobs: also return this many top alternatives per token (0–20). */
  top_logprobs?: number
}

/** Body of POST /api/generate. */
export interface GenerateRequest {
  /** Model name. */
  model: string
  /** Prompt text; omit (or empty) to just load the model. */
  prompt?: string
  /** Text after the insertion point, for fill-in-the-middle models. */
  suffix?: string
  /** Overrides the model's system prompt. */
  system?: string
  /** Overrides the model's prompt template. */
  template?: string
  /** @deprecated `context` returned by a previous generate, for short memory. */
  context?: number[]
  /** Send the prompt as-is, without applying the template. */
  raw?: boolean
  /** Output format: '' (text), 'json', or a JSON Schema. */
  format?: Format
  /** How long the model stays loaded after this request. */
  keep_alive?: KeepAlive
  /** Images for multimodal models (bytes, paths or base64). */
  images?: ImageInput[]
  /** Model options for this request. */
  options?: Options
  /** Enable/disable thinking, or set its effort level. */
  think?: ThinkValue
  /** Truncate the prompt when it exceeds the context. */
  truncate?: boolean
  /** Shift the context when it fills up instead of erroring. */
  shift?: boolean
  /** Debug: return the rendered template instead of running the model. */
  _debug_render_only?: boolean
  /** Return log probabilities of the generated tokens. */
  logprobs?: boolean
  /** With logprobs: also return this many top alternatives per token (0–20). */
  top_logprobs?: number
  /** Experimental, image generation models: width of the image in pixels. */
  width?: number
  /** Experimental, image generation models: height of the image in pixels. */
  height?: number
  /** Experimental, image generation models: number of diffusion steps. */
  steps?: number
}

/** Body of POST /api/embed. */
export interface EmbedRequest {
  /** Embedding model name. */
  model: string
  /** Text, or texts, to embed. */
  input: string | string[]
  /** Truncate inputs longer than the context (server default true; false errors instead). */
  truncate?: boolean
  /** Shorten the output vectors to this many dimensions (models that support it). */
  dimensions?: number
  /** How long the model stays loaded after this request. */
  keep_alive?: KeepAlive
  /** Model options for this request. */
  options?: Options
}

/** Body of POST /api/embeddings (legacy, one prompt, superseded by /api/embed). */
export interface EmbeddingsRequest {
  /** Embedding model name. */
  model: string
  /** Text to embed. */
  prompt: string
  /** How long the model stays loaded after this request. */
  keep_alive?: KeepAlive
  /** Model options for this request. */
  options?: Options
}

/** Body of POST /api/show. */
export interface ShowRequest {
  /** Model name. */
  model: string
  /** Include full tokenizer data and tensors in `model_info`/`tensors`. */
  verbose?: boolean
  /** Overrides the system prompt shown in the result. */
  system?: string
  /** @deprecated Overrides the template shown in the result. */
  template?: string
  /** Options merged into the shown parameters. */
  options?: Options
  /** @deprecated Old spelling of `model`. */
  name?: string
}

/** Body of POST /api/create. */
export interface CreateRequest {
  /** Name of the model to create. */
  model: string
  /** Existing model (or GGUF file) to build on. */
  from?: string
  /** Files to include: file name → blob digest ('sha256:…'), uploaded beforehand. */
  files?: Record<string, string>
  /** LoRA adapters: file name → blob digest. */
  adapters?: Record<string, string>
  /** Prompt template of the new model. */
  template?: string
  /** License text, or several. */
  license?: string | string[]
  /** System prompt of the new model. */
  system?: string
  /** Default parameters of the new model (option name → value). */
  parameters?: Options & Record<string, unknown>
  /** Messages prepended to every conversation with the new model. */
  messages?: MessageInput[]
  /** Quantize a non-quantized model to this type, e.g. 'q4_K_M'. */
  quantize?: string
  /** URL of an upstream Ollama that serves this model (remote models). */
  remote_host?: string
  /** Name of the built-in renderer that formats prompts for the model. */
  renderer?: string
  /** Name of the built-in parser that reads the model's output. */
  parser?: string
  /** Minimum Ollama version the model needs. */
  requires?: string
  /** Extra model information stored with the model. */
  info?: Record<string, unknown>
  /** @deprecated Old spelling of `model`. */
  name?: string
  /** @deprecated Old spelling of `quantize`. */
  quantization?: string
}

/** Body of POST /api/copy. */
export interface CopyRequest {
  /** Existing model name. */
  source: string
  /** New name for the copy. */
  destination: string
}

/** Body of DELETE /api/delete. */
export interface DeleteRequest {
  /** Model name to delete. */
  model: string
  /** @deprecated Old spelling of `model`. */
  name?: string
}

/** Body of POST /api/pull. */
export interface PullRequest {
  /** Model name to download. */
  model: string
  /** Allow insecure (plain HTTP / unverified TLS) registries; for development. */
  insecure?: boolean
  /** @deprecated Ignored by the server. */
  username?: string
  /** @deprecated Ignored by the server. */
  password?: string
  /** @deprecated Old spelling of `model`. */
  name?: string
}

/** Body of POST /api/push. */
export interface PushRequest {
  /** Model name to upload, as '<namespace>/<model>:<tag>'. */
  model: string
  /** Allow insecure (plain HTTP / unverified TLS) registries; for development. */
  insecure?: boolean
  /** @deprecated Ignored by the server. */
  username?: string
  /** @deprecated Ignored by the server. */
  password?: string
  /** @deprecated Old spelling of `model`. */
  name?: string
}

/** Body of POST https://ollama.com/api/web_search (needs an API key). */
export interface WebSearchRequest {
  /** Search query. */
  query: string
  /** Maximum results to return (server default 5, max 10). */
  max_results?: number
}

/** Body of POST https://ollama.com/api/web_fetch (needs an API key). */
export interface WebFetchRequest {
  /** URL of the page to fetch. */
  url: string
}

// ---------------------------------------------------------------------------
// Responses (a streamed chunk has the same shape as the final response)
// ---------------------------------------------------------------------------

/** Timing and token counts reported on the final chunk (all durations in ns). */
export interface Metrics {
  /** Time spent on the whole request. */
  total_duration?: number
  /** Time spent loading the model. */
  load_duration?: number
  /** Tokens in the prompt. */
  prompt_eval_count?: number
  /** Time spent evaluating the prompt. */
  prompt_eval_duration?: number
  /** Tokens generated. */
  eval_count?: number
  /** Time spent generating. */
  eval_duration?: number
}

/** Returned instead of a result when `_debug_render_only` is set. */
export interface DebugInfo {
  /** The prompt after the template was applied. */
  rendered_template: string
  /** Number of images included in the prompt. */
  image_count?: number
}

/** Response (or stream chunk) of POST /api/chat. */
export interface ChatResponse extends Metrics {
  /** Model that produced the response. */
  model: string
  /** Upstream model name, when the model is served by a remote Ollama. */
  remote_model?: string
  /** Upstream Ollama URL, when the model is served remotely. */
  remote_host?: string
  /** When this chunk was produced (RFC 3339). */
  created_at: string
  /** The assistant message, or the part of it in this chunk. */
  message: Message
  /** True on the last chunk. */
  done: boolean
  /** Why generation stopped: 'stop', 'length', 'load', 'unload'… (last chunk). */
  done_reason?: string
  /** Rendered-template debug output (with `_debug_render_only`). */
  _debug_info?: DebugInfo
  /** Log probabilities of the tokens in this chunk (with `logprobs`). */
  logprobs?: Logprob[]
}

/** Response (or stream chunk) of POST /api/generate. */
export interface GenerateResponse extends Metrics {
  /** Model that produced the response. */
  model: string
  /** Upstream model name, when the model is served by a remote Ollama. */
  remote_model?: string
  /** Upstream Ollama URL, when the model is served remotely. */
  remote_host?: string
  /** When this chunk was produced (RFC 3339). */
  created_at: string
  /** The generated text, or the part of it in this chunk. */
  response: string
  /** Reasoning text of a thinking model, when `think` was enabled. */
  thinking?: string
  /** True on the last chunk. */
  done: boolean
  /** Why generation stopped: 'stop', 'length', 'load', 'unload'… (last chunk). */
  done_reason?: string
  /** Encoded conversation, to pass back as `context` (last chunk; legacy). */
  context?: number[]
  /** Tools the model asked to call. */
  tool_calls?: ToolCall[]
  /** Rendered-template debug output (with `_debug_render_only`). */
  _debug_info?: DebugInfo
  /** Log probabilities of the tokens in this chunk (with `logprobs`). */
  logprobs?: Logprob[]
  /** Experimental, image generation models: the base64-encoded image. */
  image?: string
  /** Experimental, image generation models: diffusion steps done so far. */
  completed?: number
  /** Experimental, image generation models: total diffusion steps. */
  total?: number
}

/** Response of POST /api/embed. */
export interface EmbedResponse {
  /** Model that produced the embeddings. */
  model: string
  /** One vector per input, in input order. */
  embeddings: number[][]
  /** Time spent on the whole request (ns). */
  total_duration?: number
  /** Time spent loading the model (ns). */
  load_duration?: number
  /** Tokens in all inputs together. */
  prompt_eval_count?: number
}

/** Response of POST /api/embeddings (legacy). */
export interface EmbeddingsResponse {
  /** The prompt's vector. */
  embedding: number[]
}

/** Format and size facts about a model. */
export interface ModelDetails {
  /** Model this one was derived from ('' if none). */
  parent_model: string
  /** File format, e.g. 'gguf'. */
  format: string
  /** Main architecture family, e.g. 'llama'. */
  family: string
  /** All families involved (null when the server has none to report). */
  families: string[] | null
  /** Parameter count as text, e.g. '8.0B'. */
  parameter_size: string
  /** Quantization type, e.g. 'Q4_K_M'. */
  quantization_level: string
}

/** One local model in GET /api/tags. */
export interface ModelResponse {
  /** Model name with tag, e.g. 'llama3.2:latest'. */
  name: string
  /** Model name with tag (same as `name`). */
  model: string
  /** Upstream model name, for models served by a remote Ollama. */
  remote_model?: string
  /** Upstream Ollama URL, for models served remotely. */
  remote_host?: string
  /** When the model was last changed (RFC 3339). */
  modified_at: string
  /** Size on disk in bytes. */
  size: number
  /** Digest of the model manifest. */
  digest: string
  /** Format and size facts. */
  details: ModelDetails
}

/** Response of GET /api/tags. */
export interface ListResponse {
  /** Locally available models. */
  models: ModelResponse[]
}

/** One loaded model in GET /api/ps. */
export interface RunningModel {
  /** Model name with tag. */
  name: string
  /** Model name with tag (same as `name`). */
  model: string
  /** Memory used in bytes (RAM + VRAM). */
  size: number
  /** Digest of the model manifest. */
  digest: string
  /** Format and size facts. */
  details: ModelDetails
  /** When the model will be unloaded (RFC 3339). */
  expires_at: string
  /** Part of `size` held in GPU memory, in bytes. */
  size_vram: number
  /** Context length the model was loaded with. */
  context_length: number
}

/** Response of GET /api/ps. */
export interface ProcessResponse {
  /** Models currently loaded in memory. */
  models: RunningModel[]
}

/** Metadata of one tensor (`tensors` of a show response). */
export interface Tensor {
  /** Tensor name, e.g. 'blk.0.attn_q.weight'. */
  name: string
  /** Element type, e.g. 'Q4_K'. */
  type: string
  /** Dimensions. */
  shape: number[]
}

/** Response of POST /api/show. */
export interface ShowResponse {
  /** License text(s) of the model. */
  license?: string
  /** Modelfile that reproduces the model. */
  modelfile?: string
  /** Default parameters, one 'name value' per line. */
  parameters?: string
  /** Prompt template. */
  template?: string
  /** Default system prompt. */
  system?: string
  /** Built-in renderer that formats prompts for the model. */
  renderer?: string
  /** Built-in parser that reads the model's output. */
  parser?: string
  /** Format and size facts. */
  details: ModelDetails
  /** Messages prepended to every conversation. */
  messages?: Message[]
  /** Upstream model name, for models served by a remote Ollama. */
  remote_model?: string
  /** Upstream Ollama URL, for models served remotely. */
  remote_host?: string
  /** GGUF metadata, e.g. 'general.architecture', '<arch>.context_length'. */
  model_info?: Record<string, unknown>
  /** GGUF metadata of the vision projector, for multimodal models. */
  projector_info?: Record<string, unknown>
  /** Tensor list (with `verbose`). */
  tensors?: Tensor[]
  /** What the model can do: 'completion', 'tools', 'vision', 'thinking'… */
  capabilities?: Capability[]
  /** When the model was last changed (RFC 3339). */
  modified_at: string
  /** Minimum Ollama version the model needs. */
  requires?: string
}

/** Response (or stream chunk) of pull, push and create. */
export interface ProgressResponse {
  /** Current step, e.g. 'pulling manifest', 'pulling <digest>', 'success'. */
  status: string
  /** Digest of the blob being transferred, while one is. */
  digest?: string
  /** Size of that blob in bytes. */
  total?: number
  /** Bytes of that blob transferred so far. */
  completed?: number
}

/** Response of GET /api/version. */
export interface VersionResponse {
  /** Server version, e.g. '0.12.11'. */
  version: string
}

/** One hit of a web search. */
export interface WebSearchResult {
  /** Page title. */
  title: string
  /** Page URL. */
  url: string
  /** Relevant text from the page. */
  content: string
}

/** Response of POST /api/web_search. */
export interface WebSearchResponse {
  /** Hits, best first. */
  results: WebSearchResult[]
}

/** Response of POST /api/web_fetch. */
export interface WebFetchResponse {
  /** Page title. */
  title: string
  /** Main content of the page as text. */
  content: string
  /** Links found on the page. */
  links: string[]
}

/** Body of an error reply (any non-2xx status, or an `error` line mid-stream). */
export interface ErrorResponse {
  /** Error message. */
  error: string
}

/** A streamed chat chunk: Ollama streams the response struct itself. */
export type ChatChunk = ChatResponse
/** A streamed generate chunk. */
export type GenerateChunk = GenerateResponse
/** A streamed pull/push/create chunk. */
export type ProgressChunk = ProgressResponse
