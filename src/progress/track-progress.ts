/**
 * Progress of `pull`, `push` and `create` for a bar, without arithmetic of one's own.
 * Ollama reports one layer at a time (`{ status, digest, total, completed }`); these
 * helpers keep every layer seen, sum them, and estimate the rate over the last few
 * seconds, so a bar neither jumps back when the next layer starts nor swings with
 * every chunk.
 */

/** A progress chunk of pull/push/create, as a map or a `ProgressResponse` struct. */
export interface ProgressChunk {
  status?: string | undefined
  digest?: string | undefined
  total?: number | undefined
  completed?: number | undefined
}

/** One layer (blob) of the model, by digest. */
export interface LayerProgress {
  digest: string
  total: number
  completed: number
}

/** Where a pull/push/create stands. Plain data: it fits in a machine's context and in JSON. */
export interface Progress {
  /** Ollama's latest status line, e.g. `pulling 8eeb52dfb3bb`, `verifying sha256 digest`, `success`. */
  status: string
  /** Every layer seen so far, in order of first appearance. */
  layers: LayerProgress[]
  /** Bytes of every layer seen so far. */
  total: number
  /** Bytes done, over every layer. */
  completed: number
  /** 0–100, or undefined before any layer's size is known. */
  percent: number | undefined
  /** Over the last few seconds; undefined until two samples apart in time. */
  bytesPerSecond: number | undefined
  /** At the current rate; undefined while the rate is unknown or zero. */
  secondsLeft: number | undefined
  /** `status: 'success'` arrived. */
  done: boolean
  /** `[time in ms, completed bytes]`, the last few seconds of them: what the rate is measured on. */
  samples: Array<[number, number]>
}

/** Samples older than this (ms) no longer count for the rate. */
const RATE_WINDOW_MS = 5000

/**
 * The progress after one more chunk: a pure function, for `assign` in a machine.
 *
 * @example
 * 'ollixir.data': { actions: assign({ progress: ({ context, event }) => updateProgress(context.progress, event.data) }) }
 */
export function updateProgress(previous: Progress | undefined, chunk: ProgressChunk, now: number = Date.now()): Progress {
  const layers = previous ? previous.layers.map((layer) => ({ ...layer })) : []
  if (chunk.digest && typeof chunk.total === 'number') {
    const layer = layers.find((known) => known.digest === chunk.digest)
    const completed = Math.min(chunk.completed ?? 0, chunk.total)
    if (layer) {
      layer.total = chunk.total
      // Never backwards: a retried layer download restarts at 0 in Ollama's report.
      layer.completed = Math.max(layer.completed, completed)
    } else {
      layers.push({ digest: chunk.digest, total: chunk.total, completed })
    }
  }
  const total = layers.reduce((sum, layer) => sum + layer.total, 0)
  const done = chunk.status === 'success'
  // At success every layer is complete, whatever the last chunk of each said.
  const completed = done ? total : layers.reduce((sum, layer) => sum + layer.completed, 0)
  const samples = [...(previous?.samples ?? []), [now, completed] as [number, number]].filter(([time]) => now - time <= RATE_WINDOW_MS)
  const [firstTime, firstCompleted] = samples[0]!
  const elapsed = (now - firstTime) / 1000
  const bytesPerSecond = elapsed > 0 ? (completed - firstCompleted) / elapsed : previous?.bytesPerSecond
  const left = total - completed
  return {
    status: chunk.status ?? previous?.status ?? '',
    layers,
    total,
    completed,
    percent: done ? 100 : total > 0 ? (completed / total) * 100 : undefined,
    bytesPerSecond,
    secondsLeft: done ? 0 : total === 0 ? undefined : left === 0 ? 0 : bytesPerSecond && bytesPerSecond > 0 ? left / bytesPerSecond : undefined,
    done,
    samples,
  }
}

/**
 * The chunks of a streamed `pull`, `push` or `create` as progress, one per chunk.
 *
 * @example
 * for await (const p of trackProgress(await client.pull({ model: 'llama3.2', stream: true }))) {
 *   bar.update(p.percent ?? 0, `${p.status} ${formatBytes(p.bytesPerSecond)}/s`)
 * }
 */
export async function* trackProgress(stream: AsyncIterable<ProgressChunk>, options: { now?: () => number } = {}): AsyncGenerator<Progress, void, undefined> {
  const now = options.now ?? Date.now
  let progress: Progress | undefined
  for await (const chunk of stream) {
    progress = updateProgress(progress, chunk, now())
    yield progress
  }
}
