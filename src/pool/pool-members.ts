import { RequestError } from '../errors/RequestError.js'
import { parseHost } from '../host.js'
import type { HostSpec } from './pool-options.js'

/** One server of a pool as the client keeps it: key and headers resolved, never shown. */
export interface PoolMember {
  host: string
  apiKey: string | undefined
  headers: Record<string, string>
  slots: number
}

/** `hosts` as given, normalised: the client's `apiKey` and `headers` apply unless a host has its own. */
export function poolMembers(specs: readonly HostSpec[], defaults: { apiKey: string | undefined; headers: Record<string, string>; slots: number }): PoolMember[] {
  const members = specs.map((spec, index): PoolMember => {
    const config = typeof spec === 'string' ? { host: spec } : spec
    if (!config || typeof config.host !== 'string') throw new RequestError(`hosts[${index}] must be a host string or { host, apiKey?, headers?, slots? }.`, { field: `hosts[${index}]` })
    const slots = config.slots ?? defaults.slots
    if (!Number.isInteger(slots) || slots < 1) throw new RequestError(`hosts[${index}].slots must be a positive integer (got ${String(slots)}).`, { field: `hosts[${index}].slots` })
    return { host: parseHost(config.host), apiKey: config.apiKey ?? defaults.apiKey, headers: { ...defaults.headers, ...config.headers }, slots }
  })
  const seen = new Set<string>()
  for (const [index, member] of members.entries()) {
    if (seen.has(member.host)) throw new RequestError(`hosts[${index}] repeats ${member.host}; list each server once (raise its \`slots\` instead).`, { field: `hosts[${index}]` })
    seen.add(member.host)
  }
  return members
}
