/**
 * The fake's model registry: which models exist (`/api/tags`, `/api/show`),
 * which are loaded (`/api/ps`) and which blobs were uploaded (`/api/blobs`).
 *
 * Naming follows Ollama's `model.ParseName`: `llama3.2` is
 * `registry.ollama.ai/library/llama3.2:latest`, lookups are case-insensitive
 * (`getExistingName` uses EqualFold), and listings show the shortest form
 * (`llama3.2:latest`, `user/model:tag`).
 */
import { createHash } from 'node:crypto'
import type { Capability, ModelDetails, ModelSpec } from './types.js'

const DEFAULT_HOST = 'registry.ollama.ai'
const DEFAULT_NAMESPACE = 'library'
const DEFAULT_TAG = 'latest'
/** Where a real server would keep its files; only used inside texts (modelfile, error messages). */
export const MODELS_DIR = '/root/.ollama/models'

/** Default keep-alive of a loaded model (Ollama's OLLAMA_KEEP_ALIVE default). */
const DEFAULT_KEEP_ALIVE_MS = 5 * 60 * 1000
/** `keep_alive < 0` keeps a model loaded "forever"; Ollama then reports a far-future expiry. */
const FOREVER_MS = 300 * 365 * 24 * 3600 * 1000

export interface StoredModel {
  /** Shortest display form, e.g. `llama3.2:latest`. */
  name: string
  /** Fully qualified form, e.g. `registry.ollama.ai/library/llama3.2:latest`. */
  fullName: string
  capabilities: Capability[]
  /** The `think` levels the model takes; undefined: every level. */
  thinkLevels?: string[]
  size: number
  digest: string
  details: ModelDetails
  modifiedAt: Date
  template: string
  system?: string
  license?: string
  parameters: Record<string, unknown>
  modelInfo: Record<string, unknown>
  contextLength: number
  /** Where a remote model runs; undefined for a local one. */
  remote?: { model: string; host: string }
}

interface NameParts {
  host: string
  namespace: string
  model: string
  tag: string
}

/** Known defaults so the fake's answers look like the real models'. */
const PRESETS: Record<string, { family: string; parameterSize: string; quantization: string; size: number; embeddingLength: number }> = {
  'llama3.2': { family: 'llama', parameterSize: '3.2B', quantization: 'Q4_K_M', size: 2019393189, embeddingLength: 3072 },
  'nomic-embed-text': { family: 'nomic-bert', parameterSize: '137M', quantization: 'F16', size: 274302450, embeddingLength: 768 },
  qwen3: { family: 'qwen3', parameterSize: '8.2B', quantization: 'Q4_K_M', size: 5225388164, embeddingLength: 4096 },
}

const LLAMA3_TEMPLATE =
  '{{ if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}' +
  '{{ if .Prompt }}<|start_header_id|>user<|end_header_id|>\n\n{{ .Prompt }}<|eot_id|>{{ end }}' +
  '<|start_header_id|>assistant<|end_header_id|>\n\n{{ .Response }}<|eot_id|>'

/** Splits a model reference like Ollama's `ParseName`; `undefined` when it is not a valid name. */
export function parseName(ref: string): NameParts | undefined {
  const trimmed = ref.trim()
  if (trimmed === '' || /\s/.test(trimmed) || !/^[A-Za-z0-9_.:/-]+$/.test(trimmed)) return undefined

  let rest = trimmed
  let tag = DEFAULT_TAG
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
  }
  const parts = rest.split('/')
  if (parts.some((p) => p === '') || parts.length > 3 || tag === '') return undefined

  const model = parts.pop() as string
  const namespace = parts.pop() ?? DEFAULT_NAMESPACE
  const host = parts.pop() ?? DEFAULT_HOST
  return { host, namespace, model, tag }
}

export function isValidName(ref: unknown): ref is string {
  return typeof ref === 'string' && parseName(ref) !== undefined
}

