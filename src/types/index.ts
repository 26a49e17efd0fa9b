/**
 * Public types of ollixir.
 *
 * Naming scheme
 * -------------
 * - Response *classes* (struct mode) take the plain names: `ChatResponse`,
 *   `Message`, `ToolCall`, `ModelDetails`, … They are values and types, so
 *   `import { ChatResponse } from 'ollixir'` works for `instanceof` and for
 *   typing struct-mode results.
 * - Wire interfaces whose name is taken by a class are exported with a `Wire`
 *   suffix: `ChatResponseWire`, `MessageWire`, `ToolCallWire`, … (the plain
 *   JSON shapes returned in the default mode).
 * - Every other wire type has no class twin and keeps its plain name:
 *   requests (`ChatRequest`, `GenerateRequest`, …), `Options`,
 *   `MessageInput`, `ThinkValue`, `Format`, `Logprob`, …
 * - All wire types are also reachable under their plain names through the
 *   type-only `Wire` namespace: `Wire.ChatResponse`, `Wire.Message`, …
 *
 * To type a chat history, use `MessageInput` (it accepts both wire messages
 * and `Message` instances, so a reply can be pushed back into the history).
 */

export {
  ChatResponse,
  EmbedResponse,
  EmbeddingsResponse,
  GenerateResponse,
  GenerationMetrics,
  ListResponse,
  Message,
  ModelDetails,
  ModelResponse,
  ProcessResponse,
  ProgressResponse,
  RunningModel,
  ShowResponse,
  ToolCall,
  VersionResponse,
  WebFetchResponse,
  WebSearchResponse,
  toStruct,
} from './structs.js'
export type { StructKind, StructMap } from './structs.js'

// Wire shapes that share a name with a class above.
export type {
  ChatResponse as ChatResponseWire,
  EmbedResponse as EmbedResponseWire,
  EmbeddingsResponse as EmbeddingsResponseWire,
  GenerateResponse as GenerateResponseWire,
  ListResponse as ListResponseWire,
  Message as MessageWire,
  ModelDetails as ModelDetailsWire,
  ModelResponse as ModelResponseWire,
  ProcessResponse as ProcessResponseWire,
  ProgressResponse as ProgressResponseWire,
  RunningModel as RunningModelWire,
  ShowResponse as ShowResponseWire,
  ToolCall as ToolCallWire,
  // The class `Tool` (defineTool, src/tools) takes the plain name.
  Tool as ToolWire,
  VersionResponse as VersionResponseWire,
  WebFetchResponse as WebFetchResponseWire,
  WebSearchResponse as WebSearchResponseWire,
} from './wire.js'

// Wire types without a class twin.
export type {
  Capability,
  ChatChunk,
  CloudStatus,
  ChatRequest,
  CopyRequest,
  CreateRequest,
  DebugInfo,
  DeleteRequest,
  EmbedRequest,
  EmbeddingsRequest,
  ErrorResponse,
  Format,
  GenerateChunk,
  GenerateRequest,
  ImageInput,
  JSONSchema,
  KeepAlive,
  Logprob,
  MessageInput,
  Metrics,
  Options,
  ProgressChunk,
  PullRequest,
  PushRequest,
  Role,
  ServerStatus,
  ShowRequest,
  Tensor,
  ThinkValue,
  TokenLogprob,
  ToolCallFunction,
  ToolFunction,
  ToolFunctionParameters,
  ToolProperty,
  UserResponse,
  WebFetchRequest,
  WebSearchRequest,
  WebSearchResult,
} from './wire.js'

// Every wire type under its plain name: `Wire.ChatResponse`, `Wire.Message`, …
export type * as Wire from './wire.js'
