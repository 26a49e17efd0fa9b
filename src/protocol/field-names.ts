import { RequestError } from '../errors/RequestError.js'
import { CALL_OPTION_KEYS } from '../options.js'
import type { EndpointName } from './endpoints.js'
import { REQUEST_SCHEMAS } from './schemas.js'
import { MessageInput } from './wire/messages.js'

/**
 * Misspelt field names, caught before sending. Ollama ignores fields it does not know,
 * so `mesages` instead of `messages` is not an error on the server: the model loads and
 * answers `""` with `done_reason: "load"`. An unknown field a small edit away from a
 * known one is almost surely a typo and is refused with a did-you-mean; any other
 * unknown field passes through, because Ollama adds fields often.
 */

type Properties = Record<string, unknown>

const CALL_OPTIONS: readonly string[] = CALL_OPTION_KEYS
const MESSAGE_FIELDS = Object.keys(MessageInput.properties)

/**
 * Field names of every request type: a field another endpoint knows (`suffix` on chat,
 * say) is a deliberate choice, not a typo of a neighbour, so it passes.
 */
const EVERY_REQUEST_FIELD = new Set(
  [...Object.values(REQUEST_SCHEMAS).flatMap((schema) => Object.keys((schema?.properties ?? {}) as Properties)), ...CALL_OPTIONS, ...MESSAGE_FIELDS],
)

/** Throws a `RequestError` for the first field of `request` (or of a chat message) that looks misspelt. */
export function checkFieldNames(method: EndpointName, request: Record<string, unknown>): void {
  const schema = REQUEST_SCHEMAS[method]
  if (!schema) return
  const known = [...Object.keys((schema.properties ?? {}) as Properties), ...CALL_OPTIONS]
  checkKeys(method, request, known, '')
  if (method !== 'chat' || !Array.isArray(request.messages)) return
  request.messages.forEach((message: unknown, index) => {
    if (message && typeof message === 'object') checkKeys(method, message as Record<string, unknown>, MESSAGE_FIELDS, `messages[${index}].`)
  })
}

function checkKeys(method: EndpointName, object: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key) || EVERY_REQUEST_FIELD.has(key)) continue
    const suggestion = closest(key, known)
    if (suggestion === undefined) continue
    throw new RequestError(
      `Invalid ${method} request: ${prefix}${key} is not a field of Ollama's ${method} request. Did you mean '${suggestion}'? (Ollama ignores unknown fields, so it would have been dropped silently; pass validate: false to send it anyway.)`,
      { field: `${prefix}${key}` },
    )
  }
}

/**
 * The known name closest to `name`, if it is close enough to be a typo: at most one edit
 * for names of four letters or fewer, two otherwise (a swap of neighbours is one edit).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of known) {
    const limit = Math.min(name.length, candidate.length) <= 4 ? 1 : 2
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase())
    if (distance <= limit && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}

/** Damerau–Levenshtein distance, optimal string alignment form: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1)
      d[i]![j] = value
    }
  }
  return d[a.length]![b.length]!
}
