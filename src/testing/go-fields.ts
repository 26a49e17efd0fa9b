/**
 * The Go field types decode.ts checks, read from the same declarations the client
 * validates with (src/protocol/wire/): a field declared `string` is a Go `string`, an
 * `integer` or `number` a Go number, and so on. Unions (`think`, `format`, `keep_alive`,
 * `input`) are left out: on the server they have their own `UnmarshalJSON` or are
 * `any`, with their own errors, which the handlers model one by one.
 */
import type { GoType } from './decode.js'

const GO_TYPES: Record<string, GoType> = {
  string: 'string',
  boolean: 'bool',
  integer: 'number',
  number: 'number',
  array: 'array',
  object: 'object',
}

/** `{ model: 'string', messages: 'array', … }` for a request declaration; `extra` adds fields the client sets itself (`stream`). */
export function goFields(declaration: { properties: Record<string, unknown> }, extra: Record<string, GoType> = {}): Record<string, GoType> {
  const fields: Record<string, GoType> = {}
  for (const [name, schema] of Object.entries(declaration.properties)) {
    const type = GO_TYPES[String((schema as { type?: unknown }).type)]
    if (type) fields[name] = type
  }
  return { ...fields, ...extra }
}

/** The client sets `stream` itself, so the declarations leave it out; the server's structs have it (`*bool`). */
export const STREAM = { stream: 'bool' } as const satisfies Record<string, GoType>
