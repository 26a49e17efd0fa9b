/**
 * `/api/chat`, `/api/generate`, `/api/embed`, `/api/embeddings`, checked and
 * answered in the order of Ollama's `ChatHandler`, `GenerateHandler`,
 * `EmbedHandler` and `EmbeddingsHandler` (server/routes.go):
 * - chat: missing/invalid model -> 400 `model is required`; unknown -> 404 `model 'x' not found`;
 *   no messages -> `done_reason:"load"` (`"unload"` with `keep_alive: 0`), always one JSON object;
 * - generate: invalid or unknown model -> 404 `model 'x' not found`; empty prompt -> load/unload;
 *   `raw` with template/system/context -> 400;
 * - embed: input must be a string or an array of strings (400 `invalid input type`);
 *   unknown model -> 404 `model "x" not found, try pulling it first`; no input -> `embeddings: []`;
 * - embeddings (legacy): invalid model -> 400 `model is required`; empty prompt -> `embedding: []`.
 * `stream` defaults to true; `stream:false` gets the chunks merged into one object.
 *
 * `think` (chat and generate), as `api.ThinkValue` and the handlers treat it:
 * - a value other than a boolean or "low"/"medium"/"high"/"max" -> 400 from `ThinkValue.UnmarshalJSON`
 *   (`invalid think value: "x" (...)`), before anything else is looked at;
 * - a level the model does not take (`thinkLevels` of its spec) -> 400
 *   `think value "x" is not supported for this model`;
 * - with `strictCapabilities`, `think: true` or a level for a model without the `thinking`
 *   capability -> 400 `"x" does not support thinking`; `think: false` is fine;
 * - `think: false` asks the model not to think: scripted thinking is left out of the reply.
 *   With `strictCapabilities` the same goes for a model without the `thinking` capability
 *   (the server never parses thinking out of its output), while an omitted `think` means
 *   `true` for one that has it (`req.Think = &api.ThinkValue{Value: true}`).
 */
import * as Q from '../../protocol/wire/requests.js'
import { THINK_LEVELS as DECLARED_THINK_LEVELS } from '../../protocol/wire/scalars.js'
import { decodeBody } from '../decode.js'
import { goFields, STREAM } from '../go-fields.js'
import { isValidName, parseKeepAlive, type StoredModel } from '../models.js'
import * as E from '../ollama-errors.js'
import {
  chatChunks,
  chatLoad,
  countTokens,
  deterministicEmbedding,
  generateChunks,
  generateLoad,
  mergeChat,
  mergeGenerate,
  type ChunkExtras,
  type Json,
} from '../replies.js'
import type { HandlerContext } from '../routes.js'
import type { Reply } from '../types.js'
import { errorOutcome, type Outcome } from '../writer.js'

/** `think: true` or a level string ("high", ...) asks for thinking, as `ThinkValue.Bool()`. */
function wantsThinking(think: unknown): boolean {
  return think === true || (typeof think === 'string' && think !== '')
}

/** `ThinkValue.UnmarshalJSON`'s errors; `null` leaves the pointer nil, i.e. unset. */
function thinkValueError(think: unknown): Outcome | undefined {
  if (think === undefined || think === null || typeof think === 'boolean') return undefined
  if (typeof think === 'string') return THINK_LEVELS.has(think) ? undefined : errorOutcome(400, E.invalidThinkValue(think))
  return errorOutcome(400, E.THINK_TYPE)
}

const THINK_LEVELS = new Set<string>(DECLARED_THINK_LEVELS)

/** A level the model does not take: the handlers' own 400, checked before capabilities. */
function thinkLevelError(m: StoredModel, think: unknown): Outcome | undefined {
  if (typeof think !== 'string' || !m.thinkLevels || m.thinkLevels.includes(think)) return undefined
  return errorOutcome(400, E.thinkLevelNotSupported(think))
}

/** Whether the model's (scripted) thinking reaches the reply; see the notes at the top. */
function thinks(ctx: HandlerContext, m: StoredModel, think: unknown): boolean {
  if (think === false) return false
  if (think === undefined || think === null) return !ctx.settings.strictCapabilities || m.capabilities.includes('thinking')
  return true
}

