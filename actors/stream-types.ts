import type { ChatFields, CreateFields, StreamTarget } from '../src/call-types.js'
import type { CallOptions, ResponseFormat } from '../src/options.js'
import type { StreamMethod } from '../src/protocol/endpoints.js'
import type * as S from '../src/types/structs.js'
import type * as W from '../src/types/wire.js'
import type { OllixirEvent } from './events.js'

/**
 * The types of a streaming request by its method: what goes in (`StreamRequest<'chat'>`),
 * what each chunk is (`StreamChunk<'chat'>`) and the events a parent receives
 * (`ChatStreamEvent`). XState types a machine's events from `setup({ types: { events } })`,
 * not from the actors it invokes, so a machine names them there:
 *
 * @example
 * setup({ types: { events: {} as ChatStreamEvent | { type: 'ask'; text: string } }, actors: { ollamaStream } })
 * // 'ollixir.data': event.data is a ChatResponse; event.data.message.contnt does not compile
 */

/** The request each streaming method takes (call options included; `stream` is ignored: the actor always streams). */
export interface StreamRequests {
  chat: ChatFields
  generate: W.GenerateRequest
  create: CreateFields
  pull: W.PullRequest
  push: W.PushRequest
}
export type StreamRequest<M extends StreamMethod> = StreamRequests[M] & CallOptions & { stream?: StreamTarget | undefined }

/** Chunks (and merged bodies) as plain objects with Ollama's field names. */
export interface StreamChunks {
  chat: W.ChatResponse
  generate: W.GenerateResponse
  create: W.ProgressResponse
  pull: W.ProgressResponse
  push: W.ProgressResponse
}
/** Chunks (and merged bodies) as struct classes (`responseFormat: 'struct'`). */
export interface StreamStructs {
  chat: S.ChatResponse
  generate: S.GenerateResponse
  create: S.ProgressResponse
  pull: S.ProgressResponse
  push: S.ProgressResponse
}
export type StreamChunk<M extends StreamMethod, F extends ResponseFormat = 'map'> = F extends 'struct' ? StreamStructs[M] : StreamChunks[M]

/** The `ollixir.*` events a streaming request of method `M` sends its parent. */
export type StreamEvent<M extends StreamMethod, F extends ResponseFormat = 'map'> = OllixirEvent<StreamChunk<M, F>, StreamChunk<M, F>>

/** Events of a chat stream: `event.data` is a `ChatResponse` chunk, the `ok` body the merged reply. */
export type ChatStreamEvent<F extends ResponseFormat = 'map'> = StreamEvent<'chat', F>
/** Events of a generate stream: `event.data` is a `GenerateResponse` chunk. */
export type GenerateStreamEvent<F extends ResponseFormat = 'map'> = StreamEvent<'generate', F>
/** Events of a pull stream: `event.data` is a `ProgressResponse` (see `trackProgress`). */
export type PullStreamEvent<F extends ResponseFormat = 'map'> = StreamEvent<'pull', F>
/** Events of a push stream: `event.data` is a `ProgressResponse`. */
export type PushStreamEvent<F extends ResponseFormat = 'map'> = StreamEvent<'push', F>
/** Events of a create stream: `event.data` is a `ProgressResponse` (uploads included). */
export type CreateStreamEvent<F extends ResponseFormat = 'map'> = StreamEvent<'create', F>
