import { OllixirError } from '../errors/OllixirError.js'

/** One host's part of a call sent to every host. */
export type HostResult<T = unknown> = { host: string; ok: T } | { host: string; error: OllixirError }

/**
 * Runs `call` on every host at once and waits for all. Resolves with each host's
 * result when all succeeded; rejects with an `EFANOUT` error carrying every result
 * (`error.results`) when any failed, so a partial success is never mistaken for a
 * whole one.
 */
export async function fanOut<T>(what: string, hosts: readonly string[], call: (host: string) => Promise<T>): Promise<Array<{ host: string; ok: T }>> {
  const results: HostResult<T>[] = await Promise.all(
    hosts.map((host) =>
      call(host).then(
        (ok) => ({ host, ok }),
        (error: unknown) => ({ host, error: OllixirError.isInstance(error) ? error : new OllixirError(String(error), { cause: error }) }),
      ),
    ),
  )
  const failed = results.filter((result): result is { host: string; error: OllixirError } => 'error' in result)
  if (failed.length === 0) return results as Array<{ host: string; ok: T }>
  const lines = failed.map((result) => `${result.host}: ${result.error.message}`)
  throw Object.assign(new OllixirError(`${what} failed on ${failed.length} of ${hosts.length} hosts:\n  ${lines.join('\n  ')}`, { code: 'EFANOUT' }), { results })
}

type Listed = { model?: string; name?: string } & Record<string, unknown>

/**
 * `list` and `ps` of every host as one answer: one entry per model (by name and
 * digest), with `hosts` naming where it is. Hosts that did not answer are left out;
 * `unreachable` names them.
 */
export function mergeModels(answers: Array<{ host: string; ok: { models?: Listed[] } | undefined }>, unreachable: string[]): { models: Array<Listed & { hosts: string[] }>; unreachable?: string[] } {
  const byKey = new Map<string, Listed & { hosts: string[] }>()
  for (const { host, ok } of answers) {
    for (const model of ok?.models ?? []) {
      const key = `${String(model.model ?? model.name)}@${String(model.digest ?? '')}`
      const seen = byKey.get(key)
      if (seen) seen.hosts.push(host)
      else byKey.set(key, { ...model, hosts: [host] })
    }
  }
  return unreachable.length > 0 ? { models: [...byKey.values()], unreachable } : { models: [...byKey.values()] }
}
