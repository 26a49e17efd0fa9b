/**
 * Model management endpoints, following Ollama's handlers in server/routes.go and
 * server/create.go:
 * - `/api/tags` `{models:[{name, model, modified_at, size, digest, details}]}`, newest first;
 * - `/api/ps` `{models:[{..., expires_at, size_vram, context_length}]}`: models used recently;
 * - `/api/show`: no name -> 400 `model is required`; unknown -> 404 `model 'x' not found`;
 * - `/api/copy`: 200 with an empty body; unknown source -> 404 `model "x" not found`;
 * - `DELETE /api/delete` (`model`, legacy `name`): 200 empty; unknown -> 404 `model 'x' not found`;
 * - `/api/pull`: invalid name -> 400 `invalid model name`; progress lines then `{"status":"success"}`;
 *   the fake's registry "has" every model, so an unknown one is pulled and added;
 * - `/api/push`: unknown local model -> "retrieving manifest", "couldn't retrieve manifest",
 *   then an error line (PushModel);
 * - `/api/create`: unknown blob in `files` -> 400 `blob not found for <file> (digest ...)`;
 *   neither `from` nor `files` -> 400; `from` an absent model -> `pull model manifest: file does not exist`;
 * - `HEAD /api/blobs/:digest` 200/404; `POST` 201 Created, 200 when it already exists,
 *   400 `digest mismatch, expected "...", got "..."`, 400 `invalid digest format`.
 * Non-stream pull/push/create answers use `Content-Type: application/json` (waitForStream).
 */
import * as Q from '../../protocol/wire/requests.js'
import { decodeBody } from '../decode.js'
import { goFields, STREAM } from '../go-fields.js'
import { blobPath, isValidDigest, isValidName, manifestPath, sha256Hex, type StoredModel } from '../models.js'
import * as E from '../ollama-errors.js'
import { createSteps, psEntry, pullSteps, pushSteps, showBody, tagsEntry, type Json } from '../replies.js'
import type { HandlerContext } from '../routes.js'
import type { Capability, ProgressStep, Reply } from '../types.js'
import { errorOutcome, type Outcome } from '../writer.js'

/** `waitForStream` sets a bare `application/json`. */
const PROGRESS_JSON = 'application/json'

function firstString(...values: unknown[]): string {
  for (const v of values) if (typeof v === 'string' && v !== '') return v
  return ''
}

function single(body: Json, reply: Reply): Outcome {
  return { kind: 'json', status: 200, body: reply.body ?? { ...body, ...reply.extra } }
}

/**
 * A progress stream (pull/push/create): the steps, then `{"status":"success"}` plus `extra`.
 * `commit` runs once the success line was written (a pull that was cut short adds nothing).
 */
function progress(req: Json, reply: Reply, steps: ProgressStep[], commit?: () => void): Outcome {
  const final = { status: 'success', ...reply.extra }
  if (req.stream !== false) return { kind: 'stream', chunks: [...(reply.progress ?? steps), final], commit }
  if (reply.errorLineAfter !== undefined) return errorOutcome(500, reply.errorLine ?? E.RUNNER_ERROR)
  return { kind: 'json', status: 200, body: reply.body ?? final, contentType: PROGRESS_JSON, commit }
}

/** A progress stream that fails the way Ollama's does: some steps, then an error line (or a 500 without streaming). */
function failingProgress(req: Json, steps: ProgressStep[], error: string): Outcome {
  if (req.stream === false) return { kind: 'json', status: 500, body: { error }, contentType: PROGRESS_JSON }
  return { kind: 'stream', chunks: [...steps, { error }] }
}

/** What a freshly pulled model can do, guessed from its name. */
function guessCapabilities(name: string): Capability[] {
  return /embed|minilm|bge/i.test(name) ? ['embedding'] : ['completion']
}

export function tags(ctx: HandlerContext): Outcome {
  const reply = ctx.takeReply()
  return single({ models: ctx.models.list().map(tagsEntry) }, reply)
}

export function ps(ctx: HandlerContext): Outcome {
  const reply = ctx.takeReply()
  return single({ models: ctx.models.running().map(({ model, expiresAt }) => psEntry(model, expiresAt)) }, reply)
}

export function version(ctx: HandlerContext): Outcome {
  return single({ version: ctx.settings.version }, ctx.takeReply())
}

