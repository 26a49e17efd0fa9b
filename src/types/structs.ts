/**
 * Response classes for `responseFormat: 'struct'`.
 *
 * Each instance *is* the wire object: its own enumerable properties are
 * exactly the wire fields (same snake_case names, same order, unknown fields
 * included), so `JSON.stringify(struct)` gives back the wire JSON. Everything
 * the classes add — camelCase getters and methods — lives on the prototype.
 * The fields are not restated here: each class merges with an interface that extends
 * its wire type (the one declaration in src/protocol/wire/), replacing only the nested
 * values that become classes. An interface adds types and no class-field initializers,
 * which would create `undefined` own properties and reorder the keys.
 *
 * Conversion is shallow on purpose (it runs per stream chunk): nested values
 * that become classes (message, tool_calls, details, models, messages) get
 * fresh objects; every other nested value (logprobs, model_info, …) is shared
 * with the wire object it came from. The input is never mutated.
 */
import type * as W from './wire.js'

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/**
 * Copies every wire field onto `target` as an own property, in wire order.
 * Object.assign is the fast path; it throws only when a wire field has the
 * same name as one of our read-only getters (Ollama added a field we also
 * compute). Then the field is defined as an own property, so the wire value
 * wins and shadows the getter for this instance.
 */
function assignWire(target: object, wire: object): void {
  try {
    Object.assign(target, wire)
  } catch {
    for (const [key, value] of Object.entries(wire)) {
      Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
    }
  }
}

/** Ollama reports durations in nanoseconds. */
function nsToMs(ns: number | undefined): number | undefined {
  return ns === undefined ? undefined : ns / 1e6
}

/** Tokens per second, or undefined when either number is missing or zero. */
function rate(count: number | undefined, durationNs: number | undefined): number | undefined {
  return count && durationNs ? count / (durationNs / 1e9) : undefined
}

/** RFC 3339 string → Date; undefined when absent. */
function toDate(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value)
}

/** Converts an optional array with `from`, keeping null/undefined as they are. */
function mapArray<T, U>(items: readonly T[] | null | undefined, from: (item: T) => U): U[] | undefined {
  return items ? items.map(from) : (items as undefined)
}

/** `name` matches `wanted` exactly, or `wanted` has no tag and `name` is its ':latest'. */
function sameModelName(name: string, wanted: string): boolean {
  return name === wanted || (!wanted.includes(':') && name === `${wanted}:latest`)
}

// ---------------------------------------------------------------------------
// Messages and tool calls
// ---------------------------------------------------------------------------

/** A tool call the model asked for. */
export interface ToolCall extends W.ToolCall {}
export class ToolCall {
  constructor(wire: W.ToolCall) {
    assignWire(this, wire)
  }

  static from(wire: W.ToolCall): ToolCall {
    return wire instanceof ToolCall ? wire : new ToolCall(wire)
  }

  /** Name of the function to call. */
  get name(): string {
    return this.function.name
  }

  /** Arguments as an object ('arguments' itself would read ambiguously in JS). */
  get args(): Record<string, unknown> {
    return this.function.arguments
  }
}

/** A chat message. */
export interface Message extends Omit<W.Message, 'tool_calls'> {
  tool_calls?: ToolCall[]
}
export class Message {
  constructor(wire: W.Message) {
    assignWire(this, wire)
    if (wire.tool_calls) this.tool_calls = wire.tool_calls.map(ToolCall.from)
  }

  static from(wire: W.Message): Message {
    return wire instanceof Message ? wire : new Message(wire)
  }

  /** The message text ('' when absent). */
  get text(): string {
    return this.content ?? ''
  }

  /** The tool calls ([] when none). */
  get toolCalls(): ToolCall[] {
    return this.tool_calls ?? []
  }

  /** True when the message asks for at least one tool call. */
  get hasToolCalls(): boolean {
    return (this.tool_calls?.length ?? 0) > 0
  }
}

// ---------------------------------------------------------------------------
// Chat and generate
// ---------------------------------------------------------------------------

/** Timing getters shared by chat and generate responses (no own fields). */
export interface GenerationMetrics extends W.Metrics, Pick<W.ChatResponse, 'created_at'> {}
export abstract class GenerationMetrics {
  /** `created_at` as a Date. */
  get createdAt(): Date | undefined {
    return toDate(this.created_at)
  }

  /** `total_duration` in milliseconds. */
  get totalDurationMs(): number | undefined {
    return nsToMs(this.total_duration)
  }

  /** `load_duration` in milliseconds. */
  get loadDurationMs(): number | undefined {
    return nsToMs(this.load_duration)
  }