function fullNameOf(p: NameParts): string {
  return `${p.host}/${p.namespace}/${p.model}:${p.tag}`
}

/** `DisplayShortest`: drop the default host and namespace, keep the tag. */
function shortNameOf(p: NameParts): string {
  if (p.host !== DEFAULT_HOST) return fullNameOf(p)
  if (p.namespace !== DEFAULT_NAMESPACE) return `${p.namespace}/${p.model}:${p.tag}`
  return `${p.model}:${p.tag}`
}

function keyOf(ref: string): string | undefined {
  const p = parseName(ref)
  return p ? fullNameOf(p).toLowerCase() : undefined
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Path of a blob in a real models directory (file names use `sha256-`). */
export function blobPath(digest: string): string {
  return `${MODELS_DIR}/blobs/${digest.replace(':', '-')}`
}

/** Path of a model's manifest in a real models directory. */
export function manifestPath(ref: string): string {
  const p = parseName(ref)
  return p ? `${MODELS_DIR}/manifests/${p.host}/${p.namespace}/${p.model}/${p.tag}` : `${MODELS_DIR}/manifests`
}

/**
 * Parses `keep_alive` like `api.Duration`: a number is seconds, a string is a Go
 * duration (`"5m"`, `"1h30m"`, `"10s"`, `"-1"`). Returns milliseconds, `undefined` for "not set".
 */
export function parseKeepAlive(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number') return value < 0 ? -1 : value * 1000
  if (typeof value !== 'string') return undefined
  const s = value.trim()
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s) < 0 ? -1 : Number(s) * 1000
  const units: Record<string, number> = { h: 3.6e6, m: 6e4, s: 1e3, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 }
  const negative = s.startsWith('-')
  let total = 0
  let matched = ''
  for (const m of s.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) {
    total += Number(m[1]) * (units[m[2] as string] as number)
    matched += m[0]
  }
  if (matched === '' || matched !== s.replace(/^[-+]/, '')) return undefined
  return negative ? -1 : total
}

export class ModelRegistry {
  private readonly models = new Map<string, StoredModel>()
  /** key -> expiry (ms since epoch) of loaded models. */
  private readonly loaded = new Map<string, number>()
  private readonly blobs = new Map<string, Buffer>()
  /** Tie-breaker so models added in the same millisecond still list newest first. */
  private sequence = 0
  private readonly order = new Map<string, number>()

  add(spec: ModelSpec): StoredModel {
    const parts = parseName(spec.name)
    if (!parts) throw new Error(`FakeOllama: invalid model name ${JSON.stringify(spec.name)}`)
    const preset = PRESETS[parts.model.toLowerCase()]
    const capabilities = spec.capabilities ?? ['completion']
    const embedding = capabilities.includes('embedding') && !capabilities.includes('completion')
    const family = spec.details?.family ?? preset?.family ?? 'llama'
    const contextLength = spec.contextLength ?? 4096
    const fullName = fullNameOf(parts)
    const details: ModelDetails = {
      parent_model: '',
      format: 'gguf',
      family,
      families: [family],
      parameter_size: preset?.parameterSize ?? '7B',
      quantization_level: preset?.quantization ?? 'Q4_K_M',
      ...spec.details,
    }

    const model: StoredModel = {
      name: shortNameOf(parts),
      fullName,
      capabilities: [...capabilities],
      ...(spec.thinkLevels ? { thinkLevels: [...spec.thinkLevels] } : {}),
      ...(spec.remote ? { remote: { ...spec.remote } } : {}),
      size: spec.size ?? preset?.size ?? 4_000_000_000 + (parseInt(sha256Hex(fullName).slice(0, 6), 16) % 1_000_000_000),
      digest: spec.digest ?? sha256Hex(`manifest:${fullName}`),
      details,
      modifiedAt: spec.modifiedAt ? new Date(spec.modifiedAt) : new Date(),
      template: spec.template ?? (embedding ? '{{ .Prompt }}' : LLAMA3_TEMPLATE),
      system: spec.system,
      license: spec.license,
      parameters: spec.parameters ?? (embedding ? { num_ctx: 8192 } : { stop: ['<|start_header_id|>', '<|end_header_id|>', '<|eot_id|>'] }),
      modelInfo: {
        'general.architecture': family,
        'general.parameter_count': parameterCount(details.parameter_size),
        [`${family}.context_length`]: contextLength,
        [`${family}.embedding_length`]: preset?.embeddingLength ?? 4096,
        ...spec.modelInfo,
      },
      contextLength,
    }

    const key = fullName.toLowerCase()
    this.models.set(key, model)
    this.order.set(key, this.sequence++)
    if (spec.loaded) this.load(model, undefined)
    return model
  }

