/**
 * Response bodies. A streamed chunk of chat, generate, pull, push or create has the
 * same shape as the whole response. Ollama encodes durations as integer nanoseconds and
 * timestamps as RFC 3339 strings; both are kept as they are (the struct classes add
 * converters). The client does not validate responses: these declarations give their
 * types, the struct classes' fields and the drift guard's field lists.
 */
import { Type } from '@sinclair/typebox'
import { anyObject, openString } from './kit.js'
import { Logprob, Message, ToolCall } from './messages.js'
import { Capability } from './scalars.js'

/** Timing and token counts reported on the final chunk (all durations in ns). */
const metricsFields = {
  /** Time spent on the whole request. */
  total_duration: Type.Optional(Type.Integer()),
  /** Time spent loading the model. */
  load_duration: Type.Optional(Type.Integer()),
  /** Tokens in the prompt. */
  prompt_eval_count: Type.Optional(Type.Integer()),
  /** Time spent evaluating the prompt. */
  prompt_eval_duration: Type.Optional(Type.Integer()),
  /** Tokens generated. */
  eval_count: Type.Optional(Type.Integer()),
  /** Time spent generating. */
  eval_duration: Type.Optional(Type.Integer()),
}
export const Metrics = Type.Object(metricsFields)

/** Where a model served by another Ollama (a cloud model, say) actually runs. */
const remoteFields = {
  /** Upstream model name, when the model is served by a remote Ollama. */
  remote_model: Type.Optional(Type.String()),
  /** Upstream Ollama URL, when the model is served remotely. */
  remote_host: Type.Optional(Type.String()),
}

/** Returned instead of a result when `_debug_render_only` is set. */
export const DebugInfo = Type.Object({
  /** The prompt after the template was applied. */
  rendered_template: Type.String(),
  /** Number of images included in the prompt. */
  image_count: Type.Optional(Type.Integer()),
})

/** Response (or stream chunk) of POST /api/chat. */
export const ChatResponse = Type.Object({
  /** Model that produced the response. */
  model: Type.String(),
  ...remoteFields,
  /** When this chunk was produced (RFC 3339). */
  created_at: Type.String(),
  /** The assistant message, or the part of it in this chunk. */
  message: Message,
  /** True on the last chunk. */
  done: Type.Boolean(),
  /** Why generation stopped: 'stop', 'length', 'load', 'unload'… (last chunk). */
  done_reason: Type.Optional(Type.String()),
  /** Rendered-template debug output (with `_debug_render_only`). */
  _debug_info: Type.Optional(DebugInfo),
  /** Log probabilities of the tokens in this chunk (with `logprobs`). */
  logprobs: Type.Optional(Type.Array(Logprob)),
  ...metricsFields,
})

/** Response (or stream chunk) of POST /api/generate. */
export const GenerateResponse = Type.Object({
  /** Model that produced the response. */
  model: Type.String(),
  ...remoteFields,
  /** When this chunk was produced (RFC 3339). */
  created_at: Type.String(),
  /** The generated text, or the part of it in this chunk. */
  response: Type.String(),
  /** Reasoning text of a thinking model, when `think` was enabled. */
  thinking: Type.Optional(Type.String()),
  /** True on the last chunk. */
  done: Type.Boolean(),
  /** Why generation stopped: 'stop', 'length', 'load', 'unload'… (last chunk). */
  done_reason: Type.Optional(Type.String()),
  /** Encoded conversation, to pass back as `context` (last chunk; legacy). */
  context: Type.Optional(Type.Array(Type.Integer())),
  /** Tools the model asked to call. */
  tool_calls: Type.Optional(Type.Array(ToolCall)),
  /** Rendered-template debug output (with `_debug_render_only`). */
  _debug_info: Type.Optional(DebugInfo),
  /** Log probabilities of the tokens in this chunk (with `logprobs`). */
  logprobs: Type.Optional(Type.Array(Logprob)),
  ...metricsFields,
})

