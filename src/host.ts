import { RequestError } from './errors/RequestError.js'

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

function invalidHost(raw: string, why: string): RequestError {
  return new RequestError(`Invalid Ollama host "${raw}": ${why}.`, { field: 'host' })
}

/** True for the hosted API, the only place the environment's cloud key may go. */
export function isOllamaCloud(baseUrl: string): boolean {
  return /^https:\/\/(www\.)?ollama\.com(:443)?(\/|$)/.test(baseUrl)
}
