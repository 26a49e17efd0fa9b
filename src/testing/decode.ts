/**
 * Request-body decoding the way Ollama's handlers see it: gin's `ShouldBindJSON`
 * (Go `encoding/json`) into a request struct. The fake reproduces the status (400)
 * and, approximately, the message of Go's decoder:
 * - empty body -> `missing request body` (io.EOF, checked by every handler)
 * - malformed JSON -> `invalid character 'x' looking for beginning of value` / `unexpected EOF`
 * - a non-object -> `json: cannot unmarshal array into Go value of type api.ChatRequest`
 * - a field of the wrong type -> `json: cannot unmarshal number into Go struct field ChatRequest.model of type string`
 * (`null` decodes to the zero value without error, as in Go.)
 * The handlers take the checked fields from the client's own request declarations
 * (go-fields.ts); what the server does after decoding stays the handlers' own.
 */
import { MISSING_BODY } from './ollama-errors.js'

/** Go field types the fake checks. */
export type GoType = 'string' | 'bool' | 'array' | 'object' | 'number'

export type Decoded = { ok: true; value: Record<string, unknown> } | { ok: false; error: string }

const GO_TYPE_NAMES: Record<GoType, string> = {
  string: 'string',
  bool: 'bool',
  array: '[]interface {}',
  object: 'map[string]interface {}',
  number: 'int',
}

/**
 * Decodes `raw` as the Go struct `structName` whose checked fields are `fields`.
 * Fields not listed are accepted as they are (and recorded unchanged anyway).
 */
export function decodeBody(raw: Buffer, structName: string, fields: Record<string, GoType> = {}): Decoded {
  const text = raw.toString('utf8')
  if (text.trim() === '') return { ok: false, error: MISSING_BODY }

  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    return { ok: false, error: goSyntaxError(text, err) }
  }

  if (value === null) return { ok: true, value: {} }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: `json: cannot unmarshal ${jsonKind(value)} into Go value of type api.${structName}` }
  }

  const obj = value as Record<string, unknown>
  for (const [field, type] of Object.entries(fields)) {
    const v = obj[field]
    if (v === undefined || v === null || matches(v, type)) continue
    return {
      ok: false,
      error: `json: cannot unmarshal ${jsonKind(v)} into Go struct field ${structName}.${field} of type ${GO_TYPE_NAMES[type]}`,
    }
  }
  return { ok: true, value: obj }
}

/** Parses a body as JSON for recording; `undefined` when it is not JSON. */
export function tryParseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined
  try {
    return JSON.parse(raw.toString('utf8'))
  } catch {
    return undefined
  }
}

function matches(v: unknown, type: GoType): boolean {
  switch (type) {
    case 'string':
      return typeof v === 'string'
    case 'bool':
      return typeof v === 'boolean'
    case 'number':
      return typeof v === 'number'
    case 'array':
      return Array.isArray(v)
    case 'object':
      return typeof v === 'object' && !Array.isArray(v)
  }
}

/** The kind names Go's `UnmarshalTypeError` uses. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  switch (typeof v) {
    case 'string':
      return 'string'
    case 'number':
      return 'number'
    case 'boolean':
      return 'bool'
    default:
      return 'object'
  }
}

/** Go-flavoured syntax error text; the exact wording of Go's scanner is approximated. */
function goSyntaxError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  if (/end of (JSON )?input|Unterminated/i.test(message)) return 'unexpected EOF'
  const at = /position (\d+)/.exec(message)
  const index = at ? Number(at[1]) : text.search(/\S/)
  const ch = text.charAt(Math.max(0, index))
  return `invalid character '${ch}' looking for beginning of value`
}
