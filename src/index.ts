/**
 * ollixir: an Ollama client whose streams are XState v5 actors with Elixir's
 * process semantics. This is the Node entry; `browser.ts` is the one for browsers,
 * Deno, Bun and workers. See README.md for the tour.
 */
import { Ollixir } from './node-client.js'

export { Ollixir }
export * from './exports.js'

/** A client for `OLLAMA_HOST` (else http://127.0.0.1:11434), like ollama-js's default export. */
const defaultClient: Ollixir = Ollixir.init()
export default defaultClient