/** Response of POST /api/embed. */
export const EmbedResponse = Type.Object({
  /** Model that produced the embeddings. */
  model: Type.String(),
  /** One vector per input, in input order. */
  embeddings: Type.Array(Type.Array(Type.Number())),
  /** Time spent on the whole request (ns). */
  total_duration: Type.Optional(Type.Integer()),
  /** Time spent loading the model (ns). */
  load_duration: Type.Optional(Type.Integer()),
  /** Tokens in all inputs together. */
  prompt_eval_count: Type.Optional(Type.Integer()),
})

/** Response of POST /api/embeddings (legacy). */
export const EmbeddingsResponse = Type.Object({
  /** The prompt's vector. */
  embedding: Type.Array(Type.Number()),
})

/** Format and size facts about a model. */
export const ModelDetails = Type.Object({
  /** Model this one was derived from ('' if none). */
  parent_model: Type.String(),
  /** File format, e.g. 'gguf'. */
  format: Type.String(),
  /** Main architecture family, e.g. 'llama'. */
  family: Type.String(),
  /** All families involved (null when the server has none to report). */
  families: Type.Union([Type.Array(Type.String()), Type.Null()]),
  /** Parameter count as text, e.g. '8.0B'. */
  parameter_size: Type.String(),
  /** Quantization type, e.g. 'Q4_K_M'. */
  quantization_level: Type.String(),
})

/** What list and ps entries share. */
const modelEntryFields = {
  /** Model name with tag, e.g. 'llama3.2:latest'. */
  name: Type.String(),
  /** Model name with tag (same as `name`). */
  model: Type.String(),
  ...remoteFields,
  /** Digest of the model manifest. */
  digest: Type.String(),
  /** Format and size facts. */
  details: ModelDetails,
  /** What the model can do: 'completion', 'tools', 'vision', 'thinking'… (newer servers). */
  capabilities: Type.Optional(Type.Array(Capability)),
}

/** One local model in GET /api/tags. */
export const ModelResponse = Type.Object({
  ...modelEntryFields,
  /** When the model was last changed (RFC 3339). */
  modified_at: Type.String(),
  /** Size on disk in bytes. */
  size: Type.Integer(),
  /** Longest context the model supports, in tokens (newer servers). */
  context_length: Type.Optional(Type.Integer()),
})

/** Response of GET /api/tags. */
export const ListResponse = Type.Object({
  /** Locally available models. */
  models: Type.Array(ModelResponse),
})

/** One loaded model in GET /api/ps. */
export const RunningModel = Type.Object({
  ...modelEntryFields,
  /** Memory used in bytes (RAM + VRAM). */
  size: Type.Integer(),
  /** When the model will be unloaded (RFC 3339). */
  expires_at: Type.String(),
  /** Part of `size` held in GPU memory, in bytes. */
  size_vram: Type.Integer(),
  /** Context length the model was loaded with. */
  context_length: Type.Integer(),
})

/** Response of GET /api/ps. */
export const ProcessResponse = Type.Object({
  /** Models currently loaded in memory. */
  models: Type.Array(RunningModel),
})

/** Metadata of one tensor (`tensors` of a show response). */
export const Tensor = Type.Object({
  /** Tensor name, e.g. 'blk.0.attn_q.weight'. */
  name: Type.String(),
  /** Element type, e.g. 'Q4_K'. */
  type: Type.String(),
  /** Dimensions. */
  shape: Type.Array(Type.Integer()),
})

