/**
 * TEMPORARY, until the runtime-neutral NDJSON decoder (branch issue9-misc) is merged:
 * `src/protocol/ndjson-decoder.ts` still imports `node:string_decoder` and calls
 * `Buffer.byteLength`, which no page has. This esbuild plugin rewrites those two
 * things, for page bundles only, with `TextDecoder`/`TextEncoder`. It does nothing
 * once the decoder imports no Node built-in; delete it (and its uses in test/browser/support.ts
 * and examples/web/server.ts) then.
 */
import { readFile } from 'node:fs/promises'
import type { Plugin } from 'esbuild'

const SHIM = `
class StringDecoder {
  #decoder = new TextDecoder()
  write(bytes) { return this.#decoder.decode(bytes, { stream: true }) }
  end() { return this.#decoder.decode() }
}
const Buffer = { byteLength: (text) => new TextEncoder().encode(text).byteLength }
`

export const decoderShim: Plugin = {
  name: 'ollixir-pending-decoder-shim',
  setup(build) {
    build.onLoad({ filter: /ndjson-decoder\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8')
      const line = "import { StringDecoder } from 'node:string_decoder'"
      if (!source.includes(line)) return undefined
      return { contents: source.replace(line, SHIM), loader: 'ts' }
    })
  },
}
