import type { EndpointName } from './endpoints.js'

/**
 * JSON Schemas of Ollama's request types (`api/types.go`), checked by ajv before a byte
 * is sent. They pin down what the server would reject or misread, field by field as Go's
 * `encoding/json` decodes it: `int` fields are integers, `float32` ones any number,
 * `*bool` booleans, `[]string` arrays of strings.
 *
 * Unknown fields pass (`additionalProperties` stays open everywhere) because Ollama
 * adds fields often and ignores the ones it does not know, and so do unknown options
 * (`Options.FromMap` logs "invalid option provided" and goes on).
 *
 * `x-expected` is ours (ajv, with `strict: false`, ignores it): validate.ts says it when
 * a value matches none of a union's branches, e.g. `think must be true, false, 'low',
 * 'medium' or 'high'`.
 */
type Schema = Record<string, unknown>

const string = { type: 'string' }
const integer = { type: 'integer' }
const number = { type: 'number' }
const boolean = { type: 'boolean' }
const object = { type: 'object' }
const stringList = { type: 'array', items: string }
const integerList = { type: 'array', items: integer }
const stringOrList = { anyOf: [string, stringList], 'x-expected': 'a string or an array of strings' }
/** `model.ParseName` is the server's business (and cloud/hf.co names must pass as they are); only '' is surely wrong. */
const modelName = { type: 'string', minLength: 1 }

/**
 * `api.Duration`: a number of seconds (negative = keep loaded forever) or a string Go's
 * `time.ParseDuration` reads ('5m', '1h30m', '-1h', '0'). Go rejects a bare number in a
 * string ('-1', '300': "missing unit in duration"), so those fail here too.
 */
const GO_DURATION = '^[-+]?(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+)$'
const keepAlive = {
  anyOf: [number, { type: 'string', pattern: GO_DURATION }],
  'x-expected': "a number of seconds or a Go duration string such as '5m', '1h30m' or '-1h'",
}

/** `api.ThinkValue`: a boolean, or a level; anything else is a 400 from `ThinkValue.UnmarshalJSON`. */
const think = { anyOf: [boolean, { enum: ['low', 'medium', 'high'] }], 'x-expected': "true, false, 'low', 'medium' or 'high'" }

/** `format` is `json.RawMessage`: the server accepts '' (unset), "json" or a JSON Schema object (`invalid format` otherwise). */
const format = { anyOf: [{ enum: ['', 'json'] }, object], 'x-expected': "'', 'json' or a JSON Schema object" }

/**
 * Images are bytes (Uint8Array/Buffer), a path or base64 text; request-body.ts checks and
 * encodes each one (encodeImage), naming it, e.g. `messages[0].images[1]`.
 */
const images = { type: 'array' }

/**
 * `Options` and its embedded `Runner` (api/types.go), in sync with the `Options` type in
 * src/types/wire.ts. The deprecated ones are still accepted: current servers warn and ignore them.
 */
const optionFields: Record<string, Schema> = {
  // Runner: applied when the model is loaded.
  num_ctx: integer,
  num_batch: integer,
  num_gpu: integer,
  main_gpu: integer,
  use_mmap: boolean,
  num_thread: integer,
  // Predict options: applied per request.
  num_keep: integer,
  seed: integer,
  num_predict: integer,
  top_k: integer,
  top_p: number,
  min_p: number,
  typical_p: number,
  repeat_last_n: integer,
  temperature: number,
  repeat_penalty: number,
  presence_penalty: number,
  frequency_penalty: number,
  // `[]string` on the server; a lone string is accepted here and sent as a one-element array (request-body.ts).
  stop: stringOrList,
  // Deprecated: removed from the server, which ignores them.
  numa: boolean,
  low_vram: boolean,
  f16_kv: boolean,
  logits_all: boolean,
  vocab_only: boolean,
  use_mlock: boolean,
  embedding_only: boolean,
  tfs_z: number,
  mirostat: integer,
  mirostat_tau: number,
  mirostat_eta: number,
  penalize_newline: boolean,
}

/** Names of every option the schema knows (tests keep this and wire.ts's `Options` in sync). */
export const OPTION_NAMES: readonly string[] = Object.freeze(Object.keys(optionFields))

const options = { type: 'object', properties: optionFields }

const toolCall = {
  type: 'object',
  required: ['function'],
  properties: {
    id: string,
    function: {
      type: 'object',
      required: ['name'],
      // `arguments` is an object on Ollama's wire, never the JSON text OpenAI sends.
      properties: { index: integer, name: { type: 'string', minLength: 1 }, arguments: object },
    },
  },
}