/** Response of POST /api/show. */
export const ShowResponse = Type.Object({
  /** License text(s) of the model. */
  license: Type.Optional(Type.String()),
  /** Modelfile that reproduces the model. */
  modelfile: Type.Optional(Type.String()),
  /** Default parameters, one 'name value' per line. */
  parameters: Type.Optional(Type.String()),
  /** Prompt template. */
  template: Type.Optional(Type.String()),
  /** Default system prompt. */
  system: Type.Optional(Type.String()),
  /** Built-in renderer that formats prompts for the model. */
  renderer: Type.Optional(Type.String()),
  /** Built-in parser that reads the model's output. */
  parser: Type.Optional(Type.String()),
  /** Format and size facts. */
  details: ModelDetails,
  /** Messages prepended to every conversation. */
  messages: Type.Optional(Type.Array(Message)),
  ...remoteFields,
  /** GGUF metadata, e.g. 'general.architecture', '<arch>.context_length'. */
  model_info: Type.Optional(anyObject()),
  /** GGUF metadata of the vision projector, for multimodal models. */
  projector_info: Type.Optional(anyObject()),
  /** Tensor list (with `verbose`). */
  tensors: Type.Optional(Type.Array(Tensor)),
  /** What the model can do: 'completion', 'tools', 'vision', 'thinking'… */
  capabilities: Type.Optional(Type.Array(Capability)),
  /** When the model was last changed (RFC 3339). */
  modified_at: Type.String(),
  /** Minimum Ollama version the model needs. */
  requires: Type.Optional(Type.String()),
})

/** Response (or stream chunk) of pull, push and create. */
export const ProgressResponse = Type.Object({
  /** Current step, e.g. 'pulling manifest', 'pulling <digest>', 'success'. */
  status: Type.String(),
  /** Digest of the blob being transferred, while one is. */
  digest: Type.Optional(Type.String()),
  /** Size of that blob in bytes. */
  total: Type.Optional(Type.Integer()),
  /** Bytes of that blob transferred so far. */
  completed: Type.Optional(Type.Integer()),
})

/** Response of GET /api/version. */
export const VersionResponse = Type.Object({
  /** Server version, e.g. '0.12.11'. */
  version: Type.String(),
})

/** Whether this server may reach ollama.com, and what decided it. */
export const CloudStatus = Type.Object({
  /** True when cloud models and web search are switched off on this server. */
  disabled: Type.Boolean(),
  /** What decided it: 'none', 'env' (`OLLAMA_NO_CLOUD`), 'config' (`disable_ollama_cloud` in server.json) or 'both'. */
  source: openString(['none', 'env', 'config', 'both']),
})

/** Response of GET /api/status. */
export const ServerStatus = Type.Object({
  /** The server's cloud setting. */
  cloud: CloudStatus,
})

/** Response of POST /api/me: the ollama.com account this server is signed in with. */
export const UserResponse = Type.Object({
  /** Account id. */
  id: Type.String(),
  /** Account e-mail address. */
  email: Type.String(),
  /** User name on ollama.com. */
  name: Type.String(),
  /** Profile text. */
  bio: Type.Optional(Type.String()),
  /** URL of the profile picture. */
  avatarurl: Type.Optional(Type.String()),
  /** Given name. */
  firstname: Type.Optional(Type.String()),
  /** Family name. */
  lastname: Type.Optional(Type.String()),
  /** Subscription plan, e.g. 'free' or 'pro'. */
  plan: Type.Optional(Type.String()),
})

/** One hit of a web search. */
export const WebSearchResult = Type.Object({
  /** Page title. */
  title: Type.String(),
  /** Page URL. */
  url: Type.String(),
  /** Relevant text from the page. */
  content: Type.String(),
})

/** Response of a web search. */
export const WebSearchResponse = Type.Object({
  /** Hits, best first. */
  results: Type.Array(WebSearchResult),
})

/** Response of a web fetch. */
export const WebFetchResponse = Type.Object({
  /** Page title. */
  title: Type.String(),
  /** Main content of the page as text. */
  content: Type.String(),
  /** Links found on the page. */
  links: Type.Array(Type.String()),
})

/** Body of an error reply (any non-2xx status, or an `error` line mid-stream). */
export const ErrorResponse = Type.Object({
  /** Error message. */
  error: Type.String(),
  /** With a 401 from a server not signed in to ollama.com: where to sign in. */
  signin_url: Type.Optional(Type.String()),
})
