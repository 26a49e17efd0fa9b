import { RequestError } from '../errors/RequestError.js'
import { surelyFits, Utf8Decoder, utf8Length } from './utf8.js'

/** How much of a bad line an error message quotes. */
const QUOTE_CHARS = 200
const SPACE = 0x20
const TAB = 0x09
const CR = 0x0d
const OPEN_BRACE = 0x7b

/**
 * Splits bytes into NDJSON values. Each read is decoded to text once, by a
 * `Utf8Decoder` that holds back a UTF-8 character split across reads (and drops a
 * leading byte-order mark), and then cut at newlines; only the
 * unfinished tail of a line waits for the next read. The tail is counted in bytes:
 * past `maxLineBytes` it throws instead of buffering a line that never ends.
 *
 * Blank lines are skipped before `JSON.parse` is ever called, so a server cannot
 * make the decoder throw (and catch) once per line: the only exception is the one
 * that ends the stream. Runtime-neutral: `Uint8Array` in, no Node built-ins.
 */
export class NdjsonDecoder {
  readonly #maxLineBytes: number
  readonly #onValue: (value: unknown) => void
  readonly #utf8 = new Utf8Decoder()
  /** The unfinished line: text pieces joined once, when its newline arrives. */
  #tail: string[] = []
  #tailBytes = 0
  #lineNumber = 0
  #stopped = false

  constructor(maxLineBytes: number, onValue: (value: unknown) => void) {
    this.#maxLineBytes = maxLineBytes
    this.#onValue = onValue
  }

  /** Decodes every complete line in `bytes`. Throws `RequestError` for a bad or overlong line. */
  push(bytes: Uint8Array): void {
    if (this.#stopped) return
    const text = this.#utf8.write(bytes)
    // The common case for a paced stream: one read, one whole line.
    if (this.#tail.length === 0 && text.indexOf('\n') === text.length - 1 && surelyFits(text, this.#maxLineBytes)) {
      this.#parse(text)
      return
    }
    let start = 0
    let newline = text.indexOf('\n')
    if (newline !== -1 && this.#tail.length > 0) {
      this.#tail.push(text.slice(0, newline))
      const line = this.#tail.join('')
      this.#tail = []
      this.#tailBytes = 0
      this.#checkLength(line)
      this.#parse(line)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    while (newline !== -1 && !this.#stopped) {
      const line = text.slice(start, newline)
      // Characters never outnumber bytes, and none takes more than 3: only a long line needs counting.
      if ((newline - start) * 3 > this.#maxLineBytes) this.#checkBytes(utf8Length(line))
      this.#parse(line)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    if (start < text.length && !this.#stopped) {
      const rest = start === 0 ? text : text.slice(start)
      this.#tailBytes += utf8Length(rest)
      this.#checkBytes(this.#tailBytes)
      this.#tail.push(rest)
    }
  }

  /** The body ended: a last line without its newline still counts. */
  end(): void {
    const rest = this.#utf8.end()
    if (this.#stopped) return
    if (rest) this.#tail.push(rest)
    if (this.#tail.length > 0) {
      const line = this.#tail.join('')
      this.#tail = []
      this.#tailBytes = 0
      this.#parse(line)
    }
  }

  /** Ignore whatever follows, e.g. after an error line ended the stream. */
  stop(): void {
    this.#stopped = true
    this.#tail = []
    this.#tailBytes = 0
  }

  /** Only a long line is counted: characters alone show that a short one fits. */
  #checkLength(line: string): void {
    if (!surelyFits(line, this.#maxLineBytes)) this.#checkBytes(utf8Length(line))
  }

  #checkBytes(bytes: number): void {
    if (bytes > this.#maxLineBytes) {
      this.stop()
      throw new RequestError(
        `NDJSON line ${this.#lineNumber + 1} is longer than maxLineBytes (${this.#maxLineBytes} bytes); the stream was ended instead of buffering it.`,
        { code: 'ELINETOOLONG' },
      )
    }
  }

  #parse(text: string): void {
    this.#lineNumber++
    // Blank lines (and a CRLF's stray \r) carry nothing; Ollama never sends them, proxies might.
    if (text.charCodeAt(0) !== OPEN_BRACE && isBlank(text)) return
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (cause) {
      this.stop()
      const quote = text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text
      throw new RequestError(`Invalid NDJSON from Ollama at line ${this.#lineNumber}: ${JSON.stringify(quote)} (${(cause as Error).message})`, {
        code: 'EBADLINE',
        cause,
      })
    }
    this.#onValue(value)
  }
}

/**
 * True for a line of nothing but whitespace. A line that starts (after spaces) with
 * `{`, as every NDJSON object does, is answered after a character or two.
 */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const unit = line.charCodeAt(i)
    if (unit === SPACE || unit === TAB || unit === CR) continue
    // Rare: any other first character; trim() knows every Unicode space (NBSP, U+2028, …).
    return unit === OPEN_BRACE ? false : line.trim() === ''
  }
  return true
}