  /** `prompt_eval_duration` in milliseconds. */
  get promptEvalDurationMs(): number | undefined {
    return nsToMs(this.prompt_eval_duration)
  }

  /** `eval_duration` in milliseconds. */
  get evalDurationMs(): number | undefined {
    return nsToMs(this.eval_duration)
  }

  /** Generation speed: eval_count / eval_duration, in tokens per second. */
  get tokensPerSecond(): number | undefined {
    return rate(this.eval_count, this.eval_duration)
  }

  /** Prompt processing speed, in tokens per second. */
  get promptTokensPerSecond(): number | undefined {
    return rate(this.prompt_eval_count, this.prompt_eval_duration)
  }
}

/** Response, or stream chunk, of `chat`. */
export interface ChatResponse extends Omit<W.ChatResponse, 'message'> {
  message: Message
}
export class ChatResponse extends GenerationMetrics {
  constructor(wire: W.ChatResponse) {
    super()
    assignWire(this, wire)
    if (wire.message) this.message = Message.from(wire.message)
  }

  static from(wire: W.ChatResponse): ChatResponse {
    return wire instanceof ChatResponse ? wire : new ChatResponse(wire)
  }

  /** The message text (of this chunk, when streaming). */
  get text(): string {
    return this.message?.content ?? ''
  }

  /** The thinking text (of this chunk, when streaming). */
  get thinkingText(): string {
    return this.message?.thinking ?? ''
  }

  /** Tool calls of the message ([] when none). */
  get toolCalls(): ToolCall[] {
    return this.message?.tool_calls ?? []
  }
}

/** Response, or stream chunk, of `generate`. */
export interface GenerateResponse extends Omit<W.GenerateResponse, 'tool_calls'> {
  tool_calls?: ToolCall[]
}
export class GenerateResponse extends GenerationMetrics {
  constructor(wire: W.GenerateResponse) {
    super()
    assignWire(this, wire)
    if (wire.tool_calls) this.tool_calls = wire.tool_calls.map(ToolCall.from)
  }

  static from(wire: W.GenerateResponse): GenerateResponse {
    return wire instanceof GenerateResponse ? wire : new GenerateResponse(wire)
  }

  /** The generated text (of this chunk, when streaming). */
  get text(): string {
    return this.response ?? ''
  }

  /** The thinking text (of this chunk, when streaming). */
  get thinkingText(): string {
    return this.thinking ?? ''
  }

  /** Tool calls ([] when none). */
  get toolCalls(): ToolCall[] {
    return this.tool_calls ?? []
  }
}

// ---------------------------------------------------------------------------
// Embeddings
// ---------------------------------------------------------------------------

/** Response of `embed`. */
export interface EmbedResponse extends W.EmbedResponse {}
export class EmbedResponse {
  constructor(wire: W.EmbedResponse) {
    assignWire(this, wire)
  }

  static from(wire: W.EmbedResponse): EmbedResponse {
    return wire instanceof EmbedResponse ? wire : new EmbedResponse(wire)
  }

  /** Length of each vector (0 when there are none). */
  get dimensions(): number {
    return this.embeddings?.[0]?.length ?? 0
  }

  /** Number of vectors (one per input). */
  get count(): number {
    return this.embeddings?.length ?? 0
  }

  /** `total_duration` in milliseconds. */
  get totalDurationMs(): number | undefined {
    return nsToMs(this.total_duration)
  }

  /** `load_duration` in milliseconds. */
  get loadDurationMs(): number | undefined {
    return nsToMs(this.load_duration)
  }
}

/** Response of the legacy `embeddings`. */
export interface EmbeddingsResponse extends W.EmbeddingsResponse {}
export class EmbeddingsResponse {
  constructor(wire: W.EmbeddingsResponse) {
    assignWire(this, wire)
  }

  static from(wire: W.EmbeddingsResponse): EmbeddingsResponse {
    return wire instanceof EmbeddingsResponse ? wire : new EmbeddingsResponse(wire)
  }

  /** Length of the vector. */
  get dimensions(): number {
    return this.embedding?.length ?? 0
  }
}

// ---------------------------------------------------------------------------
// Models: list, ps, show
// ---------------------------------------------------------------------------

/** Format and size facts about a model. */
export interface ModelDetails extends W.ModelDetails {}
export class ModelDetails {
  constructor(wire: W.ModelDetails) {
    assignWire(this, wire)
  }

  static from(wire: W.ModelDetails): ModelDetails {
    return wire instanceof ModelDetails ? wire : new ModelDetails(wire)
  }
}

/** One local model of `list`. */
export interface ModelResponse extends Omit<W.ModelResponse, 'details'> {
  details: ModelDetails
}
export class ModelResponse {
  constructor(wire: W.ModelResponse) {
    assignWire(this, wire)
    if (wire.details) this.details = ModelDetails.from(wire.details)
  }