/** The reply as the model produced it: without thinking when it was told not to think. */
function shaped(reply: Reply, thinking: boolean): Reply {
  return thinking || reply.thinking === undefined ? reply : { ...reply, thinking: [] }
}

function topLogprobsError(value: unknown): Outcome | undefined {
  return typeof value === 'number' && (value < 0 || value > 20) ? errorOutcome(400, E.TOP_LOGPROBS_RANGE) : undefined
}

/** The checks chat and generate make on the fields they share, before the model is looked up. */
function generationFieldError(req: Record<string, unknown>): Outcome | undefined {
  return thinkValueError(req.think) ?? topLogprobsError(req.top_logprobs)
}

/** What the model (remote or not) and the request (`logprobs`, `top_logprobs`) add to every chunk. */
function chunkExtras(m: StoredModel, req: Json): ChunkExtras {
  const top = typeof req.top_logprobs === 'number' ? req.top_logprobs : 0
  return { ...(m.remote ? { remote: m.remote } : {}), ...(req.logprobs === true ? { logprobs: { top } } : {}) }
}

/** A one-object answer: `reply.body` replaces it, `reply.extra` is merged into it. */
function single(body: Json, reply: Reply, commit?: () => void): Outcome {
  return { kind: 'json', status: 200, body: reply.body ?? { ...body, ...reply.extra }, commit }
}

/** `stream:false`: an error Ollama would have streamed becomes the whole answer (500). */
function unstreamed(merged: Json, reply: Reply): Outcome {
  if (reply.errorLineAfter !== undefined) return errorOutcome(500, reply.errorLine ?? E.RUNNER_ERROR)
  return { kind: 'json', status: 200, body: reply.body ?? merged }
}

function checkCapabilities(ctx: HandlerContext, m: StoredModel, name: string, req: Json, endpoint: 'chat' | 'generate'): Outcome | undefined {
  const levelError = thinkLevelError(m, req.think)
  if (levelError) return levelError
  if (!ctx.settings.strictCapabilities) return undefined
  if (wantsThinking(req.think) && !m.capabilities.includes('thinking')) return errorOutcome(400, E.doesNotSupportThinking(name))
  if (!m.capabilities.includes('completion')) {
    return errorOutcome(400, endpoint === 'chat' ? E.doesNotSupportChat(name) : E.doesNotSupportGenerate(name))
  }
  if (Array.isArray(req.tools) && req.tools.length > 0 && !m.capabilities.includes('tools')) {
    return errorOutcome(400, E.doesNotSupportTools(m.fullName))
  }
  return undefined
}

export function chat(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'ChatRequest', goFields(Q.ChatRequest, STREAM))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const fieldError = generationFieldError(req)
  if (fieldError) return fieldError
  if (!isValidName(req.model)) return errorOutcome(400, E.MODEL_REQUIRED)
  const name = req.model
  const model = ctx.models.get(name)
  if (!model) return errorOutcome(404, E.modelNotFound(name))
  const capabilityError = checkCapabilities(ctx, model, name, req, 'chat')
  if (capabilityError) return capabilityError

  const reply = ctx.takeReply()
  const messages = (req.messages as Array<{ content?: unknown }> | undefined) ?? []
  if (messages.length === 0) {
    const unload = parseKeepAlive(req.keep_alive) === 0
    if (unload) ctx.models.unload(model)
    else ctx.models.load(model, req.keep_alive)
    return single(chatLoad(name, unload ? 'unload' : 'load'), reply)
  }

  ctx.models.load(model, req.keep_alive)
  const promptTokens = messages.reduce((n, m) => n + (typeof m?.content === 'string' ? countTokens(m.content) : 0), 0)
  const chunks = chatChunks(name, shaped(reply, thinks(ctx, model, req.think)), promptTokens, chunkExtras(model, req))
  return req.stream === false ? unstreamed(mergeChat(chunks), reply) : { kind: 'stream', chunks }
}

