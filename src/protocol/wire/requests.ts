/**
 * Request bodies, as the user passes them to the client (`stream` and the call options
 * `signal`, `timeout`, `responseFormat`, `retry` are added by the client). Each has a
 * stable `$id` (`ollixir:<Name>`), so ajv's standalone code generation can name its
 * validator at build time.
 */
import { Type } from '@sinclair/typebox'
import { anyObject, nonEmpty } from './kit.js'
import { MessageInput, Tool } from './messages.js'
import { Options } from './options.js'
import { Format, ImageInput, KeepAlive, StringOrList, ThinkValue } from './scalars.js'

/** Fields chat and generate share. */
const inferenceFields = {
  /** Output format: '' (text), 'json', or a JSON Schema. */
  format: Type.Optional(Format),
  /** How long the model stays loaded after this request. */
  keep_alive: Type.Optional(KeepAlive),
  /** Model options for this request. */
  options: Type.Optional(Options),
  /** Enable/disable thinking, or set its effort level (a model may not support every level). */
  think: Type.Optional(ThinkValue),
  /** Truncate old history when the prompt exceeds the context (server default true). */
  truncate: Type.Optional(Type.Boolean()),
  /** Shift the context when it fills up instead of erroring (server default true). */
  shift: Type.Optional(Type.Boolean()),
  /** Debug: return the rendered template instead of running the model. */
  _debug_render_only: Type.Optional(Type.Boolean()),
  /** Return log probabilities of the generated tokens. */
  logprobs: Type.Optional(Type.Boolean()),
  /** With logprobs: also return this many top alternatives per token (0–20; the server answers 400 outside). */
  top_logprobs: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })),
}

/** `model`, and the old `name` that model-management calls still read. */
const modelOrNameFields = {
  /** Model name. */
  model: nonEmpty(),
  /** @deprecated Old spelling of `model`. */
  name: Type.Optional(nonEmpty()),
}

/** Body of POST /api/chat. */
export const ChatRequest = Type.Object(
  {
    /** Model name, e.g. 'llama3.2' or 'qwen3:8b'. */
    model: nonEmpty(),
    /** The conversation so far; omit (or empty) to just load the model. */
    messages: Type.Optional(Type.Array(MessageInput)),
    /** Tools the model may call. */
    tools: Type.Optional(Type.Array(Tool)),
    ...inferenceFields,
  },
  { $id: 'ollixir:ChatRequest' },
)

/** Body of POST /api/generate. */
export const GenerateRequest = Type.Object(
  {
    /** Model name. */
    model: nonEmpty(),
    /** Prompt text; omit (or empty) to just load the model. */
    prompt: Type.Optional(Type.String()),
    /** Text after the insertion point, for fill-in-the-middle models. */
    suffix: Type.Optional(Type.String()),
    /** Overrides the model's system prompt. */
    system: Type.Optional(Type.String()),
    /** Overrides the model's prompt template. */
    template: Type.Optional(Type.String()),
    /** @deprecated `context` returned by a previous generate, for short memory. */
    context: Type.Optional(Type.Array(Type.Integer())),
    /** Send the prompt as-is, without applying the template. */
    raw: Type.Optional(Type.Boolean()),
    /** Images for multimodal models (bytes, paths or base64). */
    images: Type.Optional(Type.Array(ImageInput)),
    ...inferenceFields,
  },
  { $id: 'ollixir:GenerateRequest' },
)

/** Body of POST /api/embed. */
export const EmbedRequest = Type.Object(
  {
    /** Embedding model name. */
    model: nonEmpty(),
    /** Text, or texts, to embed. */
    input: StringOrList,
    /** Truncate inputs longer than the context (server default true; false errors instead). */
    truncate: Type.Optional(Type.Boolean()),
    /** Shorten the output vectors to this many dimensions (0 is Go's "unset", so it is refused here). */
    dimensions: Type.Optional(Type.Integer({ minimum: 1 })),
    /** How long the model stays loaded after this request. */
    keep_alive: Type.Optional(KeepAlive),
    /** Model options for this request. */
    options: Type.Optional(Options),
  },
  { $id: 'ollixir:EmbedRequest' },
)

/** Body of POST /api/embeddings (legacy, one prompt, superseded by /api/embed). */
export const EmbeddingsRequest = Type.Object(
  {
    /** Embedding model name. */
    model: nonEmpty(),
    /** Text to embed. */
    prompt: Type.String(),
    /** How long the model stays loaded after this request. */
    keep_alive: Type.Optional(KeepAlive),
    /** Model options for this request. */
    options: Type.Optional(Options),
  },
  { $id: 'ollixir:EmbeddingsRequest' },
)