/**
 * A chat message. Roles are not restricted: the server lowercases whatever it gets
 * (`Message.UnmarshalJSON`) and leaves the rest to the model's template; only an
 * empty role is surely a mistake.
 */
const message = {
  type: 'object',
  required: ['role'],
  properties: {
    role: { type: 'string', minLength: 1 },
    content: string,
    thinking: string,
    images,
    tool_calls: { type: 'array', items: toolCall },
    tool_name: string,
    tool_call_id: string,
  },
}

/** `ToolProperty`: one argument of a tool, possibly nested (`anyOf`, `properties`). */
const TOOL_PROPERTY_ID = 'ollixir:tool-property'
const toolPropertyRef = { $ref: TOOL_PROPERTY_ID }
export const TOOL_PROPERTY_SCHEMA: Schema = {
  $id: TOOL_PROPERTY_ID,
  type: 'object',
  properties: {
    type: stringOrList,
    description: string,
    enum: { type: 'array' },
    anyOf: { type: 'array', items: toolPropertyRef },
    properties: { type: 'object', additionalProperties: toolPropertyRef },
  },
}

/** `ToolFunctionParameters`: the JSON Schema of a function's arguments. */
const toolParameters = {
  type: 'object',
  properties: {
    type: string,
    required: stringList,
    properties: { type: 'object', additionalProperties: toolPropertyRef },
  },
}

/** A raw Ollama tool, as sent on the wire (`defineTool()` objects are converted before validation). */
const tool = {
  type: 'object',
  required: ['type', 'function'],
  properties: {
    type: { type: 'string', minLength: 1 },
    function: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string', minLength: 1 }, description: string, parameters: toolParameters },
    },
  },
}

/** `model`, or the legacy `name` that Ollama still reads for model-management calls. */
const modelOrName = { anyOf: [{ required: ['model'] }, { required: ['name'] }] }

/** Fields chat and generate share. */
const inference = {
  format,
  keep_alive: keepAlive,
  options,
  think,
  truncate: boolean,
  shift: boolean,
  _debug_render_only: boolean,
  logprobs: boolean,
  // The server answers 400 "top_logprobs must be between 0 and 20" outside this range.
  top_logprobs: { type: 'integer', minimum: 0, maximum: 20 },
}

export const REQUEST_SCHEMAS: Partial<Record<EndpointName, Schema>> = {
  chat: {
    type: 'object',
    required: ['model'],
    properties: { model: modelName, messages: { type: 'array', items: message }, tools: { type: 'array', items: tool }, ...inference },
  },
  generate: {
    type: 'object',
    required: ['model'],
    properties: {
      model: modelName,
      prompt: string,
      suffix: string,
      system: string,
      template: string,
      context: integerList,
      raw: boolean,
      images,
      ...inference,
      // Experimental, image generation models (int32 on the server).
      width: { type: 'integer', minimum: 1 },
      height: { type: 'integer', minimum: 1 },
      steps: { type: 'integer', minimum: 1 },
    },
  },
  embed: {
    type: 'object',
    required: ['model', 'input'],
    properties: {
      model: modelName,
      input: stringOrList,
      truncate: boolean,
      // 0 is Go's "unset"; asking for no dimensions at all is surely a bug, so it is refused here.
      dimensions: { type: 'integer', minimum: 1 },
      keep_alive: keepAlive,
      options,
    },
  },
  embeddings: { type: 'object', required: ['model'], properties: { model: modelName, prompt: string, keep_alive: keepAlive, options } },
  show: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName, verbose: boolean, system: string, template: string, options } },
  create: {
    type: 'object',
    ...modelOrName,
    properties: {
      model: modelName,
      name: modelName,
      from: string,
      // Name → digest on the wire; the client also takes bytes, paths and streams there,
      // which create-files.ts checks and uploads after validation.
      files: object,
      adapters: object,
      template: string,
      license: stringOrList,
      system: string,
      // Stored with the model and read by `Options.FromMap` on every later request: same types as `options`.
      parameters: options,
      messages: { type: 'array', items: message },
      quantize: string,
      quantization: string,
      remote_host: string,
      renderer: string,
      parser: string,
      requires: string,
      info: object,
    },
  },
  copy: { type: 'object', required: ['source', 'destination'], properties: { source: modelName, destination: modelName } },
  delete: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName } },
  pull: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName, insecure: boolean, username: string, password: string } },
  push: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName, insecure: boolean, username: string, password: string } },
  webSearch: { type: 'object', required: ['query'], properties: { query: { type: 'string', minLength: 1 }, max_results: { type: 'integer', minimum: 1 } } },
  webFetch: { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1 } } },
}
