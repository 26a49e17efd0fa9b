/**
 * Ready-made model `Options` for common jobs, as in the Elixir client Ollixir
 * (`Ollixir.Options.Presets`), and `mergeOptions` to adjust one:
 *
 * ```ts
 * import { mergeOptions, presets } from 'ollixir'
 * await client.chat({ model, messages, options: mergeOptions(presets.code, { seed: 42 }) })
 * ```
 *
 * A preset only sets what its job needs; everything else keeps the model's Modelfile
 * value, then Ollama's default (`api.DefaultOptions`: temperature 0.8, top_k 40,
 * top_p 0.9, repeat_penalty 1.1, repeat_last_n 64, num_ctx from OLLAMA_CONTEXT_LENGTH).
 * The presets are frozen, `stop` lists included: merge them, do not edit them.
 */
import type { Options } from './types/wire.js'

/** Names of the presets in {@link presets}. */
export type PresetName = 'creative' | 'precise' | 'code' | 'chat' | 'fast' | 'largeContext'

function frozen(options: Options): Readonly<Options> {
  if (Array.isArray(options.stop)) Object.freeze(options.stop)
  return Object.freeze(options)
}

/** Option sets for common jobs; each field's comment says why it has its value. */
export const presets: Readonly<Record<PresetName, Readonly<Options>>> = Object.freeze({
  /** Stories, brainstorming, varied wording: more randomness, with a floor against nonsense. */
  creative: frozen({
    // Above Ollama's 0.8: flatter distribution, more surprising word choices.
    temperature: 1.0,
    // Wide nucleus and candidate list, so the higher temperature has something to choose from.
    top_p: 0.95,
    top_k: 80,
    // At a high temperature the long tail gets picked too; min_p drops tokens under 5% of the best one.
    min_p: 0.05,
    // Long prose tends to loop; a mild penalty over a longer window keeps it moving.
    repeat_penalty: 1.1,
    repeat_last_n: 128,
  }),

  /** Facts, extraction, classification: the likeliest answer, the same one each time. */
  precise: frozen({
    // Near-greedy decoding; 0 would be fully greedy, a little warmth avoids degenerate repeats.
    temperature: 0.1,
    // Only the few most likely tokens are ever considered.
    top_k: 10,
    top_p: 0.5,
    // No penalty: a precise answer may need to repeat names, numbers and terms.
    repeat_penalty: 1.0,
  }),

  /** Writing and editing code: mostly deterministic, with room for long files. */
  code: frozen({
    // Low: code has few right continuations, and a typo-like sample breaks it.
    temperature: 0.2,
    top_p: 0.9,
    top_k: 40,
    // Code repeats itself legitimately (brackets, indentation, names); penalising that corrupts it.
    repeat_penalty: 1.0,
    // Source files and diffs are long; 8K tokens holds a few files plus the answer.
    num_ctx: 8192,
  }),

  /** An assistant in a conversation: natural but on topic. */
  chat: frozen({
    // A little cooler than Ollama's 0.8: varied phrasing without drifting off topic.
    temperature: 0.7,
    top_p: 0.9,
    top_k: 40,
    // Discourages the same sentence coming back turn after turn.
    repeat_penalty: 1.1,
    // Room for several turns of history.
    num_ctx: 4096,
  }),

  /** Quick, short answers: less to compute per token and fewer tokens. */
  fast: frozen({
    // A small context loads faster and keeps the KV cache (and prompt evaluation) small.
    num_ctx: 2048,
    // Caps the answer's length, which bounds the time it takes.
    num_predict: 256,
    // Fewer candidates to sort at each step.
    top_k: 20,
    temperature: 0.5,
  }),

  /** Long documents and conversations: a big window (memory grows with it). */
  largeContext: frozen({
    // 32K tokens; the KV cache grows linearly with this, so it needs the memory for it.
    num_ctx: 32768,
    // Keep the start of the prompt (system prompt, instructions) when the context shifts.
    num_keep: 256,
    // Look further back for repetitions, in proportion to the longer text.
    repeat_last_n: 256,
    // Larger batches evaluate a long prompt faster.
    num_batch: 1024,
  }),
})

/**
 * Merges option sets left to right into a new `Options`: a later value wins, an
 * `undefined` one does not erase an earlier value, and `undefined` layers are skipped.
 * Nothing passed in is modified; a `stop` list is copied.
 *
 * @example
 * ```ts
 * mergeOptions(presets.creative, { num_ctx: 8192 })
 * // { temperature: 1, top_p: 0.95, top_k: 80, min_p: 0.05, repeat_penalty: 1.1, repeat_last_n: 128, num_ctx: 8192 }
 * mergeOptions(presets.code, { temperature: undefined }).temperature  // 0.2
 * ```
 */
export function mergeOptions(...layers: Array<Readonly<Options> | undefined>): Options {
  const merged: Record<string, unknown> = {}
  for (const layer of layers) {
    if (!layer) continue
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) merged[key] = Array.isArray(value) ? [...value] : value
    }
  }
  return merged as Options
}
