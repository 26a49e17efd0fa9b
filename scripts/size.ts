/**
 * `npm run size`: how much ollixir adds to a page. Bundles the browser entry with
 * esbuild (minified, ESM, platform browser), gzips it, and prints the figures with and
 * without xstate (an app that uses XState has it already), for the whole entry and for
 * typical imports (bundlers drop what an app does not import), beside ollama-js's
 * browser entry, then what weighs most (esbuild's metafile).
 */
import { build, type Metafile } from 'esbuild'
import { gzipSync } from 'node:zlib'

const ENTRY = new URL('../src/browser.ts', import.meta.url).pathname
const ROOT = new URL('..', import.meta.url).pathname

interface Variant {
  name: string
  contents: string
}

const VARIANTS: Variant[] = [
  { name: 'the whole browser entry', contents: `export * from ${JSON.stringify(ENTRY)}` },
  { name: 'import { Ollixir, createChatSession }', contents: `export { Ollixir, createChatSession } from ${JSON.stringify(ENTRY)}` },
  { name: 'import { Ollixir }', contents: `export { Ollixir } from ${JSON.stringify(ENTRY)}` },
]

/** For comparison: the official client's browser entry (no xstate in it either way). */
const REFERENCE: Variant = { name: "ollama-js 'ollama/browser' (reference)", contents: "export * from 'ollama/browser'" }

interface Measure {
  minified: number
  gzipped: number
  metafile: Metafile
  nodeImports: string[]
}

async function measure(contents: string, external: string[]): Promise<Measure> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'size-entry.ts' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    // A Node built-in in the browser graph is a bug: counted out here, and reported below.
    external: [...external, 'node:*'],
  })
  const code = result.outputFiles[0]!.contents
  const nodeImports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.filter((i) => i.path.startsWith('node:')).map((i) => i.path))
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, metafile: result.metafile, nodeImports: [...new Set(nodeImports)] }
}

/** Output bytes by package (node_modules) or by ollixir folder. */
function weights(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const inModules = path.split('node_modules/')[1]
      const key = inModules ? inModules.split('/').slice(0, inModules.startsWith('@') ? 2 : 1).join('/') : `ollixir ${path.split('/').slice(0, -1).join('/') || '.'}`
      totals.set(key, (totals.get(key) ?? 0) + bytesInOutput)
    }
  }
  return [...totals].sort((a, b) => b[1] - a[1])
}

const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`

const lines: string[] = ['| bundle | minified | gzipped |', '|---|---:|---:|']
let whole: Measure | undefined
const nodeImports = new Set<string>()
for (const variant of VARIANTS) {
  for (const withXstate of [true, false]) {
    const result = await measure(variant.contents, withXstate ? [] : ['xstate'])
    whole ??= result
    result.nodeImports.forEach((path) => nodeImports.add(path))
    lines.push(`| ${variant.name}, ${withXstate ? 'with' : 'without'} xstate | ${kB(result.minified)} | ${kB(result.gzipped)} |`)
  }
}
const reference = await measure(REFERENCE.contents, [])
lines.push(`| ${REFERENCE.name} | ${kB(reference.minified)} | ${kB(reference.gzipped)} |`)
console.log(lines.join('\n'))
console.log('\nWhat weighs most in the whole entry (minified bytes in the output):')
for (const [name, bytes] of weights(whole!.metafile).slice(0, 10)) console.log(`  ${kB(bytes).padStart(9)}  ${name}`)
if (nodeImports.size > 0) {
  console.log(`\nNode built-ins still imported by the browser graph (left out of the figures): ${[...nodeImports].join(', ')}`)
  process.exitCode = 1
}
