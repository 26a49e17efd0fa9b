import type { TObject } from '@sinclair/typebox'
import type { EndpointName } from './endpoints.js'
import { optionFields } from './wire/options.js'
import * as Q from './wire/requests.js'
import { ToolProperty } from './wire/messages.js'

/**
 * The JSON Schemas ajv checks requests against, before a byte is sent: the TypeBox
 * declarations in `./wire/` themselves (a TypeBox type *is* its JSON Schema), so the
 * check and the TypeScript type come from one place.
 *
 * Unknown fields pass (`additionalProperties` stays open everywhere) because Ollama adds
 * fields often and ignores the ones it does not know, and so do unknown options
 * (`Options.FromMap` logs "invalid option provided" and goes on).
 */
type Schema = Record<string, unknown>

/**
 * Model-management calls read `model` or, when it is empty, the legacy `name`. The types
 * ask for `model` (the current spelling); the schemas accept either one alone, as the
 * server does.
 */
function modelOrName(declaration: TObject): Schema {
  const required = (declaration.required ?? []).filter((key) => key !== 'model' && key !== 'name')
  return { ...declaration, required, anyOf: [{ required: ['model'] }, { required: ['name'] }] }
}

export const REQUEST_SCHEMAS: Partial<Record<EndpointName, Schema>> = {
  chat: Q.ChatRequest,
  generate: Q.GenerateRequest,
  embed: Q.EmbedRequest,
  embeddings: Q.EmbeddingsRequest,
  show: modelOrName(Q.ShowRequest),
  create: modelOrName(Q.CreateRequest),
  copy: Q.CopyRequest,
  delete: modelOrName(Q.DeleteRequest),
  pull: modelOrName(Q.PullRequest),
  push: modelOrName(Q.PushRequest),
  webSearch: Q.WebSearchRequest,
  webFetch: Q.WebFetchRequest,
}

/** Referenced by `$ref` from tool parameters; ajv must know it before compiling those. */
export const TOOL_PROPERTY_SCHEMA: Schema = ToolProperty

/** Names of every option the schema knows (tests keep this and the `Options` type in sync). */
export const OPTION_NAMES: readonly string[] = Object.freeze(Object.keys(optionFields))