export function show(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'ShowRequest', goFields(Q.ShowRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const ref = firstString(req.model, req.name)
  if (ref === '') return errorOutcome(400, E.MODEL_REQUIRED)
  if (!isValidName(ref)) return errorOutcome(400, E.INVALID_MODEL_NAME)
  const model = ctx.models.get(ref)
  if (!model) return errorOutcome(404, E.modelNotFound(ref))

  const reply = ctx.takeReply()
  const body = showBody(model, req.verbose === true)
  if (typeof req.system === 'string' && req.system !== '') body.system = req.system
  return single(body, reply)
}

export function copy(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'CopyRequest', goFields(Q.CopyRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const source = firstString(req.source)
  const destination = firstString(req.destination)
  if (!isValidName(source)) return errorOutcome(400, E.sourceInvalid(source))
  if (!isValidName(destination)) return errorOutcome(400, E.destinationInvalid(destination))
  const model = ctx.models.get(source)
  if (!model) return errorOutcome(404, E.copySourceNotFound(source))

  const reply = ctx.takeReply()
  ctx.models.copy(model, destination)
  return reply.body !== undefined ? single({}, reply) : { kind: 'empty', status: 200 }
}

export function remove(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'DeleteRequest', goFields(Q.DeleteRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const ref = firstString(req.model, req.name)
  if (!isValidName(ref)) return errorOutcome(400, E.nameInvalid(ref))
  if (!ctx.models.get(ref)) return errorOutcome(404, E.modelNotFound(ref))

  const reply = ctx.takeReply()
  ctx.models.remove(ref)
  return reply.body !== undefined ? single({}, reply) : { kind: 'empty', status: 200 }
}

export function pull(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'PullRequest', goFields(Q.PullRequest, STREAM))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const ref = firstString(req.model, req.name)
  if (!isValidName(ref)) return errorOutcome(400, E.INVALID_MODEL_NAME)

  const reply = ctx.takeReply()
  const existing = ctx.models.get(ref)
  const target = existing ?? { digest: sha256Hex(`manifest:${ref}`), size: 2_000_000_000 }
  return progress(req, reply, [...pullSteps(target)], () => {
    if (!ctx.models.get(ref)) ctx.models.add({ name: ref, capabilities: guessCapabilities(ref) })
  })
}

export function push(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'PushRequest', goFields(Q.PushRequest, STREAM))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const ref = firstString(req.model, req.name)
  if (ref === '') return errorOutcome(400, E.MODEL_REQUIRED)

  const reply = ctx.takeReply()
  const model = ctx.models.get(ref)
  if (!model && reply.progress === undefined) {
    return failingProgress(req, [{ status: 'retrieving manifest' }, { status: "couldn't retrieve manifest" }], E.manifestMissing(manifestPath(ref)))
  }
  const steps = model ? pushSteps(model) : []
  return progress(req, reply, steps)
}

export function create(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'CreateRequest', goFields(Q.CreateRequest, STREAM))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const files = (req.files ?? {}) as Record<string, unknown>
  // A draft model's files are blobs like the model's own, checked the same way.
  const blobs = [...Object.entries(files), ...Object.entries((req.draft_files ?? {}) as Record<string, unknown>)]
  for (const [file, digest] of blobs) {
    if (typeof digest !== 'string' || digest === '') return errorOutcome(400, E.INVALID_DIGEST)
    if (!isValidDigest(digest)) return errorOutcome(400, E.createDigestInvalid(file))
  }
  const ref = firstString(req.model, req.name)
  if (!isValidName(ref)) return errorOutcome(400, E.INVALID_MODEL_NAME)
  for (const [file, digest] of blobs as Array<[string, string]>) {
    if (!ctx.models.hasBlob(digest)) return errorOutcome(400, E.createBlobMissing(file, digest, blobPath(digest)))
  }
  const from = firstString(req.from)
  const fromFiles = req.files !== undefined && req.files !== null
  if (from === '' && !fromFiles) return errorOutcome(400, E.NEITHER_FROM_NOR_FILES)
  if (from !== '' && !isValidName(from)) return errorOutcome(400, E.INVALID_MODEL_NAME)

  const reply = ctx.takeReply()
  const base = from !== '' ? ctx.models.get(from) : undefined
  if (from !== '' && !base && reply.progress === undefined) {
    // Ollama pulls an absent FROM model first; the fake's registry does not have it.
    return failingProgress(req, [{ status: 'pulling manifest' }], E.REGISTRY_MISSING)
  }

  const baseLayers = base ? [`sha256:${sha256Hex(`layer:${base.digest}`)}`] : Object.values(files as Record<string, string>)
  const newLayers = ['template', 'system', 'parameters', 'license']
    .filter((k) => req[k] !== undefined)
    .map((k) => `sha256:${sha256Hex(`${k}:${JSON.stringify(req[k])}`)}`)
  const steps = createSteps(baseLayers, newLayers, fromFiles && !base)
  return progress(req, reply, steps, () => ctx.models.add(createdSpec(ref, req, base)))
}

function createdSpec(name: string, req: Json, base: StoredModel | undefined) {
  const capabilities = Array.isArray(req.capabilities) ? (req.capabilities as Capability[]) : base?.capabilities
  const license = Array.isArray(req.license) ? req.license.join('\n') : typeof req.license === 'string' ? req.license : base?.license
  return {
    name,
    capabilities: capabilities ?? ['completion'],
    size: base?.size,
    details: base ? { ...base.details, parent_model: base.name } : undefined,
    template: typeof req.template === 'string' ? req.template : base?.template,
    system: typeof req.system === 'string' ? req.system : base?.system,
    parameters: (req.parameters as Record<string, unknown> | undefined) ?? base?.parameters,
    license,
    contextLength: base?.contextLength,
  }
}

export function headBlob(ctx: HandlerContext): Outcome {
  const digest = ctx.params.digest ?? ''
  if (!isValidDigest(digest)) return errorOutcome(400, E.INVALID_DIGEST)
  if (!ctx.models.hasBlob(digest)) return errorOutcome(404, E.blobNotFound(digest))
  ctx.takeReply()
  return { kind: 'empty', status: 200 }
}

export function createBlob(ctx: HandlerContext): Outcome {
  const digest = ctx.params.digest ?? ''
  if (!isValidDigest(digest)) return errorOutcome(400, E.INVALID_DIGEST)
  if (ctx.models.hasBlob(digest)) {
    ctx.takeReply()
    return { kind: 'empty', status: 200 }
  }
  // Ollama compares the literal parameter with the computed "sha256:<hex>".
  const actual = `sha256:${sha256Hex(ctx.raw)}`
  if (actual !== digest) return errorOutcome(400, E.digestMismatch(digest, actual))
  ctx.takeReply()
  ctx.models.putBlob(digest, ctx.raw)
  return { kind: 'empty', status: 201 }
}

/** `GET /` and `HEAD /`. */
export function root(): Outcome {
  return { kind: 'text', status: 200, text: 'Ollama is running', headers: { 'Content-Type': 'text/plain; charset=utf-8' } }
}