  static from(wire: W.ModelResponse): ModelResponse {
    return wire instanceof ModelResponse ? wire : new ModelResponse(wire)
  }

  /** `modified_at` as a Date. */
  get modifiedAt(): Date | undefined {
    return toDate(this.modified_at)
  }

  /** True for a model served by a remote Ollama (not stored locally). */
  get isRemote(): boolean {
    return Boolean(this.remote_host)
  }
}

/** What `list` and `ps` share: a list of named models to look up. */
abstract class ModelList<M extends { name: string; model: string }> {
  declare models: M[]

  /** Names of the models, e.g. ['llama3.2:latest']. */
  names(): string[] {
    return this.models.map((m) => m.name)
  }

  /** The model with this name ('llama3.2' also finds 'llama3.2:latest'). */
  find(name: string): M | undefined {
    return this.models.find((m) => sameModelName(m.name, name) || sameModelName(m.model, name))
  }
}

/** Response of `list`. */
export interface ListResponse extends Omit<W.ListResponse, 'models'> {}
export class ListResponse extends ModelList<ModelResponse> {
  constructor(wire: W.ListResponse) {
    super()
    assignWire(this, wire)
    // Ollama sends `"models": []`, but a null from an old server must not crash.
    this.models = mapArray(wire.models, ModelResponse.from) ?? []
  }

  static from(wire: W.ListResponse): ListResponse {
    return wire instanceof ListResponse ? wire : new ListResponse(wire)
  }
}

/** One loaded model of `ps`. */
export interface RunningModel extends Omit<W.RunningModel, 'details'> {
  details: ModelDetails
}
export class RunningModel {
  constructor(wire: W.RunningModel) {
    assignWire(this, wire)
    if (wire.details) this.details = ModelDetails.from(wire.details)
  }

  static from(wire: W.RunningModel): RunningModel {
    return wire instanceof RunningModel ? wire : new RunningModel(wire)
  }

  /** `expires_at` as a Date. */
  get expiresAt(): Date | undefined {
    return toDate(this.expires_at)
  }

  /** Share of the model held in GPU memory, 0–1 (undefined when size is 0). */
  get gpuFraction(): number | undefined {
    return this.size ? (this.size_vram ?? 0) / this.size : undefined
  }
}

/** Response of `ps`. */
export interface ProcessResponse extends Omit<W.ProcessResponse, 'models'> {}
export class ProcessResponse extends ModelList<RunningModel> {
  constructor(wire: W.ProcessResponse) {
    super()
    assignWire(this, wire)
    this.models = mapArray(wire.models, RunningModel.from) ?? []
  }

  static from(wire: W.ProcessResponse): ProcessResponse {
    return wire instanceof ProcessResponse ? wire : new ProcessResponse(wire)
  }
}

/** Response of `show`. */
export interface ShowResponse extends Omit<W.ShowResponse, 'details' | 'messages'> {
  details: ModelDetails
  messages?: Message[]
}
export class ShowResponse {
  constructor(wire: W.ShowResponse) {
    assignWire(this, wire)
    if (wire.details) this.details = ModelDetails.from(wire.details)
    if (wire.messages) this.messages = wire.messages.map(Message.from)
  }

  static from(wire: W.ShowResponse): ShowResponse {
    return wire instanceof ShowResponse ? wire : new ShowResponse(wire)
  }

  /** True when the model reports this capability, e.g. 'tools' or 'vision'. */
  hasCapability(name: W.Capability): boolean {
    return this.capabilities?.includes(name) ?? false
  }

  /** `modified_at` as a Date. */
  get modifiedAt(): Date | undefined {
    return toDate(this.modified_at)
  }

  /** Architecture from the GGUF metadata, e.g. 'llama'. */
  get architecture(): string | undefined {
    const arch = this.model_info?.['general.architecture']
    return typeof arch === 'string' ? arch : undefined
  }

  /** Maximum context length the model was trained for ('<arch>.context_length'). */
  get contextLength(): number | undefined {
    const arch = this.architecture
    const value = arch ? this.model_info?.[`${arch}.context_length`] : undefined
    return typeof value === 'number' ? value : undefined
  }

  /** Exact parameter count from the GGUF metadata. */
  get parameterCount(): number | undefined {
    const value = this.model_info?.['general.parameter_count']
    return typeof value === 'number' ? value : undefined
  }
}

// ---------------------------------------------------------------------------
// Progress, version, web
// ---------------------------------------------------------------------------

