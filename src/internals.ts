import type { InspectionEvent, Observer } from 'xstate'
import type { EndpointName } from './protocol/endpoints.js'
import type { ResponseFormat } from './options.js'
import type { RoutedCall } from './pool/open-routed.js'
import type { HttpCall, OpenResponse } from './transport/open-request.js'
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
  /** With `hosts`: how to send the call to any of them (`call` is then its template). */
  routed?: RoutedCall
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
  /**
   * Opens the prepared call: on the client's host, or on the pool's best one (the
   * answer says which). `request` names the call for the inspector (a task id).
   */
  open(prepared: PreparedCall, request: string): Promise<OpenResponse & { host: string; routed?: boolean }>
  /** The client's host; with `hosts`, the host of the last call. */
  readonly host: string
  /** Whether the client has `hosts` (calls are routed by a pool). */
  pooled: boolean
}

export interface HasInternals {
  readonly [INTERNALS]: ClientInternals
}
