import { readFile, stat } from 'node:fs/promises'
import { RequestError } from '../errors/RequestError.js'

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const DATA_URL = /^data:[\w.+-]+\/[\w.+-]+;base64,/
/** No file path is this long; longer strings skip the file-system look-up. */
const MAX_PATH_LENGTH = 4096

/**
 * Turns an image (`ImageInput`: bytes, a path to an existing file, or base64) into the base64 text Ollama expects. `field` (e.g.
 * `messages[0].images[1]`) names the image in the error when it is none of the three.
 */
export async function encodeImage(image: unknown, field: string): Promise<string> {
  if (image instanceof Uint8Array) return Buffer.from(image.buffer, image.byteOffset, image.byteLength).toString('base64')
  if (typeof image !== 'string') {
    throw new RequestError(`${field} must be bytes (Uint8Array/Buffer), a path to an existing file, or base64 text; got ${describe(image)}.`, { field })
  }
  if (image.length < MAX_PATH_LENGTH && (await isFile(image))) return (await readFile(image)).toString('base64')
  const text = image.replace(DATA_URL, '')
  if (text.length > 0 && text.length % 4 === 0 && BASE64.test(text)) return text
  throw new RequestError(`${field} is neither an existing file nor base64 text: ${JSON.stringify(image.slice(0, 80))}.`, { field })
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch {
    return false
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value
}
