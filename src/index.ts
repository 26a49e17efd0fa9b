/**
 * ollixir: an Ollama client whose streams are XState v5 actors with Elixir's
 * process semantics. See README.md for the tour.
 */
import { Ollixir } from './client.js'

export { Ollixir }
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

/** A client for `OLLAMA_HOST` (else http://127.0.0.1:11434), like ollama-js's default export. */
const defaultClient: Ollixir = Ollixir.init()
export default defaultClient
