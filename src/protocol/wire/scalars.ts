/**
 * Scalars shared by several wire types, each with the rule the server applies to it.
 * The `x-expected` keyword is ours (ajv runs with `strict: false` and ignores it):
 * validate.ts says it when a value matches none of a union's branches.
 */
import { Type } from '@sinclair/typebox'
import { anyObject, oneOf, openString, unchecked } from './kit.js'

/** The levels `think` takes besides true/false (`api.ThinkValue`; `"max"` since Ollama v0.22.0). */
export const THINK_LEVELS = ['low', 'medium', 'high', 'max'] as const

/** `api.ThinkValue`: a boolean, or a level; anything else is a 400 from `ThinkValue.UnmarshalJSON`. */
export const ThinkValue = Type.Union([Type.Boolean(), oneOf(THINK_LEVELS)], {
  'x-expected': "true, false, 'low', 'medium', 'high' or 'max'",
})

/**
 * `api.Duration`: a number of seconds (negative = keep loaded forever) or a string Go's
 * `time.ParseDuration` reads ('5m', '1h30m', '-1h', '0'). Go rejects a bare number in a
 * string ('-1', '300': "missing unit in duration"), so those fail here too.
 */
const GO_DURATION = '^[-+]?(0|((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+)$'
export const KeepAlive = Type.Union([Type.Number(), Type.String({ pattern: GO_DURATION })], {
  'x-expected': "a number of seconds or a Go duration string such as '5m', '1h30m' or '-1h'",
})

/** A JSON Schema document (kept loose: Ollama hands it to the sampler as it is). */
export const JSONSchema = anyObject()

/** `format` is `json.RawMessage`: '' (unset), "json" or a JSON Schema object (`invalid format` otherwise). */
export const Format = Type.Union([oneOf(['', 'json']), JSONSchema], { 'x-expected': "'', 'json' or a JSON Schema object" })

/** A string or several; the server reads both (`input`, `license`, `stop` after request-body.ts wraps it). */
export const StringOrList = Type.Union([Type.String(), Type.Array(Type.String())], { 'x-expected': 'a string or an array of strings' })

/**
 * An image in a request: bytes (`Uint8Array`, `ArrayBuffer`), a `Blob`/`File`, a path to a
 * file (Node only), or base64. Left unchecked here: request-body.ts checks and encodes
 * each one, naming it (`messages[0].images[1]`).
 */
export const ImageInput = unchecked<Uint8Array | ArrayBuffer | Blob | string>()

/** Chat roles Ollama knows; others pass through (the server lowercases them). Only '' is surely wrong. */
export const Role = openString(['system', 'user', 'assistant', 'tool'], { minLength: 1 })

/** Capabilities a model reports (`types/model/capability.go`). */
export const Capability = openString(['completion', 'tools', 'insert', 'vision', 'embedding', 'thinking', 'audio'])
