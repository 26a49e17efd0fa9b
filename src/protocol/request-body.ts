import { CALL_OPTION_KEYS } from '../options.js'
import { toWireTools } from '../tools/wire-tools.js'
import { uploadCreateFiles, type UploadFile } from './create-files.js'
import type { EndpointName } from './endpoints.js'
import { encodeImage, type ReadImageFile } from './images.js'
import { validateRequest } from './validate.js'

const CALL_OPTIONS = new Set<string>(CALL_OPTION_KEYS)

/**
 * Builds the JSON body Ollama receives: call options removed, the request checked
 * against its schema, images turned into base64, `create`'s files uploaded as blobs
 * and replaced by their digests, and `stream` set explicitly for the
 * methods that stream (Ollama streams when it is absent).
 */
export async function buildBody(
  method: EndpointName,
  request: Record<string, unknown>,
  stream: boolean | undefined,
  validate: boolean,
  readImageFile: ReadImageFile,
  uploadFile?: UploadFile,
): Promise<string> {
  const body: Record<string, unknown> = {}
  for (const key in request) if (!CALL_OPTIONS.has(key) && request[key] !== undefined) body[key] = request[key]
  // Tools made with defineTool become Ollama's tool objects; raw ones pass as they are.
  if (Array.isArray(body.tools)) body.tools = toWireTools(body.tools)
  if (validate) validateRequest(method, body)
  wrapStop(body, 'options')
  wrapStop(body, 'parameters')
  if (Array.isArray(body.images)) body.images = await encodeAll(body.images, 'images', readImageFile)
  if (Array.isArray(body.messages)) {
    body.messages = await Promise.all(
      body.messages.map(async (message: Record<string, unknown>, index: number) =>
        Array.isArray(message?.images) ? { ...message, images: await encodeAll(message.images, `messages[${index}].images`, readImageFile) } : message,
      ),
    )
  }
  // After validation: a bad request must fail before gigabytes are uploaded.
  if (method === 'create' && uploadFile) await uploadCreateFiles(body, uploadFile)
  if (stream !== undefined) body.stream = stream
  return JSON.stringify(body)
}

/**
 * Ollama reads `stop` as `[]string` only (`Options.FromMap`: "option \"stop\" must be of
 * type array"), so a lone string, which the schema and the `Options` type accept, is sent
 * as a one-element array. The caller's object is not touched.
 */
function wrapStop(body: Record<string, unknown>, key: 'options' | 'parameters'): void {
  const options = body[key]
  if (typeof options === 'object' && options !== null && typeof (options as { stop?: unknown }).stop === 'string') {
    body[key] = { ...options, stop: [(options as { stop: string }).stop] }
  }
}

function encodeAll(images: unknown[], field: string, readImageFile: ReadImageFile): Promise<string[]> {
  return Promise.all(images.map((image, index) => encodeImage(image, `${field}[${index}]`, readImageFile)))
}
