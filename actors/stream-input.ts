import { RequestError } from '../src/errors/RequestError.js'
import { INTERNALS, type HasInternals } from '../src/internals.js'
import { isStreamMethod } from '../src/protocol/endpoints.js'

/**
 * Checks of what users hand to the actors and machine factories. A wrong `client`
 * (a host string, `{ host }`, the class itself) would otherwise surface as a
 * `TypeError` deep inside a request, or crash the process from an actor's start.
 */

/** Whether `value` is a client made by `Ollixir.init()` / `new Ollixir()` (from any copy of the package). */
export function isClient(value: unknown): value is HasInternals {
  return typeof value === 'object' && value !== null && typeof (value as Partial<HasInternals>)[INTERNALS]?.prepare === 'function'
}

/** Says what `value` is, for a message: `the string 'localhost'`, `the Ollixir class`, `an object without …`. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`
  if (typeof value === 'function') return `${value.name ? `the ${value.name} class or function` : 'a function'} (not an instance)`
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).slice(0, 5).map((key) => `'${key}'`).join(', ') || '(none)'}`
  return `${typeof value} ${String(value)}`
}

/** A `RequestError` (`EINVALID`, `field: 'client'`) unless `client` is a client instance. */
export function clientProblem(client: unknown, where: string): RequestError | undefined {
  if (isClient(client)) return undefined
  return new RequestError(`${where}: client must be an Ollixir client (Ollixir.init(…) or new Ollixir(…)); got ${describe(client)}.`, { field: 'client' })
}

/** Throws the `clientProblem`, for factories that can refuse synchronously. */
export function assertClient(client: unknown, where: string): asserts client is HasInternals {
  const problem = clientProblem(client, where)
  if (problem) throw problem
}

/** The first thing wrong with `ollamaStream`'s input, as the `RequestError` its parent will receive. */
export function streamInputProblem(input: unknown): RequestError | undefined {
  if (typeof input !== 'object' || input === null) {
    return new RequestError(`ollamaStream needs input { client, method, request }; got ${describe(input)}.`, { field: 'input' })
  }
  const { client, method, request } = input as Record<string, unknown>
  const problem = clientProblem(client, 'ollamaStream')
  if (problem) return problem
  if (typeof method !== 'string' || !isStreamMethod(method)) {
    return new RequestError(`ollamaStream: method must be 'chat', 'generate', 'create', 'pull' or 'push'; got ${describe(method)}.`, { field: 'method' })
  }
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return new RequestError(`ollamaStream: request must be the ${method} request object; got ${Array.isArray(request) ? 'an array' : describe(request)}.`, { field: 'request' })
  }
  return undefined
}
