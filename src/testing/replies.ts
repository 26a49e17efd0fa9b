/**
 * Builds the JSON objects the fake sends, shaped like Ollama's `api` types
 * (`ChatResponse`, `GenerateResponse`, `ProgressResponse`, `EmbedResponse`,
 * `ShowResponse`, `ListModelResponse`, `ProcessModelResponse`):
 * - chat chunk `{model, created_at, message:{role:"assistant", content}, done:false}`;
 *   thinking chunks carry `message.thinking` with empty content; tool calls come in
 *   one chunk with `message.tool_calls`;
 * - the final chunk has empty content, `done_reason`, `done:true` and the metrics
 *   (`total_duration`, `load_duration`, `prompt_eval_count`, `prompt_eval_duration`,
 *   `eval_count`, `eval_duration`; all nanoseconds, never 0 since Go omits empty ones);
 * - generate uses `response` / `thinking` / top-level `tool_calls`, and its final chunk
 *   carries `context` (token ids) unless `raw`;
 * - a remote model's chunks carry `remote_model` and `remote_host`; with `logprobs: true`
 *   each chunk of generated text carries `logprobs: [{token, logprob, bytes, top_logprobs?}]`;
 * - non-streamed answers are the chunks merged the way the handlers do it
 *   (content and thinking concatenated, tool calls and logprobs collected, last chunk's metrics).
 */
import type { ProgressStep, Reply } from './types.js'
import { blobPath, sha256Hex, type StoredModel } from './models.js'

export type Json = Record<string, unknown>

export const DEFAULT_TEXT = 'Hello from FakeOllama'
/** Dimensions of the default deterministic embeddings. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 16

const NS_PER_MS = 1_000_000

/** Splits text into word chunks that keep their leading whitespace: `"a b"` -> `["a", " b"]`. */
export function splitWords(text: string): string[] {
  const words = text.match(/\s*\S+/g)
  if (!words) return text === '' ? [] : [text]
  const trailing = text.slice(words.join('').length)
  if (trailing) words[words.length - 1] += trailing
  return words
}

function chunksOf(value: string | string[] | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback
  return Array.isArray(value) ? value : splitWords(value)
}

/** Rough token count, enough for `prompt_eval_count` / `eval_count`. */
export function countTokens(text: string): number {
  return (text.match(/\S+/g) ?? []).length
}

function now(): string {
  return new Date().toISOString()
}

/** Plausible metrics derived from the reply's timing, so they are stable across runs. */
function metrics(reply: Reply, promptTokens: number, evalCount: number): Json {
  const load = NS_PER_MS + Math.round((reply.headersDelayMs ?? 0) * NS_PER_MS)
  const promptEval = Math.max(1, promptTokens) * 100_000
  const evalDuration = Math.max(1, evalCount) * Math.max(NS_PER_MS, Math.round((reply.chunkDelayMs ?? 0) * NS_PER_MS))
  return {
    total_duration: load + promptEval + evalDuration + 500_000,
    load_duration: load,
    prompt_eval_count: Math.max(1, promptTokens),
    prompt_eval_duration: promptEval,
    eval_count: Math.max(1, evalCount),
    eval_duration: evalDuration,
  }
}

/** What the model and the request add to the chunks of chat and generate. */
export interface ChunkExtras {
  /** The model runs on another Ollama: every chunk says which model where. */
  remote?: { model: string; host: string }
  /** The request asked for `logprobs`, with this many alternatives per token (`top_logprobs`). */
  logprobs?: { top: number }
}

/** `remote_model`/`remote_host`, for a remote model's chunks. */
function remoteFields(extras: ChunkExtras): Json {
  return extras.remote ? { remote_model: extras.remote.model, remote_host: extras.remote.host } : {}
}

/**
 * Log probabilities of one chunk of generated text, as one token: deterministic, with the
 * token's UTF-8 bytes (a token may hold part of a character) and `top` alternatives.
 */
