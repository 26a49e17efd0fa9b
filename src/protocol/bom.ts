/** U+FEFF, the byte-order mark some Windows tools and proxies put before UTF-8 text. */
const BOM = 0xfeff

/**
 * Drops a leading byte-order mark, which `JSON.parse` refuses. ollama-js accepts a
 * body that starts with one, and so does ollixir: call this on a whole body before
 * parsing it (the NDJSON decoder drops a stream's own through its `TextDecoder`).
 */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text
}
