/** One server of a pool: a host form `parseHost` accepts, or one with its own key, headers and slots. */
export type HostSpec = string | HostConfig

export interface HostConfig {
  host: string
  /** Sent to this host only, as `Authorization: Bearer <key>`; wins over the client's `apiKey`. */
  apiKey?: string | undefined
  /** Merged over the client's `headers` for this host. */
  headers?: Record<string, string> | undefined
  /** Requests this host runs at once (its OLLAMA_NUM_PARALLEL); default `pool.slots`. */
  slots?: number | undefined
}

export interface PoolOptions {
  /**
   * Requests one host runs at once, unless the host says otherwise. Ollama has no API
   * that reports OLLAMA_NUM_PARALLEL, so this is a setting. Default 4.
   */
  slots?: number | undefined
  /** Calls that may wait for a free slot; one more is refused with `EQUEUEFULL`. Default 1024. */
  queueLimit?: number | undefined
  /** Milliseconds between refreshes of each host's models (`/api/ps`, `/api/tags`), ±20 % jitter. Default 30 000. */
  refreshInterval?: number | undefined
  /** First wait before a down host is probed (`GET /api/version`); doubled per failed probe. Default 500. */
  probeDelay?: number | undefined
  /** Longest wait between probes. Default 30 000. */
  maxProbeDelay?: number | undefined
  /** How long a host that answered 503 (busy) is passed over while others are free. Default 5 000. */
  degradedFor?: number | undefined
  /**
   * A model loaded on some hosts stays on them while fewer than this many times their
   * slots calls for it wait; then hosts that have it pulled load it too. `Infinity`
   * never loads a model elsewhere while it is loaded somewhere. Default 4.
   */
  spillFactor?: number | undefined
}

export const POOL_DEFAULTS: Required<PoolOptions> = {
  slots: 4,
  queueLimit: 1024,
  refreshInterval: 30_000,
  probeDelay: 500,
  maxProbeDelay: 30_000,
  degradedFor: 5_000,
  spillFactor: 4,
}