function logprobsOf(text: string, position: number, extras: ChunkExtras): Json {
  if (!extras.logprobs) return {}
  const token = (t: string, logprob: number): Json => ({ token: t, logprob, bytes: [...Buffer.from(t, 'utf8')] })
  const logprob = -Math.round((position + 1) * 1000) / 10_000
  const entry = token(text, logprob)
  if (extras.logprobs.top > 0) {
    entry.top_logprobs = Array.from({ length: extras.logprobs.top }, (_, k) => (k === 0 ? token(text, logprob) : token(`${text}#${k}`, logprob - k)))
  }
  return { logprobs: [entry] }
}

interface Pieces {
  thinking: string[]
  text: string[]
  toolCalls: NonNullable<Reply['toolCalls']>
}

function piecesOf(reply: Reply): Pieces {
  return {
    thinking: chunksOf(reply.thinking, []),
    text: chunksOf(reply.text, splitWords(DEFAULT_TEXT)),
    toolCalls: reply.toolCalls ?? [],
  }
}

/** Tool calls go out in one chunk, or one chunk each with `splitToolCalls`. */
function toolCallGroups(reply: Reply, p: Pieces): Pieces['toolCalls'][] {
  if (p.toolCalls.length === 0) return []
  return reply.splitToolCalls ? p.toolCalls.map((call) => [call]) : [p.toolCalls]
}

/** The NDJSON objects of one `/api/chat` stream, final chunk included. */
export function chatChunks(model: string, reply: Reply, promptTokens: number, extras: ChunkExtras = {}): Json[] {
  const p = piecesOf(reply)
  const chunk = (message: Json, generated = ''): Json => ({
    model,
    ...remoteFields(extras),
    created_at: now(),
    message: { role: 'assistant', ...message },
    done: false,
    ...(generated === '' ? {} : logprobsOf(generated, out.length, extras)),
  })
  const out: Json[] = []
  for (const thinking of p.thinking) out.push(chunk({ content: '', thinking }, thinking))
  for (const content of p.text) out.push(chunk({ content }, content))
  for (const calls of toolCallGroups(reply, p)) out.push(chunk({ content: '', tool_calls: calls }))
  out.push({
    model,
    ...remoteFields(extras),
    created_at: now(),
    message: { role: 'assistant', content: '' },
    done_reason: reply.done_reason ?? 'stop',
    done: true,
    ...metrics(reply, promptTokens, p.thinking.length + p.text.length),
    ...reply.extra,
  })
  return out
}

/**
 * `stream:false` chat: the chunks merged as ChatHandler does. Written apart from the
 * client's src/protocol/merge.ts on purpose: the fake models the server, and must not
 * share a bug with the code it is used to test.
 */
export function mergeChat(chunks: Json[]): Json {
  const final = { ...(chunks[chunks.length - 1] as Json) }
  let content = ''
  let thinking = ''
  const toolCalls: unknown[] = []
  for (const c of chunks) {
    const m = c.message as Json
    content += (m.content as string | undefined) ?? ''
    thinking += (m.thinking as string | undefined) ?? ''
    if (Array.isArray(m.tool_calls)) toolCalls.push(...m.tool_calls)
  }
  const message: Json = { role: 'assistant', content }
  if (thinking) message.thinking = thinking
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  return withLogprobs({ ...final, message }, chunks)
}

/** The NDJSON objects of one `/api/generate` stream, final chunk included. */
export function generateChunks(model: string, reply: Reply, prompt: string, raw: boolean, extras: ChunkExtras = {}): Json[] {
  const p = piecesOf(reply)
  const chunk = (fields: Json, generated = ''): Json => ({
    model,
    ...remoteFields(extras),
    created_at: now(),
    response: '',
    ...fields,
    done: false,
    ...(generated === '' ? {} : logprobsOf(generated, out.length, extras)),
  })
  const out: Json[] = []
  for (const thinking of p.thinking) out.push(chunk({ thinking }, thinking))
  for (const response of p.text) out.push(chunk({ response }, response))
  for (const calls of toolCallGroups(reply, p)) out.push(chunk({ tool_calls: calls }))
  const promptTokens = countTokens(prompt)
  const final: Json = {
    model,
    ...remoteFields(extras),
    created_at: now(),
    response: '',
    done: true,
    done_reason: reply.done_reason ?? 'stop',
  }
  // The context is the tokenized prompt + answer; raw mode returns none.
  if (!raw) final.context = Array.from({ length: Math.max(1, promptTokens + countTokens(p.text.join(''))) }, (_, i) => i + 1)
  out.push({ ...final, ...metrics(reply, promptTokens, p.thinking.length + p.text.length), ...reply.extra })
  return out
}

