/**
 * Which host served a reply. Kept beside the reply rather than in it: a reply stays
 * exactly Ollama's JSON (`JSON.stringify`, deep equality and the wire types unchanged).
 */
const SERVED_BY = new WeakMap<object, string>()

/** Notes that `host` served `reply` (a plain reply, a struct, a stream or a Task). */
export function markServedBy<T>(reply: T, host: string): T {
  if (typeof reply === 'object' && reply !== null) SERVED_BY.set(reply, host)
  return reply
}

/**
 * The base URL of the server that answered `reply`: any reply, struct, chunk stream
 * or Task of a client, with one host or several. `undefined` for anything else.
 *
 * @example
 * const reply = await client.chat({ model, messages })
 * servedBy(reply) // 'http://gpu2:11434'
 */
export function servedBy(reply: unknown): string | undefined {
  if (typeof reply !== 'object' || reply === null) return undefined
  const host = (reply as { host?: unknown }).host
  return SERVED_BY.get(reply) ?? (isTaskLike(reply) && typeof host === 'string' ? host : undefined)
}

function isTaskLike(value: object): boolean {
  return 'actor' in value || 'task' in value
}
