/** How much of a server's text an error message quotes by default. */
export const QUOTE_MAX_CHARS = 1024
/** How much of a body an error keeps, raw, for whoever wants to look closer (`ResponseError.body`). */
export const RAW_BODY_MAX_CHARS = 64 * 1024

/** Control characters and the bidirectional overrides that can disguise text in a terminal. */
const UNPRINTABLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu
const WHITESPACE = /\s+/g
const HTML_START = /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i
const HTML_HIDDEN = /<(script|style|head)\b[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi
const HTML_TAG = /<[^>]*>/g
const HTML_TITLE = /<title[^>]*>([\s\S]*?)<\/title\s*>/i
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" }

/**
 * A server's text made fit to quote in an error message: at most `max` characters
 * (then `…`), whitespace collapsed to single spaces, control characters shown as
 * escapes (`\x00`), and an HTML page (a proxy's error page) reduced to its text.
 * Ollama's own short error texts come out unchanged. The raw text is for the
 * error's `body`, not its message.
 *
 * @example
 * quoteServerText('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>')
 * // 'HTML page: 502 Bad Gateway nginx'
 */
export function quoteServerText(text: string, max = QUOTE_MAX_CHARS): string {
  // Work on a bounded start: a 2 GB body is not read through to quote 1 KiB of it.
  let quoted = text.length > max * 64 ? text.slice(0, max * 64) : text
  if (HTML_START.test(quoted)) quoted = htmlText(quoted)
  quoted = quoted.replace(WHITESPACE, ' ').trim().replace(UNPRINTABLE, escapeCharacter)
  if (quoted.length <= max) return quoted
  // Never cut a surrogate pair in two.
  let end = max - 1
  if (end > 0 && (quoted.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--
  return `${quoted.slice(0, end)}…`
}

/** An HTML page's visible text: scripts, styles and the head dropped, tags removed, a few entities decoded. */
function htmlText(html: string): string {
  const title = HTML_TITLE.exec(html)?.[1]?.trim()
  const text = html
    .replace(HTML_HIDDEN, ' ')
    .replace(HTML_TAG, ' ')
    .replace(/&(#39|[a-z]+);/gi, (entity, name: string) => ENTITIES[name.toLowerCase()] ?? entity)
    .trim()
  return `HTML page: ${text || title || '(no text)'}`
}

/** `\x00` for a character up to U+00FF, `\u202e` above: what it is, shown in plain ASCII. */
export function escapeCharacter(character: string): string {
  const code = character.codePointAt(0)!
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}
