import { RequestError } from '../errors/RequestError.js'

const NEWLINE = 0x0a
/** How much of a bad line an error message quotes. */
const QUOTE_CHARS = 200

/**
 * Splits bytes into NDJSON values. Bytes are only decoded once a whole line is
 * there, and `\n` never occurs inside a UTF-8 sequence, so characters split across
 * reads arrive intact. A partial line is kept as a list of slices (joined once, at
 * its newline) rather than grown by concatenation; past `maxLineBytes` it throws
 * instead of buffering a line that never ends.
 */
export class NdjsonDecoder {
  readonly #maxLineBytes: number
  readonly #onValue: (value: unknown) => void
  #pending: Buffer[] = []
  #pendingBytes = 0
  #lineNumber = 0
  #stopped = false

  constructor(maxLineBytes: number, onValue: (value: unknown) => void) {
    this.#maxLineBytes = maxLineBytes
    this.#onValue = onValue
  }

  /** Decodes every complete line in `chunk`. Throws `RequestError` for a bad or overlong line. */
  push(chunk: Buffer): void {
    let start = 0
    let newline = chunk.indexOf(NEWLINE)
    while (newline !== -1 && !this.#stopped) {
      if (this.#pendingBytes === 0) {
        this.#checkLength(newline - start)
        this.#parse(chunk.toString('utf8', start, newline))
      } else {
        this.#checkLength(this.#pendingBytes + newline - start)
        this.#pending.push(chunk.subarray(start, newline))
        const line = Buffer.concat(this.#pending, this.#pendingBytes + newline - start)
        this.#pending = []
        this.#pendingBytes = 0
        this.#parse(line.toString('utf8'))
      }
      start = newline + 1
      newline = chunk.indexOf(NEWLINE, start)
    }
    if (start < chunk.length && !this.#stopped) {
      this.#checkLength(this.#pendingBytes + chunk.length - start)
      this.#pending.push(start === 0 ? chunk : chunk.subarray(start))
      this.#pendingBytes += chunk.length - start
    }
  }

  /** The body ended: a last line without its newline still counts. */
  end(): void {
    if (this.#pendingBytes > 0 && !this.#stopped) {
      const line = Buffer.concat(this.#pending, this.#pendingBytes)
      this.#pending = []
      this.#pendingBytes = 0
      this.#parse(line.toString('utf8'))
    }
  }

  /** Ignore whatever follows, e.g. after an error line ended the stream. */
  stop(): void {
    this.#stopped = true
    this.#pending = []
    this.#pendingBytes = 0
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
    // Blank lines (and a CRLF's stray \r) carry nothing; Ollama never sends them, proxies might.
    if (text.length === 0 || (text.length <= 2 && text.trim() === '')) return
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
