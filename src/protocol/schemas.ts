import type { EndpointName } from './endpoints.js'

/**
 * JSON Schemas of Ollama's request types (api/types.go), checked before a byte is
 * sent. They pin down what the server would reject or misread; unknown fields pass
 * (`additionalProperties` stays open) because Ollama adds fields often.
 */
type Schema = Record<string, unknown>

const string = { type: 'string' }
const integer = { type: 'integer' }
const number = { type: 'number' }
const boolean = { type: 'boolean' }
const stringList = { type: 'array', items: string }
const modelName = { type: 'string', minLength: 1 }
const keepAlive = { type: ['string', 'number'] }
const think = { anyOf: [boolean, { enum: ['low', 'medium', 'high'] }] }
const format = { anyOf: [{ enum: ['', 'json'] }, { type: 'object' }] }
/** Images are checked (and encoded) by encodeImage, which knows bytes and paths. */
const images = { type: 'array' }

const options = {
  type: 'object',
  properties: {
    num_keep: integer, seed: integer, num_predict: integer, top_k: integer, top_p: number, min_p: number,
    typical_p: number, repeat_last_n: integer, temperature: number, repeat_penalty: number,
    presence_penalty: number, frequency_penalty: number, stop: { anyOf: [string, stringList] },
    num_ctx: integer, num_batch: integer, num_gpu: integer, main_gpu: integer, use_mmap: boolean, num_thread: integer,
  },
}

const toolCall = {
  type: 'object',
  required: ['function'],
  properties: {
    function: { type: 'object', required: ['name'], properties: { name: string, arguments: { type: 'object' }, index: integer } },
  },
}

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
  },
}

const tool = {
  type: 'object',
  required: ['type', 'function'],
  properties: {
    type: string,
    function: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, description: string, parameters: { type: 'object' } } },
  },
}

/** `model`, or the legacy `name` that Ollama still reads for model-management calls. */
const modelOrName = { anyOf: [{ required: ['model'] }, { required: ['name'] }] }

const common = { keep_alive: keepAlive, options, logprobs: boolean, top_logprobs: integer }

export const REQUEST_SCHEMAS: Partial<Record<EndpointName, Schema>> = {
  chat: {
    type: 'object',
    required: ['model'],
    properties: { model: modelName, messages: { type: 'array', items: message }, tools: { type: 'array', items: tool }, format, think, truncate: boolean, shift: boolean, ...common },
  },
  generate: {
    type: 'object',
    required: ['model'],
    properties: { model: modelName, prompt: string, suffix: string, system: string, template: string, context: { type: 'array', items: integer }, raw: boolean, images, format, think, truncate: boolean, shift: boolean, ...common },
  },
  embed: {
    type: 'object',
    required: ['model', 'input'],
    properties: { model: modelName, input: { anyOf: [string, stringList] }, truncate: boolean, dimensions: integer, keep_alive: keepAlive, options },
  },
  embeddings: { type: 'object', required: ['model'], properties: { model: modelName, prompt: string, keep_alive: keepAlive, options } },
  show: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName, verbose: boolean, system: string, template: string, options } },
  create: {
    type: 'object',
    ...modelOrName,
    properties: {
      model: modelName, name: modelName, from: string, files: { type: 'object', additionalProperties: string }, adapters: { type: 'object', additionalProperties: string },
      template: string, license: { anyOf: [string, stringList] }, system: string, parameters: { type: 'object' }, messages: { type: 'array', items: message }, quantize: string,
    },
  },
  copy: { type: 'object', required: ['source', 'destination'], properties: { source: modelName, destination: modelName } },
  delete: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName } },
  pull: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName, insecure: boolean } },
  push: { type: 'object', ...modelOrName, properties: { model: modelName, name: modelName, insecure: boolean } },
  webSearch: { type: 'object', required: ['query'], properties: { query: { type: 'string', minLength: 1 }, max_results: integer } },
  webFetch: { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1 } } },
}
