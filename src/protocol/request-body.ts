import { CALL_OPTION_KEYS } from '../options.js'
import type { EndpointName } from './endpoints.js'
import { encodeImage } from './images.js'
import { validateRequest } from './validate.js'

const CALL_OPTIONS = new Set<string>(CALL_OPTION_KEYS)

/**
 * Builds the JSON body Ollama receives: call options removed, the request checked
 * against its schema, images turned into base64, and `stream` set explicitly for the
 * methods that stream (Ollama streams when it is absent).
 */
export async function buildBody(method: EndpointName, request: Record<string, unknown>, stream: boolean | undefined, validate: boolean): Promise<string> {
  const body: Record<string, unknown> = {}
  for (const key in request) if (!CALL_OPTIONS.has(key) && request[key] !== undefined) body[key] = request[key]
  if (validate) validateRequest(method, body)
  if (Array.isArray(body.images)) body.images = await encodeAll(body.images, 'images')
  if (Array.isArray(body.messages)) {
    body.messages = await Promise.all(
      body.messages.map(async (message: Record<string, unknown>, index: number) =>
        Array.isArray(message?.images) ? { ...message, images: await encodeAll(message.images, `messages[${index}].images`) } : message,
      ),
    )
  }
  if (stream !== undefined) body.stream = stream
  return JSON.stringify(body)
}

function encodeAll(images: unknown[], field: string): Promise<string[]> {
  return Promise.all(images.map((image, index) => encodeImage(image, `${field}[${index}]`)))
}