export function generate(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'GenerateRequest', goFields(Q.GenerateRequest, STREAM))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  const fieldError = generationFieldError(req)
  if (fieldError) return fieldError
  const name = typeof req.model === 'string' ? req.model : ''
  // Generate answers an invalid name like an unknown one (see GenerateHandler).
  const model = isValidName(name) ? ctx.models.get(name) : undefined
  if (!model) return errorOutcome(404, E.modelNotFound(name))

  const prompt = typeof req.prompt === 'string' ? req.prompt : ''
  if (prompt === '' && parseKeepAlive(req.keep_alive) === 0) {
    const reply = ctx.takeReply()
    ctx.models.unload(model)
    return single(generateLoad(name, 'unload'), reply)
  }
  const raw = req.raw === true
  const hasContext = Array.isArray(req.context) && req.context.length > 0
  if (raw && (Boolean(req.template) || Boolean(req.system) || hasContext)) return errorOutcome(400, E.RAW_MODE_CONFLICT)
  const capabilityError = checkCapabilities(ctx, model, name, req, 'generate')
  if (capabilityError) return capabilityError

  const reply = ctx.takeReply()
  ctx.models.load(model, req.keep_alive)
  if (prompt === '') return single(generateLoad(name, 'load'), reply)

  const system = typeof req.system === 'string' ? req.system : ''
  const chunks = generateChunks(name, shaped(reply, thinks(ctx, model, req.think)), `${system} ${prompt}`, raw, chunkExtras(model, req))
  return req.stream === false ? unstreamed(mergeGenerate(chunks), reply) : { kind: 'stream', chunks }
}

/** `reply.embeddings` for /api/embed: a single vector is one row. */
function rows(embeddings: Reply['embeddings']): number[][] | undefined {
  if (embeddings === undefined) return undefined
  return embeddings.length > 0 && typeof embeddings[0] === 'number' ? [embeddings as number[]] : (embeddings as number[][])
}

export function embed(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'EmbedRequest', goFields(Q.EmbedRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value

  let inputs: string[]
  if (typeof req.input === 'string') inputs = req.input === '' ? [] : [req.input]
  else if (Array.isArray(req.input) && req.input.every((i): i is string => typeof i === 'string')) inputs = req.input
  else if (req.input === undefined || req.input === null) inputs = []
  else return errorOutcome(400, E.INVALID_INPUT_TYPE)

  const name = typeof req.model === 'string' ? req.model : ''
  const model = isValidName(name) ? ctx.models.get(name) : undefined
  if (!model) return errorOutcome(404, E.modelNotFoundTryPulling(name))

  const reply = ctx.takeReply()
  ctx.models.load(model, req.keep_alive)
  if (inputs.length === 0) return single({ model: name, embeddings: [] }, reply)

  const dimensions = typeof req.dimensions === 'number' && req.dimensions > 0 ? req.dimensions : undefined
  const embeddings = rows(reply.embeddings) ?? inputs.map((text) => deterministicEmbedding(text, dimensions))
  const tokens = inputs.reduce((n, text) => n + Math.max(1, countTokens(text)), 0)
  const load = 1_000_000 + Math.round((reply.headersDelayMs ?? 0) * 1_000_000)
  return single(
    { model: name, embeddings, total_duration: load + tokens * 250_000, load_duration: load, prompt_eval_count: tokens },
    reply,
  )
}

export function embeddings(ctx: HandlerContext): Outcome {
  const decoded = decodeBody(ctx.raw, 'EmbeddingRequest', goFields(Q.EmbeddingsRequest))
  if (!decoded.ok) return errorOutcome(400, decoded.error)
  const req = decoded.value
  if (!isValidName(req.model)) return errorOutcome(400, E.MODEL_REQUIRED)
  const name = req.model
  const model = ctx.models.get(name)
  if (!model) return errorOutcome(404, E.modelNotFoundTryPulling(name))

  const reply = ctx.takeReply()
  ctx.models.load(model, req.keep_alive)
  const prompt = typeof req.prompt === 'string' ? req.prompt : ''
  if (prompt === '') return single({ embedding: [] }, reply)
  const scripted = rows(reply.embeddings)?.[0]
  return single({ embedding: scripted ?? deterministicEmbedding(prompt) }, reply)
}
