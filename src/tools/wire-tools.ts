import type * as W from '../types/wire.js'

/** On every `Tool`'s prototype: recognises tools from another copy of the package too. */
export const TOOL_BRAND = Symbol.for('ollixir.tool')

/** What `toWireTools` needs of a tool made with `defineTool`. */
interface BrandedTool {
  toWire(): W.Tool
}

export function isBrandedTool(value: unknown): value is BrandedTool {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[TOOL_BRAND] === true
}

/**
 * `tools` as Ollama receives them. Apart from `Tool` on purpose: a request converts its
 * tools without reaching the JSON Schema compiler, so an app that never calls
 * `defineTool` does not bundle ajv.
 */
export function toWireTools(tools: readonly unknown[]): W.Tool[] {
  return tools.map((tool) => (isBrandedTool(tool) ? tool.toWire() : (tool as W.Tool)))
}
