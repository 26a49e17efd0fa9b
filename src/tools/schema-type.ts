/**
 * The TypeScript type a JSON Schema describes, for the schemas people write by hand
 * (object, properties, required, items, enum, const, anyOf, type unions). Written
 * inline, `defineTool({ parameters: {...} })` and `parseStructured(reply, {...})`
 * infer their argument and result types from the schema without `as const`.
 * Anything it does not understand becomes `unknown`, never a wrong type.
 */
export type FromSchema<S> = S extends boolean
  ? unknown
  : S extends { const: infer C }
    ? C
    : S extends { enum: readonly (infer E)[] }
      ? E
      : S extends { anyOf: readonly (infer A)[] }
        ? FromSchema<A>
        : S extends { oneOf: readonly (infer A)[] }
          ? FromSchema<A>
          : S extends { type: readonly (infer T)[] }
            ? T extends unknown
              ? FromSchema<Omit<S, 'type'> & { type: T }>
              : never
            : S extends { type: infer T }
              ? FromTypeName<T, S>
              : unknown

type FromTypeName<T, S> = T extends 'string'
  ? string
  : T extends 'number' | 'integer'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? S extends { items: infer I }
            ? FromSchema<I>[]
            : unknown[]
          : T extends 'object'
            ? S extends { properties: infer P }
              ? ObjectFrom<P, S extends { required: readonly (infer R)[] } ? R : never>
              : Record<string, unknown>
            : unknown

type ObjectFrom<P, R> = Simplify<
  { -readonly [K in keyof P as K extends R ? K : never]-?: FromSchema<P[K]> } & {
    -readonly [K in keyof P as K extends R ? never : K]?: FromSchema<P[K]>
  }
>

type Simplify<T> = { [K in keyof T]: T[K] } & {}

/** A JSON Schema, loosely typed: ollixir hands it to ajv, which checks it. */
export type JsonSchema = { [keyword: string]: unknown }

/** The schema of a tool's arguments: always an object. */
export type ObjectSchema = JsonSchema & { type: 'object' }
