/**
 * The few building blocks TypeBox lacks for Ollama's wire types. Each returns a TypeBox
 * schema: plain JSON Schema data (no functions, so ajv's standalone code generation can
 * compile it at build time) that carries its TypeScript type for `Static<>`.
 */
import { Type, type Static, type TObject, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox'

/**
 * One of a fixed set of strings, as a JSON Schema `enum`: ajv then reports all allowed
 * values at once (`must be 'low', 'medium' or 'high'; got 'x'`), which TypeBox's own
 * union of literals (`anyOf` of `const`s) would not.
 */
export function oneOf<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, enum: [...values] })
}

/**
 * A string with well-known values that editors should suggest, while any other string
 * passes (Ollama adds roles and capabilities over time): `'user' | 'tool' | (string & {})`.
 */
export function openString<const T extends readonly string[]>(_known: T, options: Record<string, unknown> = {}): TUnsafe<T[number] | (string & {})> {
  return Type.Unsafe<T[number] | (string & {})>({ ...options, type: 'string' })
}

/** A non-empty string: only '' is surely wrong for names the server resolves itself. */
export function nonEmpty(): TUnsafe<string> {
  return Type.Unsafe<string>({ type: 'string', minLength: 1 })
}

/**
 * An object with known properties that also takes any other key (JSON Schema keywords
 * in tool parameters, say), typed with an index signature so such literals compile.
 */
export function openObject<P extends TProperties>(properties: P, options: Record<string, unknown> = {}): TUnsafe<Static<TObject<P>> & { [key: string]: unknown }> {
  return Type.Unsafe<Static<TObject<P>> & { [key: string]: unknown }>(Type.Object(properties, options))
}

/** Any JSON object (`map[string]any` on the server). */
export function anyObject(options: Record<string, unknown> = {}): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({ ...options, type: 'object' })
}

/** A value the schema leaves unchecked (another layer checks it) but the type names. */
export function unchecked<T>(): TUnsafe<T> {
  return Type.Unsafe<T>({})
}

export type { TSchema }
