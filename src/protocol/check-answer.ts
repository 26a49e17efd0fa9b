import { RequestError } from '../errors/RequestError.js'
import { ResponseError } from '../errors/ResponseError.js'
import { stripBom } from './bom.js'
import { ENDPOINTS, type AnswerShape, type EndpointName } from './endpoints.js'
import { quoteServerText, RAW_BODY_MAX_CHARS } from './server-text.js'

/** How much of a malformed answer the error message quotes. */
const QUOTE_CHARS = 200

/**
 * Turns the text of a whole (non-streamed) answer into the reply, or rejects it:
 * `{"error": …}` is a `ResponseError`; text that is not JSON is `EBADJSON`; JSON that
 * is not an object of the shape the method answers with (`ENDPOINTS[method].answer`:
 * a 204, an empty body, `42`, `null`, an array, a chat reply without `message`) is a
 * `RequestError` `EBADANSWER` quoting what came. A cheap look at the top-level
 * fields, not a schema: it keeps a broken proxy's answer from passing for Ollama's.
 * Only methods whose answer may be empty (copy, delete) resolve with `undefined`.
 */
export function readAnswer(method: EndpointName, status: number, text: string, what: string): Record<string, unknown> | undefined {
  const shape: AnswerShape = ENDPOINTS[method].answer
  const json = stripBom(text)
  if (json.trim() === '') {
    if (shape.emptyOk) return undefined
    throw badAnswer(what, status, text, 'an empty body')
  }
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (cause) {
    throw new RequestError(`Ollama's answer to ${what} is not JSON: ${quote(text)}`, { code: 'EBADJSON', cause })
  }
  if (value === null && shape.nullOk) return undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badAnswer(what, status, text, Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`)
  }
  const answer = value as Record<string, unknown>
  if (typeof answer.error === 'string') {
    throw new ResponseError(quoteServerText(answer.error), status, { body: text.slice(0, RAW_BODY_MAX_CHARS) })
  }
  const fields = Object.entries(shape.anyOf ?? {})
  if (fields.length > 0 && !fields.some(([name, kind]) => hasKind(answer[name], kind))) {
    const wanted = fields.map(([name, kind]) => `\`${name}\` (${kind})`).join(' or ')
    throw badAnswer(what, status, text, `an object without ${wanted}`)
  }
  return answer
}

function hasKind(value: unknown, kind: 'object' | 'array' | 'string' | 'boolean'): boolean {
  if (kind === 'array') return Array.isArray(value)
  if (kind === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value)
  return typeof value === kind
}

function badAnswer(what: string, status: number, text: string, found: string): RequestError {
  const came = text === '' ? '' : `: ${quote(text)}`
  return new RequestError(`Ollama's answer to ${what} (HTTP ${status}) is ${found}, not the reply Ollama sends${came}`, { code: 'EBADANSWER' })
}

/** A JSON string literal of the start of the text: quotes, escapes and bounded length make its edges plain. */
function quote(text: string): string {
  return JSON.stringify(quoteServerText(text, QUOTE_CHARS))
}
