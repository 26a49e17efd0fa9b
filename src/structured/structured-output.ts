import { StructuredOutputError } from '../errors/StructuredOutputError.js'
import { compileUserSchema, describeSchemaErrors } from '../protocol/user-schema.js'
import type { FromSchema, JsonSchema } from '../tools/schema-type.js'

/** A chat or generate reply (map or struct), or the text itself. */
export type StructuredSource = string | { message?: { content?: string } } | { response?: string }

/**
 * Parses a reply made with `format` and checks it against the schema. Resolves the
 * data typed from the schema; throws `StructuredOutputError` (with the raw text and
 * ajv's errors) when the text is not JSON or breaks the schema. With `'json'` it
 * only parses.
 *
 * @example
 * const schema = { type: 'object', properties: { city: { type: 'string' }, temp: { type: 'number' } }, required: ['city', 'temp'] }
 * const reply = await client.chat({ model, messages, format: schema })
 * const { city, temp } = parseStructured(reply, schema)   // city: string, temp: number
 */
export function parseStructured<const S extends JsonSchema | 'json'>(source: StructuredSource, format: S): S extends JsonSchema ? FromSchema<S> : unknown {
  const raw = textOf(source)
  let value: unknown
  try {
    value = JSON.parse(stripFence(raw))
  } catch (cause) {
    throw new StructuredOutputError(`The model's answer is not JSON: ${JSON.stringify(raw.slice(0, 200))}${raw.length > 200 ? '…' : ''}`, { code: 'EBADJSON', raw, cause })
  }
  if (format === 'json') return value as never
  const validate = compileUserSchema(format, 'format')
  if (!validate(value)) {
    const errors = [...(validate.errors ?? [])]
    throw new StructuredOutputError(`The model's answer does not match the schema: ${describeSchemaErrors(errors, 'answer')}.`, { code: 'ESCHEMA', raw, errors })
  }
  return value as never
}

/**
 * A schema bundled with its parser: pass `.format` in the request, then `.parse` the
 * reply. Keeps the two from drifting apart.
 *
 * @example
 * const Weather = structured({ type: 'object', properties: { temp: { type: 'number' } }, required: ['temp'] })
 * const { temp } = Weather.parse(await client.chat({ model, messages, format: Weather.format }))
 */
export function structured<const S extends JsonSchema>(schema: S): { format: S; parse(source: StructuredSource): FromSchema<S> } {
  compileUserSchema(schema, 'format') // a broken schema fails here, before any request
  return { format: schema, parse: (source) => parseStructured(source, schema) as FromSchema<S> }
}

function textOf(source: StructuredSource): string {
  if (typeof source === 'string') return source
  const holder = source as { message?: { content?: unknown }; response?: unknown }
  const text = holder?.message?.content ?? holder?.response
  return typeof text === 'string' ? text : ''
}

/** Some models wrap JSON in a Markdown fence even with `format`; the JSON inside is what they meant. */
function stripFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/.exec(text)
  return fenced ? fenced[1]! : text
}