/** `stream:false` generate: the chunks merged as GenerateHandler does. */
export function mergeGenerate(chunks: Json[]): Json {
  const final = { ...(chunks[chunks.length - 1] as Json) }
  let response = ''
  let thinking = ''
  const toolCalls: unknown[] = []
  for (const c of chunks) {
    response += (c.response as string | undefined) ?? ''
    thinking += (c.thinking as string | undefined) ?? ''
    if (Array.isArray(c.tool_calls)) toolCalls.push(...c.tool_calls)
  }
  const merged: Json = { ...final, response }
  if (thinking) merged.thinking = thinking
  if (toolCalls.length > 0) merged.tool_calls = toolCalls
  return withLogprobs(merged, chunks)
}

/** The handlers gather every chunk's `logprobs` into the one answer of `stream:false`. */
function withLogprobs(merged: Json, chunks: Json[]): Json {
  const logprobs = chunks.flatMap((c) => (Array.isArray(c.logprobs) ? c.logprobs : []))
  return logprobs.length > 0 ? { ...merged, logprobs } : merged
}

/** The answer to an empty chat (`done_reason: "load"`, or `"unload"` with `keep_alive: 0`). */
export function chatLoad(model: string, doneReason: 'load' | 'unload'): Json {
  return { model, created_at: now(), message: { role: 'assistant', content: '' }, done_reason: doneReason, done: true }
}

/** The answer to an empty generate prompt. */
export function generateLoad(model: string, doneReason: 'load' | 'unload'): Json {
  return { model, created_at: now(), response: '', done: true, done_reason: doneReason }
}

/** A unit-length vector derived from the text, so equal inputs embed equally. */
export function deterministicEmbedding(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const values: number[] = []
  for (let block = 0; values.length < dimensions; block++) {
    const hash = sha256Hex(`${block}:${text}`)
    for (let i = 0; i + 4 <= hash.length && values.length < dimensions; i += 4) {
      values.push(parseInt(hash.slice(i, i + 4), 16) / 0x7fff - 1)
    }
  }
  return normalize(values)
}

export function normalize(vec: number[]): number[] {
  const norm = Math.sqrt(vec.reduce((s, v) => s + v * v, 0)) || 1
  return vec.map((v) => v / norm)
}

/** Pull's progress as in `PullModel`: manifest, one layer downloading, verify, write. */
export function pullSteps(model: { digest: string; size: number }): ProgressStep[] {
  const digest = `sha256:${sha256Hex(`layer:${model.digest}`)}`
  const status = `pulling ${digest.slice(7, 19)}`
  return [
    { status: 'pulling manifest' },
    { status, digest, total: model.size },
    { status, digest, total: model.size, completed: Math.floor(model.size / 2) },
    { status, digest, total: model.size, completed: model.size },
    { status: 'verifying sha256 digest' },
    { status: 'writing manifest' },
  ]
}

/** Push's progress as in `PushModel`/`uploadBlob`. */
export function pushSteps(model: StoredModel): ProgressStep[] {
  const digest = `sha256:${sha256Hex(`layer:${model.digest}`)}`
  const status = `pushing ${digest.slice(7, 19)}`
  return [
    { status: 'retrieving manifest' },
    { status: 'starting upload', digest, total: model.size },
    { status, digest, total: model.size, completed: Math.floor(model.size / 2) },
    { status, digest, total: model.size, completed: model.size },
    { status: 'pushing manifest' },
  ]
}

/** Create's progress: one status per layer, then the manifest. */
export function createSteps(baseLayers: string[], newLayers: string[], fromFiles: boolean): ProgressStep[] {
  return [
    ...(fromFiles ? [{ status: 'parsing GGUF' }] : []),
    ...baseLayers.map((d) => ({ status: `using existing layer ${d}` })),
    ...newLayers.map((d) => ({ status: `creating new layer ${d}` })),
    { status: 'writing manifest' },
  ]
}

