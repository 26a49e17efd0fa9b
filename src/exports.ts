/**
 * Everything both entries export, but the client class: `index.ts` (Node) and
 * `browser.ts` (fetch runtimes) each add their own `Ollixir`.
 */
export type { BlobSource, Call, ChatCall, CreateCall, GenerateCall, PullCall, PushCall, StatusResponse, StreamCall, StreamTarget } from './client.js'
export type { CallOptions, ClientOptions, ResponseFormat, RetryOptions } from './options.js'
export { DEFAULT_MAX_LINE_BYTES, DEFAULT_TIMEOUT_MS } from './options.js'
export { parseHost } from './host.js'
export { mergeOptions, presets } from './options-presets.js'
export type { PresetName } from './options-presets.js'
export * from './errors/index.js'
export * from './types/index.js'
export * from './tools/index.js'
export { parseStructured, structured } from './structured/structured-output.js'
export type { StructuredSource } from './structured/structured-output.js'
export * from '../actors/index.js'
export { createTraceInspector } from './inspect/trace-inspector.js'
export type { FormatTraceOptions, TraceActor, TraceActorKind, TraceEntry, TraceInspector, TraceInspectorOptions, TraceOutcome, TraceOutput } from './inspect/trace-inspector.js'
export { VERSION } from './version.js'
export { servedBy } from './pool/served-by.js'
export type { HostSpec, HostConfig, PoolOptions } from './pool/pool-options.js'
export type { HostView, RouteReason } from './pool/router.js'
export type { HostContext, HostState } from './pool/host-machine.js'
export type { PoolContext } from './pool/pool-machine.js'
