import type { AnyActorRef } from 'xstate'
import type { ChunkStream } from '../actors/chunk-stream.js'
import type { OllixirEvent, Recipient } from '../actors/events.js'
import type { Task } from '../actors/task.js'
import type { CallOptions, ResponseFormat } from './options.js'
import type { BlobSource } from './protocol/create-files.js'
import type { ToolInput } from './tools/tool.js'
import type * as W from './types/wire.js'

/**
 * The request types of the client's methods, and what each call resolves to.
 *
 * The methods take these as concrete parameter types (never as a bare type parameter
 * `R extends …`), so TypeScript checks object literals for excess properties:
 * `client.chat({ model, mesages })` is a compile error with "Did you mean to write
 * 'messages'?". Overloads on `stream` pick the result.
 */

/** An XState actor (`self`) or any `{ send }`: `stream: parent` makes the call a Task mailing it. */
export type StreamParent = Recipient<OllixirEvent<any, any>> | AnyActorRef

/** Where a streamed call's events go: `true` (an async iterable), or a parent for a Task. */
export type StreamTarget = boolean | StreamParent

/** A request with the options every call takes. */
export type Call<Request> = Request & CallOptions
/** A request of a streamable method, `stream` included. */
export type StreamCall<Request> = Request & CallOptions & { stream?: StreamTarget | undefined }

/** Chat fields: `tools` may mix tools made with `defineTool` and raw Ollama tool objects. */
export interface ChatFields extends Omit<W.ChatRequest, 'tools'> {
  tools?: readonly ToolInput[] | undefined
}
/**
 * Create fields: `files`, `adapters` and `draft_files` map file names to blob digests, or to
 * bytes, paths or streams that are uploaded first (see `create`).
 */
export interface CreateFields extends Omit<W.CreateRequest, 'files' | 'adapters' | 'draft_files'> {
  files?: Record<string, BlobSource> | undefined
  adapters?: Record<string, BlobSource> | undefined
  draft_files?: Record<string, BlobSource> | undefined
}

export type ChatCall = StreamCall<ChatFields>
export type GenerateCall = StreamCall<W.GenerateRequest>
export type CreateCall = StreamCall<CreateFields>
export type PullCall = StreamCall<W.PullRequest>
export type PushCall = StreamCall<W.PushRequest>

/** The map (wire) type or the struct class, by the call's `responseFormat` (else the client's). */
export type Shape<X extends ResponseFormat, Map, Struct> = X extends 'struct' ? Struct : Map

/** The `responseFormat` a call may name; its type parameter defaults to the client's. */
export interface FormatChoice<X extends ResponseFormat> {
  responseFormat?: X | undefined
}

/** `stream: true`. */
export interface StreamTrue {
  stream: true
}
/** `stream: parent`. */
export interface StreamToParent {
  stream: StreamParent
}
/** `stream` absent or `false`: the whole reply. */
export interface StreamOff {
  stream?: false | undefined
}

/** What a streamable call resolves to when `stream` is only known as a `StreamTarget` (e.g. a `boolean`). */
export type AnyStreamed<T> = ChunkStream<T, T> | Task<T, T> | T
