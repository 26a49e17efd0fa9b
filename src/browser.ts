/**
 * ollixir for browsers, Deno, Bun and workers: the same API as the Node entry, on
 * `fetch`, with no Node built-in. Images and blobs are bytes, `Blob`s or `File`s
 * (file paths work in Node only).
 */
import { Ollixir } from './client.js'

export { Ollixir }
export * from './exports.js'

/** A client for http://127.0.0.1:11434 (or `OLLAMA_HOST` where the runtime has an environment). */
const defaultClient: Ollixir = Ollixir.init()
export default defaultClient