/** Body of POST /api/show. */
export const ShowRequest = Type.Object(
  {
    ...modelOrNameFields,
    /** Include full tokenizer data and tensors in `model_info`/`tensors`. */
    verbose: Type.Optional(Type.Boolean()),
    /** Overrides the system prompt shown in the result. */
    system: Type.Optional(Type.String()),
    /** @deprecated Overrides the template shown in the result. */
    template: Type.Optional(Type.String()),
    /** Options merged into the shown parameters. */
    options: Type.Optional(Options),
  },
  { $id: 'ollixir:ShowRequest' },
)

/**
 * Name → digest on the wire. The client also takes bytes, paths and streams there, which
 * create-files.ts checks and uploads after validation, so the schema checks the map only.
 */
const blobMap = () => Type.Unsafe<Record<string, string>>({ type: 'object' })

/** Body of POST /api/create. */
export const CreateRequest = Type.Object(
  {
    ...modelOrNameFields,
    /** Name of the model to create. */
    model: nonEmpty(),
    /** Existing model (or GGUF file) to build on. */
    from: Type.Optional(Type.String()),
    /** Files to include: file name → blob digest ('sha256:…'), uploaded beforehand. */
    files: Type.Optional(blobMap()),
    /** LoRA adapters: file name → blob digest. */
    adapters: Type.Optional(blobMap()),
    /** Files of a draft model for speculative decoding: file name → blob digest. */
    draft_files: Type.Optional(blobMap()),
    /** Quantize the draft model's tensors to this type, e.g. 'q8_0'. */
    draft_quantize: Type.Optional(Type.String()),
    /** Prompt template of the new model. */
    template: Type.Optional(Type.String()),
    /** License text, or several. */
    license: Type.Optional(StringOrList),
    /** System prompt of the new model. */
    system: Type.Optional(Type.String()),
    /**
     * Default parameters of the new model (option name → value). Stored with the model and
     * read by `Options.FromMap` on every later request, so checked like `options`; a
     * Modelfile may name others, which pass.
     */
    parameters: Type.Optional(Type.Unsafe<Options & { [key: string]: unknown }>(Options)),
    /** Messages prepended to every conversation with the new model. */
    messages: Type.Optional(Type.Array(MessageInput)),
    /** Quantize a non-quantized model to this type, e.g. 'q4_K_M'. */
    quantize: Type.Optional(Type.String()),
    /** URL of an upstream Ollama that serves this model (remote models). */
    remote_host: Type.Optional(Type.String()),
    /** Name of the built-in renderer that formats prompts for the model. */
    renderer: Type.Optional(Type.String()),
    /** Name of the built-in parser that reads the model's output. */
    parser: Type.Optional(Type.String()),
    /** Minimum Ollama version the model needs. */
    requires: Type.Optional(Type.String()),
    /** Extra model information stored with the model (e.g. capabilities of a remote model). */
    info: Type.Optional(anyObject()),
    /** @deprecated Old spelling of `quantize`. */
    quantization: Type.Optional(Type.String()),
  },
  { $id: 'ollixir:CreateRequest' },
)

/** Body of POST /api/copy. */
export const CopyRequest = Type.Object(
  {
    /** Existing model name. */
    source: nonEmpty(),
    /** New name for the copy. */
    destination: nonEmpty(),
  },
  { $id: 'ollixir:CopyRequest' },
)

/** Body of DELETE /api/delete. */
export const DeleteRequest = Type.Object({ ...modelOrNameFields }, { $id: 'ollixir:DeleteRequest' })

/** Fields pull and push share. */
const transferFields = {
  /** Allow insecure (plain HTTP / unverified TLS) registries; for development. */
  insecure: Type.Optional(Type.Boolean()),
  /** @deprecated Ignored by the server. */
  username: Type.Optional(Type.String()),
  /** @deprecated Ignored by the server. */
  password: Type.Optional(Type.String()),
}

/** Body of POST /api/pull. */
export const PullRequest = Type.Object(
  {
    ...modelOrNameFields,
    /** Model name to download. */
    model: nonEmpty(),
    ...transferFields,
  },
  { $id: 'ollixir:PullRequest' },
)

/** Body of POST /api/push. */
export const PushRequest = Type.Object(
  {
    ...modelOrNameFields,
    /** Model name to upload, as '<namespace>/<model>:<tag>'. */
    model: nonEmpty(),
    ...transferFields,
  },
  { $id: 'ollixir:PushRequest' },
)

/** Body of POST /api/web_search (ollama.com) or /api/experimental/web_search (local server). */
export const WebSearchRequest = Type.Object(
  {
    /** Search query. */
    query: nonEmpty(),
    /** Maximum results to return (server default 5, max 10). */
    max_results: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { $id: 'ollixir:WebSearchRequest' },
)

/** Body of POST /api/web_fetch (ollama.com) or /api/experimental/web_fetch (local server). */
export const WebFetchRequest = Type.Object(
  {
    /** URL of the page to fetch. */
    url: nonEmpty(),
  },
  { $id: 'ollixir:WebFetchRequest' },
)

