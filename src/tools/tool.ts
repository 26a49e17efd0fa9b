import type { ValidateFunction } from 'ajv'
import { RequestError } from '../errors/RequestError.js'
import { compileUserSchema } from '../protocol/user-schema.js'
import { isBrandedTool, TOOL_BRAND, toWireTools as convertTools } from './wire-tools.js'
import type * as W from '../types/wire.js'
import type { FromSchema, ObjectSchema } from './schema-type.js'

/** What a tool's `run` receives besides its arguments. */
export interface ToolContext {
  /** Aborted when the call times out or the run is cancelled: pass it on to fetches. */
  signal: AbortSignal
  /** The model's call, as it came (id, name, raw arguments). */
  call: W.ToolCall
}

export interface ToolSpec<S extends ObjectSchema, R> {
  /** The name the model calls, e.g. `get_weather`. */
  name: string
  /** What the tool does; the model reads it to decide when to call it. */
  description?: string
  /** JSON Schema of the arguments object. Default: no arguments. */
  parameters?: S
  /**
   * Runs the call with arguments already checked against `parameters`. Its value is
   * sent back to the model (strings as they are, anything else as JSON); a throw
   * becomes an error message the model can react to. A tool without `run` can be
   * offered to the model and validated, but not run.
   */
  run?: (args: FromSchema<S>, context: ToolContext) => R | Promise<R>
  /** Milliseconds one run may take; overrides the runner's timeout. */
  timeout?: number
}

const NO_ARGUMENTS = Object.freeze({ type: 'object', properties: {} }) as ObjectSchema

/**
 * A tool defined with `defineTool`: the wire description Ollama receives (`toWire()`,
 * also what `JSON.stringify` gives), the compiled argument validator, and `run`.
 * `client.chat({ tools })` accepts these and raw Ollama tool objects alike.
 */
export class Tool<Args = Record<string, unknown>, Result = unknown> {
  readonly name: string
  readonly description: string | undefined
  readonly parameters: ObjectSchema
  readonly timeout: number | undefined
  readonly #run: ((args: Args, context: ToolContext) => Result | Promise<Result>) | undefined
  readonly #validate: ValidateFunction

  constructor(spec: ToolSpec<ObjectSchema, Result>) {
    if (typeof spec?.name !== 'string' || spec.name.trim() === '') {
      throw new RequestError(`defineTool: \`name\` must be a non-empty string; got ${JSON.stringify(spec?.name)}.`, { field: 'name' })
    }
    const where = `tools.${spec.name}`
    if (spec.run !== undefined && typeof spec.run !== 'function') {
      throw new RequestError(`defineTool: ${where}.run must be a function.`, { field: `${where}.run` })
    }
    if (spec.timeout !== undefined && !(spec.timeout > 0)) {
      throw new RequestError(`defineTool: ${where}.timeout must be a positive number of milliseconds.`, { field: `${where}.timeout` })
    }
    this.name = spec.name
    this.description = spec.description
    this.parameters = spec.parameters ?? NO_ARGUMENTS
    if (this.parameters.type !== 'object') {
      throw new RequestError(`defineTool: ${where}.parameters must be an object schema ({ type: 'object', properties: … }).`, { field: `${where}.parameters` })
    }
    this.timeout = spec.timeout
    this.#run = spec.run as ((args: Args, context: ToolContext) => Result | Promise<Result>) | undefined
    // Compiled now, so a broken schema fails where it is written, not mid-conversation.
    this.#validate = compileUserSchema(this.parameters, `${where}.parameters`)
  }

  /** Whether the tool can be run (it was defined with `run`). */
  get runnable(): boolean {
    return this.#run !== undefined
  }

  /** Checks arguments against `parameters`; the errors are ajv's, or `null`. */
  check(args: unknown): ValidateFunction['errors'] {
    return this.#validate(args) ? null : [...(this.#validate.errors ?? [])]
  }

  /** Runs with arguments that `check` accepted. */
  run(args: Args, context: ToolContext): Promise<Result> {
    const run = this.#run
    if (!run) return Promise.reject(new RequestError(`Tool "${this.name}" has no run function.`, { code: 'ENOTRUNNABLE', field: `tools.${this.name}.run` }))
    return new Promise<Result>((resolve) => resolve(run(args, context)))
  }

  /** The tool as Ollama's `tools` entry. */
  toWire(): W.Tool {
    return {
      type: 'function',
      function: { name: this.name, ...(this.description === undefined ? {} : { description: this.description }), parameters: this.parameters as W.ToolFunctionParameters },
    }
  }

  toJSON(): W.Tool {
    return this.toWire()
  }

  /** Recognises tools from another copy of the package too. */
  static isTool(value: unknown): value is Tool<any, any> {
    return value instanceof Tool || isBrandedTool(value)
  }
}

Object.defineProperty(Tool.prototype, TOOL_BRAND, { value: true })

/**
 * Defines a tool the model can call. The arguments' type is inferred from
 * `parameters`, and every call is checked against it before `run` sees it.
 *
 * @example
 * const weather = defineTool({
 *   name: 'get_weather',
 *   description: 'Current weather in a city',
 *   parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *   run: async ({ city }) => fetchWeather(city),   // city: string
 * })
 * const reply = await client.chat({ model, messages, tools: [weather] })
 * messages.push(reply.message, ...toolMessages(await runToolCalls(reply, [weather])))
 */
export function defineTool<const S extends ObjectSchema = typeof NO_ARGUMENTS, R = unknown>(spec: ToolSpec<S, R>): Tool<FromSchema<S>, R> {
  return new Tool<FromSchema<S>, R>(spec as unknown as ToolSpec<ObjectSchema, R>)
}

/** Anything `tools` accepts: a defined tool or a raw Ollama tool object. */
export type ToolInput = Tool<any, any> | W.Tool

/** `tools` as Ollama receives them. */
export function toWireTools(tools: readonly ToolInput[]): W.Tool[] {
  return convertTools(tools)
}
