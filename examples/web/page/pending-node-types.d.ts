// TEMPORARY, like test/browser/decoder-shim.ts: until the runtime-neutral NDJSON decoder
// (branch issue9-misc) is merged, src/protocol/ndjson-decoder.ts still names these two
// Node things. Delete this file then: this tsconfig has no Node types, so it proves the
// browser graph needs none.
declare module 'node:string_decoder' {
  export class StringDecoder {
    constructor(encoding: 'utf8')
    write(bytes: Uint8Array): string
    end(): string
  }
}
declare const Buffer: { byteLength(text: string): number }
