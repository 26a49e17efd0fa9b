import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { RequestError } from '../errors/RequestError.js'
import type { EndpointName } from './endpoints.js'
import { REQUEST_SCHEMAS } from './schemas.js'

const ajv = new Ajv({ allErrors: false, strict: false })
const compiled = new Map<EndpointName, ValidateFunction>()

/** Throws a `RequestError` naming the first bad field, e.g. `messages[0].role`. */
export function validateRequest(method: EndpointName, body: unknown): void {
  const schema = REQUEST_SCHEMAS[method]
  if (!schema) return
  let validate = compiled.get(method)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(method, validate)
  }
  if (validate(body)) return
  const error = pickError(validate.errors ?? [])
  const field = fieldPath(error)
  throw new RequestError(`Invalid ${method} request: ${describe(error, field)}.`, { field, cause: validate.errors })
}

/** With `anyOf`, ajv reports every branch; the first specific error reads best. */
function pickError(errors: ErrorObject[]): ErrorObject {
  return errors.find((e) => e.keyword !== 'anyOf') ?? errors[0]!
}

/** `/messages/0/role` → `messages[0].role`; a missing property names itself. */
function fieldPath(error: ErrorObject): string {
  let path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
  if (error.keyword === 'required') path += `.${(error.params as { missingProperty: string }).missingProperty}`
  return path.replace(/^\./, '') || '(request)'
}

function describe(error: ErrorObject, field: string): string {
  if (error.keyword === 'required') return `${field} is required`
  return `${field} ${error.message ?? 'is invalid'}`
}
