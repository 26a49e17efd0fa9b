/**
 * Chat messages, tool calls, tool definitions and log probabilities: the parts shared
 * by requests and responses.
 */
import { Type, type Static, type TObject } from '@sinclair/typebox'
import { anyObject, nonEmpty, openObject, openString } from './kit.js'
import { ImageInput, Role, StringOrList } from './scalars.js'

/** Function part of a tool call. */
export const ToolCallFunction = Type.Object({
  /** Position of this call among the calls of one response. */
  index: Type.Optional(Type.Integer()),
  /** Name of the function to call. */
  name: nonEmpty(),
  /** Arguments as a JSON object (already parsed: never the JSON text OpenAI sends). */
  arguments: anyObject(),
})

const toolCallFields = {
  /** Call id, echoed back in the tool result's `tool_call_id`. */
  id: Type.Optional(Type.String()),
  /** Which function to call and with what arguments. */
  function: ToolCallFunction,
}
/** A tool invocation requested by the model. */
export const ToolCall: ToolCallSchema = Type.Object(toolCallFields)

/** Fields every message has, whoever wrote it. */
const messageFields = {
  /** Who wrote the message: system, user, assistant or tool. */
  role: Role,
  /** The message text (may be '' for a pure tool-call message). */
  content: Type.String(),
  /** Reasoning text of a thinking model, when `think` was enabled. */
  thinking: Type.Optional(Type.String()),
  /** Tools the assistant asked to call. */
  tool_calls: Type.Optional(Type.Array(ToolCall)),
  /** For role 'tool': name of the tool whose result this is. */
  tool_name: Type.Optional(Type.String()),
  /** For role 'tool': id of the tool call this message answers. */
  tool_call_id: Type.Optional(Type.String()),
}

const outputMessageFields = {
  ...messageFields,
  /** Base64-encoded images attached to the message. */
  images: Type.Optional(Type.Array(Type.String())),
}
/** One message of a chat, as Ollama sends it back (images as base64). */
export const Message: MessageSchema = Type.Object(outputMessageFields)

const inputMessageFields = {
  ...messageFields,
  /** The message text. */
  content: Type.Optional(Type.String()),
  /** Images as bytes, file paths or base64 strings (the client sends base64). */
  images: Type.Optional(Type.Array(ImageInput)),
}
/**
 * A message as the user passes it in a request: images may be bytes or paths too, and
 * `content` may be left out (the server reads it as '').
 */
export const MessageInput: MessageInputSchema = Type.Object(inputMessageFields)

/** The `$id` under which validate.ts registers `ToolProperty`, for the `$ref`s to it. */
export const TOOL_PROPERTY_ID = 'ollixir:tool-property'

/** `ToolProperty`: one argument of a tool, possibly nested (`anyOf`, `properties`). */
export const ToolProperty = Type.Recursive(
  (This) =>
    Type.Object({
      /** Alternatives, any of which the value may match. */
      anyOf: Type.Optional(Type.Array(This)),
      /** JSON type name, or several for a union. */
      type: Type.Optional(StringOrList),
      /** Item schema when type is 'array'. */
      items: Type.Optional(Type.Unknown()),
      /** What the argument means; shown to the model. */
      description: Type.Optional(Type.String()),
      /** Allowed values. */
      enum: Type.Optional(Type.Array(Type.Unknown())),
      /** Nested properties when type is 'object'. */
      properties: Type.Optional(Type.Record(Type.String(), This)),
    }),
  { $id: TOOL_PROPERTY_ID },
)

/** JSON-Schema-ish description of a function's arguments (an object schema); other keywords pass. */
export const ToolFunctionParameters = openObject({
  /** Schema type; 'object' in practice. */
  type: openString(['object']),
  /** Shared sub-schema definitions referenced with $ref. */
  $defs: Type.Optional(Type.Unknown()),
  /** Item schema when type is 'array'. */
  items: Type.Optional(Type.Unknown()),
  /** Names of required properties. */
  required: Type.Optional(Type.Array(Type.String())),
  /** Schema of each property, in declaration order. */
  properties: Type.Optional(Type.Record(Type.String(), Type.Unsafe<ToolPropertyType>({ $ref: TOOL_PROPERTY_ID }))),
})

/** Nested tool properties: any other JSON Schema keyword passes too (Ollama ignores them). */
type ToolPropertyType = Static<typeof ToolProperty> & { [key: string]: unknown }

/** Description of a callable function. */
export const ToolFunction = Type.Object({
  /** Function name the model uses in its tool call. */
  name: nonEmpty(),
  /** What the function does; shown to the model. */
  description: Type.Optional(Type.String()),
  /** JSON Schema of the arguments object (Ollama accepts a tool without one). */
  parameters: Type.Optional(ToolFunctionParameters),
})

const toolFields = {
  /** Tool kind; Ollama only knows 'function'. */
  type: openString(['function'], { minLength: 1 }),
  /** Item schema, for tools whose type describes an array (rarely used). */
  items: Type.Optional(Type.Unknown()),
  /** The function's name, description and parameter schema. */
  function: ToolFunction,
}
/** A tool the model may call (`tools` of a chat request). */
export const Tool: ToolSchema = Type.Object(toolFields)

/** Log probability of one token. */
export const TokenLogprob = Type.Object({
  /** The token's text. */
  token: Type.String(),
  /** Natural log of the token's probability. */
  logprob: Type.Number(),
  /** The token's raw UTF-8 bytes (tokens may split characters). */
  bytes: Type.Optional(Type.Array(Type.Integer())),
})

const logprobFields = {
  ...TokenLogprob.properties,
  /** The `top_logprobs` most likely tokens at this position. */
  top_logprobs: Type.Optional(Type.Array(TokenLogprob)),
}
/** Log probability of a generated token plus its most likely alternatives. */
export const Logprob: LogprobSchema = Type.Object(logprobFields)

/*
 * Named schema types for the declarations used in other files: a .d.ts refers to a named
 * type, while it would copy an unnamed one out and lose its fields' JSDoc on the way.
 */
export type ToolCallSchema = TObject<typeof toolCallFields>
export type MessageSchema = TObject<typeof outputMessageFields>
export type MessageInputSchema = TObject<typeof inputMessageFields>
export type ToolSchema = TObject<typeof toolFields>
export type LogprobSchema = TObject<typeof logprobFields>