/** Response, or stream chunk, of `pull`, `push` and `create`. */
export interface ProgressResponse extends W.ProgressResponse {}
export class ProgressResponse {
  constructor(wire: W.ProgressResponse) {
    assignWire(this, wire)
  }

  static from(wire: W.ProgressResponse): ProgressResponse {
    return wire instanceof ProgressResponse ? wire : new ProgressResponse(wire)
  }

  /** Share of the current blob transferred, 0–1; undefined without a total. */
  get fraction(): number | undefined {
    // Ollama omits `completed` while it is still 0 (omitempty).
    return this.total ? (this.completed ?? 0) / this.total : undefined
  }

  /** Percent of the current blob transferred, 0–100; undefined without a total. */
  get percent(): number | undefined {
    const fraction = this.fraction
    return fraction === undefined ? undefined : fraction * 100
  }

  /** True for the final 'success' status. */
  get isSuccess(): boolean {
    return this.status === 'success'
  }
}

/** Response of `version`. */
export interface VersionResponse extends W.VersionResponse {}
export class VersionResponse {
  constructor(wire: W.VersionResponse) {
    assignWire(this, wire)
  }

  static from(wire: W.VersionResponse): VersionResponse {
    return wire instanceof VersionResponse ? wire : new VersionResponse(wire)
  }

  /** [major, minor, patch]; undefined when the version is not 'x.y.z…'. */
  get parts(): [number, number, number] | undefined {
    return parseVersion(this.version)
  }

  /**
   * True when the server is at least `minimum` ('0.9.0'), to gate features.
   * Pre-release suffixes are ignored; an unparsable version gives false.
   */
  atLeast(minimum: string): boolean {
    const have = this.parts
    const want = parseVersion(minimum)
    if (!have || !want) return false
    for (let i = 0; i < 3; i++) {
      if (have[i] !== want[i]) return have[i]! > want[i]!
    }
    return true
  }
}

function parseVersion(version: string | undefined): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version ?? '')
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined
}

/** Response of `webSearch`. */
export interface WebSearchResponse extends W.WebSearchResponse {}
export class WebSearchResponse {
  constructor(wire: W.WebSearchResponse) {
    assignWire(this, wire)
  }

  static from(wire: W.WebSearchResponse): WebSearchResponse {
    return wire instanceof WebSearchResponse ? wire : new WebSearchResponse(wire)
  }

  /** URLs of the results, best first. */
  urls(): string[] {
    return (this.results ?? []).map((r) => r.url)
  }
}

/** Response of `webFetch`. */
export interface WebFetchResponse extends W.WebFetchResponse {}
export class WebFetchResponse {
  constructor(wire: W.WebFetchResponse) {
    assignWire(this, wire)
  }

  static from(wire: W.WebFetchResponse): WebFetchResponse {
    return wire instanceof WebFetchResponse ? wire : new WebFetchResponse(wire)
  }
}

// ---------------------------------------------------------------------------
// Dispatcher used by the client
// ---------------------------------------------------------------------------

/** Which response a wire object is; 'progress' covers pull, push and create. */
export type StructKind =
  | 'chat'
  | 'generate'
  | 'embed'
  | 'embeddings'
  | 'list'
  | 'show'
  | 'ps'
  | 'progress'
  | 'version'
  | 'webSearch'
  | 'webFetch'

/** The class `toStruct` returns for each kind. */
export interface StructMap {
  chat: ChatResponse
  generate: GenerateResponse
  embed: EmbedResponse
  embeddings: EmbeddingsResponse
  list: ListResponse
  show: ShowResponse
  ps: ProcessResponse
  progress: ProgressResponse
  version: VersionResponse
  webSearch: WebSearchResponse
  webFetch: WebFetchResponse
}

// A lookup table rather than a switch: one property read per chunk.
const converters: { [K in StructKind]: (wire: never) => StructMap[K] } = {
  chat: ChatResponse.from,
  generate: GenerateResponse.from,
  embed: EmbedResponse.from,
  embeddings: EmbeddingsResponse.from,
  list: ListResponse.from,
  show: ShowResponse.from,
  ps: ProcessResponse.from,
  progress: ProgressResponse.from,
  version: VersionResponse.from,
  webSearch: WebSearchResponse.from,
  webFetch: WebFetchResponse.from,
}

/**
 * Wraps a parsed wire object (a whole response or one stream chunk) in its
 * struct class. Shallow and cheap; the wire object is not modified.
 */
export function toStruct<K extends StructKind>(kind: K, wire: object): StructMap[K] {
  const convert = converters[kind] as ((wire: object) => StructMap[K]) | undefined
  if (!convert) throw new TypeError(`toStruct: unknown kind ${JSON.stringify(kind)}`)
  return convert(wire)
}
