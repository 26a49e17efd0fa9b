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