/** Go's `%#v` for Modelfile parameter values. */
function goValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v)
}

/** `/api/show` `parameters`: one `%-30s %#v` line per value. */
export function formatParameters(params: Record<string, unknown>): string {
  const lines: string[] = []
  for (const [k, v] of Object.entries(params)) {
    for (const item of Array.isArray(v) ? v : [v]) lines.push(`${k.padEnd(30)} ${goValue(item)}`)
  }
  return lines.join('\n')
}

function modelfile(m: StoredModel): string {
  const lines = [
    '# Modelfile generated by "ollama show"',
    '# To build a new Modelfile based on this, replace FROM with:',
    `# FROM ${m.name}`,
    '',
    `FROM ${blobPath(`sha256:${sha256Hex(`layer:${m.digest}`)}`)}`,
    `TEMPLATE """${m.template}"""`,
  ]
  if (m.system) lines.push(`SYSTEM """${m.system}"""`)
  for (const [k, v] of Object.entries(m.parameters)) {
    for (const item of Array.isArray(v) ? v : [v]) lines.push(`PARAMETER ${k} ${typeof item === 'string' ? JSON.stringify(item) : String(item)}`)
  }
  if (m.license) lines.push(`LICENSE """${m.license}"""`)
  return lines.join('\n') + '\n'
}

/**
 * `/api/show` body (ShowResponse; empty strings are omitted as Go's omitempty does).
 * `verbose` adds what the server otherwise leaves out for size: the tokenizer's
 * vocabulary in `model_info` (null without it) and the `tensors` list.
 */
export function showBody(m: StoredModel, verbose = false): Json {
  const body: Json = {}
  if (m.license) body.license = m.license
  body.modelfile = modelfile(m)
  const parameters = formatParameters(m.parameters)
  if (parameters) body.parameters = parameters
  if (m.template) body.template = m.template
  if (m.system) body.system = m.system
  body.details = { ...m.details }
  Object.assign(body, remoteEntry(m))
  body.model_info = { ...m.modelInfo, 'tokenizer.ggml.tokens': verbose ? ['<unk>', '<s>', '</s>', 'Hello'] : null }
  if (verbose) body.tensors = tensorsOf(m)
  body.capabilities = [...m.capabilities]
  body.modified_at = m.modifiedAt.toISOString()
  return body
}

/** One `/api/tags` entry (ListModelResponse). */
export function tagsEntry(m: StoredModel): Json {
  return {
    name: m.name,
    model: m.name,
    ...remoteEntry(m),
    modified_at: m.modifiedAt.toISOString(),
    size: m.size,
    digest: m.digest,
    details: { ...m.details },
    capabilities: [...m.capabilities],
    context_length: m.contextLength,
  }
}

/** A small, plausible tensor list for `verbose` show. */
function tensorsOf(m: StoredModel): Json[] {
  const width = typeof m.modelInfo[`${m.details.family}.embedding_length`] === 'number' ? (m.modelInfo[`${m.details.family}.embedding_length`] as number) : 4096
  const type = m.details.quantization_level.replace(/_M$|_S$/, '')
  return [
    { name: 'token_embd.weight', type, shape: [width, 32000] },
    { name: 'blk.0.attn_q.weight', type, shape: [width, width] },
    { name: 'output_norm.weight', type: 'F32', shape: [width] },
  ]
}

/** A remote model's `remote_model`/`remote_host` in list, ps and show entries. */
function remoteEntry(m: StoredModel): Json {
  return m.remote ? { remote_model: m.remote.model, remote_host: m.remote.host } : {}
}

/** One `/api/ps` entry (ProcessModelResponse). */
export function psEntry(m: StoredModel, expiresAt: Date): Json {
  return {
    name: m.name,
    model: m.name,
    ...remoteEntry(m),
    size: m.size,
    digest: m.digest,
    details: { ...m.details },
    expires_at: expiresAt.toISOString(),
    // A remote model holds no memory here.
    size_vram: m.remote ? 0 : m.size,
    context_length: m.contextLength,
    capabilities: [...m.capabilities],
  }
}
