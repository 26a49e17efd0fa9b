import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** One ```ts block of a Markdown file, with the line its code starts on. */
export interface CodeBlock {
  line: number
  code: string
}

/** Every ```ts (or ```typescript) block, in order; other languages are left out. */
export function tsBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = []
  const lines = markdown.split('\n')
  let open: CodeBlock | undefined
  lines.forEach((text, index) => {
    if (open === undefined) {
      if (/^```(ts|typescript)\s*$/.test(text)) open = { line: index + 2, code: '' }
    } else if (/^```\s*$/.test(text)) {
      blocks.push(open)
      open = undefined
    } else {
      open.code += `${text}\n`
    }
  })
  return blocks
}

/**
 * Writes each block as its own module (`export {}` makes a block without imports a
 * module too, so names never clash between blocks) plus one tsconfig per module
 * resolution, as a user's project would have them: `strict` and
 * `exactOptionalPropertyTypes` on, as `tsc --init` sets them.
 */
export async function writeBlockProject(dir: string, blocks: CodeBlock[]): Promise<Map<string, CodeBlock>> {
  const files = new Map<string, CodeBlock>()
  await mkdir(join(dir, 'readme'), { recursive: true })
  for (const [index, block] of blocks.entries()) {
    const name = `readme/block-${String(index + 1).padStart(2, '0')}.ts`
    await writeFile(join(dir, name), `${block.code}\nexport {}\n`)
    files.set(name, block)
  }
  const common = { strict: true, exactOptionalPropertyTypes: true, target: 'ES2022', lib: ['ES2023', 'DOM'], types: ['node'], skipLibCheck: true, noEmit: true }
  await writeFile(join(dir, 'tsconfig.nodenext.json'), JSON.stringify({ compilerOptions: { ...common, module: 'nodenext', moduleResolution: 'nodenext' }, include: ['readme'] }, null, 2))
  await writeFile(join(dir, 'tsconfig.bundler.json'), JSON.stringify({ compilerOptions: { ...common, module: 'preserve', moduleResolution: 'bundler' }, include: ['readme'] }, null, 2))
  return files
}

/** tsc's `readme/block-03.ts(4,7): error …` as `README.md:57: error …`. */
export function toReadmeLines(output: string, files: Map<string, CodeBlock>): string {
  return output.replace(/(readme\/block-\d+\.ts)\((\d+),(\d+)\)/g, (whole, file: string, line: string) => {
    const block = files.get(file)
    return block ? `README.md:${block.line + Number(line) - 1}` : whole
  })
}
