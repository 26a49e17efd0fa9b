/**
 * `Options` and its embedded `Runner` (api/types.go): `options` of a request and
 * `parameters` of a create request. Field types follow Go's `encoding/json` as
 * `Options.FromMap` applies it: `int` fields are integers, `float32` ones any number,
 * `bool` booleans, `[]string` arrays of strings.
 *
 * The server honours the options below that are not `@deprecated`. The others are still
 * accepted here (old Modelfiles and old code send them): current servers log
 * `invalid option provided` and ignore them. `src/options-presets.ts` uses honoured ones only.
 */
import { Type, type Static, type TObject } from '@sinclair/typebox'
import { StringOrList } from './scalars.js'

/**
 * `ignored` marks an option the server no longer applies, with JSON Schema's own
 * `deprecated` keyword, so the list of ignored options is read from the declaration.
 */
const int = (ignored = false) => Type.Optional(Type.Integer(ignored ? { deprecated: true } : {}))
const num = (ignored = false) => Type.Optional(Type.Number(ignored ? { deprecated: true } : {}))
const bool = (ignored = false) => Type.Optional(Type.Boolean(ignored ? { deprecated: true } : {}))
const IGNORED = true

/** The option fields; exported so the ones the server ignores can be listed and tested. */
export const optionFields = {
  // Runner options: take effect when the model is (re)loaded.

  /** Context window size in tokens. */
  num_ctx: int(),
  /** Prompt-processing batch size. */
  num_batch: int(),
  /** Number of layers to offload to the GPU (-1 = automatic). */
  num_gpu: int(),
  /** GPU that holds small tensors when splitting across GPUs. */
  main_gpu: int(),
  /** Memory-map the model file (unset = Ollama decides). */
  use_mmap: bool(),
  /** CPU threads for generation (0 = automatic). */
  num_thread: int(),

  // Predict options: take effect per request.

  /** Tokens of the prompt kept when the context shifts. */
  num_keep: int(),
  /** Random seed for reproducible output (-1 = random). */
  seed: int(),
  /** Maximum tokens to generate (-1 = until done, -2 = fill context). */
  num_predict: int(),
  /** Sample only from the K most likely tokens. */
  top_k: int(),
  /** Nucleus sampling: sample from tokens covering this probability mass. */
  top_p: num(),
  /** Drop tokens less likely than min_p times the most likely token. */
  min_p: num(),
  /** Locally typical sampling parameter (1 = off). */
  typical_p: num(),
  /** How far back to look for repetitions (0 = off, -1 = num_ctx). */
  repeat_last_n: int(),
  /** Sampling temperature; higher is more random. */
  temperature: num(),
  /** Penalty applied to repeated tokens (1 = off). */
  repeat_penalty: num(),
  /** Penalty for tokens already present at all. */
  presence_penalty: num(),
  /** Penalty growing with how often a token already appeared. */
  frequency_penalty: num(),
  /**
   * Stop generating when any of these strings is produced. A lone string is sent as a
   * one-element array (the server reads `stop` as an array only).
   */
  stop: Type.Optional(StringOrList),

  // Options older servers applied; current ones log `invalid option provided` and ignore them.

  /** @deprecated Ignored by current servers (`invalid option provided`). Enable NUMA. */
  numa: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Reduce VRAM use. */
  low_vram: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Use f16 KV cache. */
  f16_kv: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Return all logits. */
  logits_all: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Load vocabulary only. */
  vocab_only: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Lock model in RAM. */
  use_mlock: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Embedding-only mode. */
  embedding_only: bool(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Tail-free sampling. */
  tfs_z: num(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Mirostat mode (0/1/2). */
  mirostat: int(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Mirostat target entropy. */
  mirostat_tau: num(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Mirostat learning rate. */
  mirostat_eta: num(IGNORED),
  /** @deprecated Ignored by current servers (`invalid option provided`). Penalize newlines. */
  penalize_newline: bool(IGNORED),
}

/** The options the server ignores (marked `deprecated` above); presets must not use them. */
export const IGNORED_OPTIONS: readonly string[] = Object.freeze(
  Object.entries(optionFields).filter(([, schema]) => (schema as { deprecated?: boolean }).deprecated).map(([name]) => name),
)

/**
 * Model options: all optional; unset fields take the model's Modelfile values, then
 * Ollama's defaults. Unknown options pass (the server ignores them too).
 */
export const Options: OptionsSchema = Type.Object(optionFields)
export type Options = Static<typeof Options>
/**
 * Named, so that declarations in other files refer to it instead of copying it out:
 * a copy in a .d.ts would lose the fields' JSDoc (and their `@deprecated`).
 */
export type OptionsSchema = TObject<typeof optionFields>
