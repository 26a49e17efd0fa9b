import type { InspectionEvent, Observer } from 'xstate'
import type { EndpointName } from './protocol/endpoints.js'
import type { ResponseFormat } from './options.js'
import type { HttpCall } from './transport/open-request.js'
import type { Transport } from './transport/transport.js'
import type { ProgressResponse } from './types/wire.js'

/**
 * The client's working parts, reachable by the request actor through a symbol so
 * they stay out of the public API, of `JSON.stringify(client)` and of inspectors.
 */
export const INTERNALS: unique symbol = Symbol.for('ollixir.internals') as never

/** One call, validated and encoded, with the options resolved against the client's. */
export interface PreparedCall {
  method: EndpointName
  call: HttpCall
  responseFormat: ResponseFormat
  maxLineBytes: number
}

export interface ClientInternals {
  transport: Transport
  inspect: Observer<InspectionEvent> | ((event: InspectionEvent) => void) | undefined
  highWaterMark: number
  /** The client's default; a call's `responseFormat` wins. */
  responseFormat: ResponseFormat
  /**
   * A controller that aborts with the caller's signal and with `client.abort()`.
   * `release` forgets it once the call is over, so finished calls are not retained.
   */
  track(signal: AbortSignal | undefined): { controller: AbortController; release: () => void }
  /** Validates and encodes the request and resolves the call options. */
  prepare(
    method: EndpointName,
    request: Record<string, unknown>,
    stream: boolean | undefined,
    signal: AbortSignal,
    /** Hears progress made before the request is sent (create's file uploads). */
    onProgress?: (chunk: ProgressResponse) => void,
  ): Promise<PreparedCall>
}

export interface HasInternals {
  readonly [INTERNALS]: ClientInternals
}
