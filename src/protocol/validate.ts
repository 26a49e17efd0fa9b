import type { ErrorObject } from 'ajv'
import { RequestError } from '../errors/RequestError.js'
import type { EndpointName } from './endpoints.js'
import { pointerToPath } from './field-path.js'
import { REQUEST_VALIDATORS } from './request-validators.generated.js'

/**
 * Throws a `RequestError` naming the first bad field and what was wrong with it, e.g.
 * `Invalid chat request: options.temperature must be number.` The validators are ajv's
 * standalone code, generated at build time from schemas.ts (`npm run
 * generate:validators`): nothing is compiled at run time, so validation also works on a
 * page whose Content-Security-Policy forbids 'unsafe-eval', and no ajv compiler ships.
 */
export function validateRequest(method: EndpointName, body: unknown): void {
  const validate = REQUEST_VALIDATORS[method]
  if (!validate) return
  if (validate(body)) return
  const error = pickError(validate.errors ?? [])
  const field = fieldPath(error)
  throw new RequestError(`Invalid ${method} request: ${describe(error, field)}.`, { field, cause: validate.errors })
}

/**
 * ajv stops at the first failing keyword, so the last error is the one that failed the
 * request; the ones before it come from the branches of an `anyOf`. A branch that got
 * further into the value than the union itself (`stop: ['a', 1]` → `options.stop[1]`)
 * says more than the union; a union of `required`s (`model` or `name`) reads best as its
 * first branch; otherwise the union is described as a whole.
 */
function pickError(errors: ErrorObject[]): ErrorObject {
  const last = errors[errors.length - 1]!
  if (last.keyword !== 'anyOf') return last
  const branches = errors.slice(0, -1)
  const deeper = branches.filter((e) => e.instancePath.length > last.instancePath.length)
  if (deeper.length > 0) return deeper.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a))
  if (branches.length > 0 && branches.every((e) => e.keyword === 'required')) return branches[0]!
  return last
}

/** `/messages/0/role` → `messages[0].role`; a missing property names itself. */
function fieldPath(error: ErrorObject): string {
  let path = pointerToPath(error.instancePath)
  if (error.keyword === 'required') path += `.${(error.params as { missingProperty: string }).missingProperty}`
  return path.replace(/^\./, '') || '(request)'
}

function describe(error: ErrorObject, field: string): string {
  const params = error.params as Record<string, unknown>
  const schema = (error.parentSchema ?? {}) as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `${field} is required`
    case 'type':
      return `${field} must be ${typeName(params.type)}`
    case 'enum':
      return `${field} must be ${alternatives((params.allowedValues as unknown[]).map(show))}; got ${show(error.data)}`
    case 'anyOf':
      return `${field} must be ${typeof schema['x-expected'] === 'string' ? schema['x-expected'] : 'of another type'}; got ${show(error.data)}`
    case 'minLength':
      return params.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${String(params.limit)} characters long`
    case 'minimum':
    case 'maximum':
      return `${field} must be ${range(schema)}; got ${show(error.data)}`
    case 'pattern':
      return `${field} has an invalid form; got ${show(error.data)}`
    default:
      return `${field} ${error.message ?? 'is invalid'}`
  }
}

/** ajv's `string,number` → `string or number`. */
function typeName(type: unknown): string {
  return alternatives(String(type).split(','))
}

function alternatives(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`
}

function range(schema: Record<string, unknown>): string {
  const { minimum, maximum } = schema
  if (typeof minimum === 'number' && typeof maximum === 'number') return `from ${minimum} to ${maximum}`
  if (typeof minimum === 'number') return `>= ${minimum}`
  return `<= ${String(maximum)}`
}

/** A short, quoted rendering of a user's value for the message (never the whole of a big one). */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Uint8Array) return 'bytes'
  if (typeof value === 'object') return 'an object'
  return String(value)
}
