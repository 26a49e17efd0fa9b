import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { RequestError } from '../errors/RequestError.js'
import { pointerToPath } from './field-path.js'

/**
 * Schemas written by users (tool parameters, structured-output formats) get their own
 * ajv instance: `allErrors` so a model is told everything wrong with its call at
 * once, no logger so an unknown keyword or format never reaches the console.
 */
let ajv: Ajv | undefined
const compiled = new WeakMap<object, ValidateFunction>()

/**
 * Compiles a user's JSON Schema once (cached by identity). `where` names it in the
 * `RequestError` thrown for a schema ajv cannot compile, e.g.
 * `tools.get_weather.parameters`. `$schema` is ignored: models produce draft-07 and
 * 2020-12 alike, and the keywords people use mean the same in both.
 */
export function compileUserSchema(schema: object, where: string): ValidateFunction {
  const cached = compiled.get(schema)
  if (cached) return cached
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new RequestError(`${where} must be a JSON Schema object; got ${schema === null ? 'null' : Array.isArray(schema) ? 'an array' : typeof schema}.`, { field: where })
  }
  const { $schema: _ignored, $id: _id, ...rest } = schema as Record<string, unknown>
  let validate: ValidateFunction
  try {
    ajv ??= new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false })
    validate = ajv.compile(rest)
  } catch (cause) {
    if (cause instanceof EvalError) throw evalForbidden(where, cause)
    throw new RequestError(`${where} is not a valid JSON Schema: ${(cause as Error).message}`, { field: where, cause })
  }
  compiled.set(schema, validate)
  return validate
}

/**
 * ajv turns a schema into a function with `new Function`; a page whose
 * Content-Security-Policy has no 'unsafe-eval' forbids that. Request validation does not
 * need it (its validators are generated at build time); a user's schema does.
 */
function evalForbidden(where: string, cause: EvalError): RequestError {
  return new RequestError(
    `${where} cannot be compiled here: ajv compiles JSON Schemas with \`new Function\`, which this page's Content-Security-Policy forbids. ` +
      "Add 'unsafe-eval' to the page's script-src to check tool arguments and structured outputs against their schemas. (Requests are still validated: their checks are compiled at build time.)",
    { code: 'EUNSAFEEVAL', field: where, cause },
  )
}

/**
 * ajv's errors as one sentence a person (or a model correcting its own output) can
 * act on: `city is required; units must be one of "metric", "imperial"`. `root`
 * names the value, e.g. `arguments`.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, root: string): string {
  const parts = new Set<string>()
  for (const error of errors ?? []) {
    // anyOf/oneOf failures repeat what their branches already said.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue
    parts.add(describeOne(error, root))
  }
  if (parts.size === 0 && errors?.[0]) parts.add(describeOne(errors[0], root))
  return [...parts].join('; ') || `${root} is invalid`
}

function describeOne(error: ErrorObject, root: string): string {
  const path = root + pointerToPath(error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `${path}.${String(params.missingProperty)} is required`
    case 'additionalProperties':
      return `${path} has an unexpected property "${String(params.additionalProperty)}"`
    case 'enum':
      return `${path} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`
    case 'const':
      return `${path} must be ${JSON.stringify(params.allowedValue)}`
    default:
      return `${path} ${error.message ?? 'is invalid'}`
  }
}
