/**
 * `npx tsx examples/progress.ts`: a terminal progress bar for `pull`, drawn from
 * `trackProgress` (percent, rate and time left come ready-made). Runs against
 * FakeOllama, which pulls two layers slowly, unless an Ollama answers at OLLAMA_HOST
 * (then it pulls OLLAMA_MODEL, or the first model it lists: already there, it is quick).
 */
import { trackProgress, type Progress } from '../src/index.js'
import type { ProgressStep } from '../src/testing/index.js'
import { connect } from './support.js'

const MiB = 1024 * 1024
const layer = (letter: string) => `sha256:${letter.repeat(64)}`

const { client, model, close } = await connect({
  script: (fake) => {
    const steps: ProgressStep[] = [{ status: 'pulling manifest' }]
    for (const [digest, size] of [[layer('a'), 40 * MiB], [layer('b'), 120 * MiB]] as const) {
      for (let part = 0; part <= 4; part++) steps.push({ status: `pulling ${digest.slice(7, 19)}`, digest, total: size, completed: (size * part) / 4 })
    }
    steps.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' })
    fake.enqueue('pull', { progress: steps, chunkDelayMs: 40 })
  },
})

/** `[██████░░░░]  60% 96.0/160.0 MiB 12.3 MiB/s 5 s left  pulling bbbbbbbbbbbb` */
function bar(progress: Progress, width = 30): string {
  const filled = Math.round(((progress.percent ?? 0) / 100) * width)
  const percent = progress.percent === undefined ? '   ' : `${Math.round(progress.percent)}%`.padStart(4)
  const sizes = progress.total > 0 ? ` ${(progress.completed / MiB).toFixed(1)}/${(progress.total / MiB).toFixed(1)} MiB` : ''
  const rate = progress.bytesPerSecond === undefined ? '' : ` ${(progress.bytesPerSecond / MiB).toFixed(1)} MiB/s`
  const left = progress.secondsLeft === undefined || progress.done ? '' : ` ${Math.ceil(progress.secondsLeft)} s left`
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${percent}${sizes}${rate}${left}  ${progress.status}`
}

try {
  const stream = await client.pull({ model, stream: true })
  // On a terminal the bar redraws in place; piped (as in the tests), one line per update.
  const redraw = process.stdout.isTTY ? (line: string) => process.stdout.write(`\r${line}\x1b[K`) : (line: string) => console.log(line)
  for await (const progress of trackProgress(stream)) redraw(bar(progress))
  if (process.stdout.isTTY) process.stdout.write('\n')
  console.log(`\npulled ${model}`)
} finally {
  await close()
}
