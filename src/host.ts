import { RequestError } from './errors/RequestError.js'
import { escapeCharacter } from './protocol/server-text.js'

export const DEFAULT_HOST = 'http://127.0.0.1:11434'
const DEFAULT_PORT = 11434

/**
 * Normalises a host the way ollama-python's `_parse_host` does, so `OLLAMA_HOST`
 * means the same thing to every client:
 *
 * | input               | result                       |
 * |---------------------|------------------------------|
 * | `''` / undefined    | `http://127.0.0.1:11434`     |
 * | `'1.2.3.4'`         | `http://1.2.3.4:11434`       |
 * | `':56789'`          | `http://127.0.0.1:56789`     |
 * | `'http://h'`        | `http://h:80`                |
 * | `'https://h'`       | `https://h:443`              |
 * | `'h:1/path/'`       | `http://h:1/path`            |
 * | `'[::1]:8080'`      | `http://[::1]:8080`          |
 *
 * Written by hand rather than with `URL`, which would rewrite IPv6 addresses and
 * refuse some of these forms.
 */
export function parseHost(input: string | undefined | null): string {
  const raw = (input ?? '').trim()
  const stray = STRAY_CHARACTER.exec(raw)?.[0]
  if (stray !== undefined) throw invalidHost(raw, `it contains ${describeStray(stray)}; a host is [scheme://]host[:port][/path] and nothing more`)
  let scheme = 'http'
  let rest = raw
  let port = DEFAULT_PORT
  const sep = raw.indexOf('://')
  if (sep !== -1 && sep + 3 < raw.length) {
    scheme = raw.slice(0, sep).toLowerCase()
    rest = raw.slice(sep + 3)
    if (scheme === 'http') port = 80
    else if (scheme === 'https') port = 443
  }

  const slash = rest.indexOf('/')
  let netloc = slash === -1 ? rest : rest.slice(0, slash)
  const path = slash === -1 ? '' : rest.slice(slash).replace(/^\/+|\/+$/g, '')
  // Credentials in a host are dropped, as urlsplit's hostname drops them.
  netloc = netloc.slice(netloc.lastIndexOf('@') + 1)

  let hostname: string
  let portText = ''
  if (netloc.startsWith('[')) {
    const close = netloc.indexOf(']')
    if (close === -1) throw invalidHost(raw, 'an IPv6 address needs a closing "]"')
    hostname = netloc.slice(0, close + 1)
    const after = netloc.slice(close + 1)
    if (after.startsWith(':')) portText = after.slice(1)
    else if (after !== '') throw invalidHost(raw, `unexpected "${after}" after the IPv6 address`)
  } else {
    const colon = netloc.lastIndexOf(':')
    hostname = colon === -1 ? netloc : netloc.slice(0, colon)
    portText = colon === -1 ? '' : netloc.slice(colon + 1)
    // A bare IPv6 address (several colons, no brackets) gets its brackets back.
    if (hostname.includes(':')) {
      hostname = `[${netloc}]`
      portText = ''
    }
  }
  hostname = hostname.toLowerCase() || '127.0.0.1'

  if (portText !== '') {
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw invalidHost(raw, `port "${portText}" is not a number from 0 to 65535`)
    port = Number(portText)
  }
  return path ? `${scheme}://${hostname}:${port}/${path}` : `${scheme}://${hostname}:${port}`
}

/**
 * A query or fragment would swallow every API path appended to the host, and
 * whitespace or a control character (a pasted newline) would reach the request line:
 * refused rather than sent to the wrong path. Surrounding whitespace is trimmed before.
 */
const STRAY_CHARACTER = /[?#\s\p{Cc}]/u

function describeStray(character: string): string {
  if (character === '?') return '"?" (a query)'
  if (character === '#') return '"#" (a fragment)'
  const shown = escapeCharacter(character)
  return /\p{Cc}/u.test(character) && character !== '\t' ? `a control character (${shown})` : `whitespace (${shown})`
}

/** `scheme://user:password@` or `user@`: never shown in a message. */
const CREDENTIALS = /^([a-z][a-z0-9+.-]*:\/\/)?[^/@]*@/i
const UNPRINTABLE = /[\p{Cc}\p{Zl}\p{Zp}\u00a0]/gu

/** The host as the message shows it: credentials masked, control characters and odd spaces escaped. */
function printable(text: string): string {
  return text.replace(CREDENTIALS, (_match, scheme: string | undefined) => `${scheme ?? ''}…@`).replace(UNPRINTABLE, escapeCharacter)
}

function invalidHost(raw: string, why: string): RequestError {
  return new RequestError(`Invalid Ollama host "${printable(raw)}": ${why}.`, { field: 'host' })
}

/** True for the hosted API, the only place the environment's cloud key may go. */
export function isOllamaCloud(baseUrl: string): boolean {
  return /^https:\/\/(www\.)?ollama\.com(:443)?(\/|$)/.test(baseUrl)
}
