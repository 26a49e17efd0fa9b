import { StringDecoder } from 'node:string_decoder'
import { RequestError } from '../errors/RequestError.js'

/** How much of a bad line an error message quotes. */
const QUOTE_CHARS = 200

/**
 * Splits bytes into NDJSON values. Each read is decoded to text once, by a
 * `StringDecoder` that holds back a UTF-8 character split across reads, and then
 * cut at newlines; only the unfinished tail of a line waits for the next read. The
 * tail is counted in bytes: past `maxLineBytes` it throws instead of buffering a
 * line that never ends.
 */
export class NdjsonDecoder {
  readonly #maxLineBytes: number
  readonly #onValue: (value: unknown) => void
  readonly #utf8 = new StringDecoder('utf8')
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
    const text = this.#utf8.write(bytes)
    // The common case for a paced stream: one read, one whole line.
    if (this.#tail.length === 0 && text.indexOf('\n') === text.length - 1 && text.length <= this.#maxLineBytes / 3) {
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
      this.#checkLength(Buffer.byteLength(line))
      this.#parse(line)
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    while (newline !== -1 && !this.#stopped) {
      // Characters never outnumber bytes, so only a long line needs counting.
      if (newline - start > this.#maxLineBytes / 3) this.#checkLength(Buffer.byteLength(text.slice(start, newline)))
      this.#parse(text.slice(start, newline))
      start = newline + 1
      newline = text.indexOf('\n', start)
    }
    if (start < text.length && !this.#stopped) {
      const rest = start === 0 ? text : text.slice(start)
      this.#tailBytes += Buffer.byteLength(rest)
      this.#checkLength(this.#tailBytes)
      this.#tail.push(rest)
    }
  }

  /** The body ended: a last line without its newline still counts. */
  end(): void {
    const rest = this.#utf8.end()
    if (rest) this.#tail.push(rest)
    if (this.#tail.length > 0 && !this.#stopped) {
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

  #checkLength(bytes: number): void {
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
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (cause) {
      // Blank lines (and a CRLF's stray \r) carry nothing; Ollama never sends them, proxies might.
      if (text.trim() === '') return
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
