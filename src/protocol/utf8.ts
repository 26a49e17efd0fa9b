import { stripBom } from './bom.js'

/**
 * One decoder for every stream: non-streaming `decode` calls keep no state between
 * them, and they take the engines' fast path (a streaming `TextDecoder` is several
 * times slower in Node). `ignoreBOM`: a byte-order mark is dropped at the start of a
 * stream only, by `Utf8Decoder`, not at the start of every read.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

/**
 * Decodes UTF-8 that arrives in pieces, runtime-neutral (`Uint8Array` in, no
 * `Buffer`): the bytes of a character split across reads wait for the rest, invalid
 * bytes become U+FFFD, and a leading byte-order mark is dropped. Gives the same text
 * as a streaming `TextDecoder`, faster.
 */
export class Utf8Decoder {
  /** The first bytes of a character whose rest is in the next read. */
  #pending: Uint8Array | undefined
  #started = false

  /** The text of every complete character so far. */
  write(bytes: Uint8Array): string {
    let input = bytes
    if (this.#pending) {
      input = new Uint8Array(this.#pending.length + bytes.length)
      input.set(this.#pending)
      input.set(bytes, this.#pending.length)
      this.#pending = undefined
    }
    const end = completeLength(input)
    // A copy: the caller may reuse its buffer.
    if (end < input.length) this.#pending = input.slice(end)
    if (end === 0) return ''
    return this.#begin(UTF8.decode(end === input.length ? input : input.subarray(0, end)))
  }

  /** The input ended: an unfinished character is a U+FFFD. */
  end(): string {
    const rest = this.#pending
    this.#pending = undefined
    return rest ? this.#begin(UTF8.decode(rest)) : ''
  }

  #begin(text: string): string {
    if (this.#started || text === '') return text
    this.#started = true
    return stripBom(text)
  }
}

/**
 * How many bytes hold only complete characters: an unfinished multi-byte sequence at
 * the end is left out (its lead byte is at most 3 bytes from the end). Bytes that no
 * later byte could complete are kept in, as a streaming decoder would emit them.
 */
function completeLength(bytes: Uint8Array): number {
  const length = bytes.length
  for (let i = length - 1; i >= 0 && i >= length - 3; i--) {
    const byte = bytes[i]!
    // A continuation byte (10xxxxxx): its lead is further back.
    if ((byte & 0xc0) === 0x80) continue
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return length - i < needed ? i : length
  }
  return length
}

/**
 * The number of bytes `text` takes in UTF-8, counted from its UTF-16 code units
 * (no `Buffer`, no encoder: it runs anywhere). A surrogate pair is 4 bytes; a lone
 * surrogate is 3, as the U+FFFD that replaces it.
 */
export function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) continue
    if (unit < 0x800) bytes += 1
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2 // 2 code units, 4 bytes
      i++
    } else bytes += 2
  }
  return bytes
}

/** No UTF-16 code unit takes more than 3 bytes in UTF-8, so text this short fits `maxBytes` uncounted. */
export function surelyFits(text: string, maxBytes: number): boolean {
  return text.length * 3 <= maxBytes
}