  get(ref: string): StoredModel | undefined {
    const key = keyOf(ref)
    return key === undefined ? undefined : this.models.get(key)
  }

  remove(ref: string): boolean {
    const key = keyOf(ref)
    if (key === undefined) return false
    this.loaded.delete(key)
    return this.models.delete(key)
  }

  copy(source: StoredModel, destination: string): StoredModel {
    return this.add({
      name: destination,
      capabilities: source.capabilities,
      thinkLevels: source.thinkLevels,
      remote: source.remote,
      size: source.size,
      digest: source.digest,
      details: { ...source.details },
      template: source.template,
      system: source.system,
      license: source.license,
      parameters: source.parameters,
      modelInfo: source.modelInfo,
      contextLength: source.contextLength,
    })
  }

  /** `/api/tags` order: most recently modified first. */
  list(): StoredModel[] {
    const added = (m: StoredModel) => this.order.get(m.fullName.toLowerCase()) ?? 0
    return [...this.models.values()].sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || added(b) - added(a))
  }

  /** Marks a model as loaded, as the scheduler does on use; `keep_alive: 0` unloads it. */
  load(model: StoredModel, keepAlive: unknown): void {
    const key = model.fullName.toLowerCase()
    const ms = parseKeepAlive(keepAlive) ?? DEFAULT_KEEP_ALIVE_MS
    if (ms === 0) {
      this.loaded.delete(key)
      return
    }
    this.loaded.set(key, Date.now() + (ms < 0 ? FOREVER_MS : ms))
  }

  unload(model: StoredModel): void {
    this.loaded.delete(model.fullName.toLowerCase())
  }

  /** `/api/ps` entries, longest remaining keep-alive first. */
  running(): Array<{ model: StoredModel; expiresAt: Date }> {
    const now = Date.now()
    const out: Array<{ model: StoredModel; expiresAt: Date }> = []
    for (const [key, expiry] of this.loaded) {
      const model = this.models.get(key)
      if (!model || expiry <= now) continue
      out.push({ model, expiresAt: new Date(expiry) })
    }
    return out.sort((a, b) => b.expiresAt.getTime() - a.expiresAt.getTime())
  }

  hasBlob(digest: string): boolean {
    return this.blobs.has(digest.replace('-', ':'))
  }

  putBlob(digest: string, data: Buffer): void {
    this.blobs.set(digest.replace('-', ':'), data)
  }
}

/** `"3.2B"` -> 3200000000, `"137M"` -> 137000000 (for `general.parameter_count`). */
function parameterCount(size: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMBT])?$/i.exec(size.trim())
  if (!m) return 0
  const scale: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }
  return Math.round(Number(m[1]) * (scale[(m[2] ?? '').toUpperCase()] ?? 1))
}

/** Digest format accepted by `/api/blobs/:digest` (manifest.ValidateDigest: `sha256[:-]<64 hex>`). */
export function isValidDigest(digest: string): boolean {
  return /^sha256[:-][0-9a-fA-F]{64}$/.test(digest)
}
