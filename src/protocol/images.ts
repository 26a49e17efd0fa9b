import { RequestError } from '../errors/RequestError.js'
import { toBase64 } from './base64.js'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,/
/** No file path is this long; longer strings skip the file-system look-up. */
const MAX_PATH_LENGTH = 4096

/** Reads an image given as a path; absent where there is no file system (browsers). */
export type ReadImageFile = ((path: string) => Promise<Uint8Array | undefined>) | undefined

/**
 * Turns an image (`ImageInput`: bytes, a `Blob`/`File`, a path to an existing file in
 * Node, or base64) into the base64 text Ollama expects. `field` (e.g.
 * `messages[0].images[1]`) names the image in the error when it is none of these.
 */
export async function encodeImage(image: unknown, field: string, readFile: ReadImageFile): Promise<string> {
  if (image instanceof Uint8Array) return toBase64(image)
  if (image instanceof ArrayBuffer) return toBase64(new Uint8Array(image))
  if (typeof Blob === 'function' && image instanceof Blob) return toBase64(new Uint8Array(await image.arrayBuffer()))
  const accepted = readFile ? 'bytes (Uint8Array/Buffer), a Blob, a path to an existing file, or base64 text' : 'bytes (Uint8Array or ArrayBuffer), a Blob or File, or base64 text (file paths work in Node only)'
  if (typeof image !== 'string') throw new RequestError(`${field} must be ${accepted}; got ${describe(image)}.`, { field })
  if (readFile && image.length < MAX_PATH_LENGTH) {
    const bytes = await readFile(image)
    if (bytes) return toBase64(bytes)
  }
  const text = image.replace(DATA_URL, '')
  if (text.length > 0 && text.length % 4 === 0 && BASE64.test(text)) return text
  const what = readFile ? 'neither an existing file nor base64 text' : `not base64 text; images must be ${accepted}`
  throw new RequestError(`${field} is ${what}: ${JSON.stringify(image.slice(0, 80))}.`, { field })
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
