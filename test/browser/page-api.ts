/**
 * The page side of the browser harness: a test page entry hands its functions to
 * `exposeToTests`, and `TestPage.call(name, ...args)` runs them from Node.
 * Imported by page entries (bundled for the browser) and by `support.ts` (for the name).
 */

/** The global the exposed functions live under. */
export const EXPOSED_GLOBAL = '__ollixirTest'

/** Functions a test may call; arguments and results must survive structured cloning. */
export type PageFunctions = Record<string, (...args: any[]) => unknown>

/** Makes `functions` callable from the test; the harness waits for this before `open` resolves. */
export function exposeToTests(functions: PageFunctions): void {
  Object.assign(globalThis, { [EXPOSED_GLOBAL]: functions })
}

/** An error as data, for results that cross back to Node (`TypeError: Failed to fetch`). */
export interface ErrorData {
  name: string
  message: string
}

export function toErrorData(error: unknown): ErrorData {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'unknown', message: String(error) }
}
