import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { packedProject, run } from './support/packed.js'
import { toReadmeLines, tsBlocks, writeBlockProject, type CodeBlock } from './support/readme-blocks.js'

const ROOT = resolve(import.meta.dirname, '..')
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')

/**
 * A newcomer copies a README block and it compiles: every ```ts block, as written,
 * type-checks against the packed package installed in a new project, with `strict`
 * and `exactOptionalPropertyTypes`, under `nodenext` and `bundler` resolution.
 */
describe('README: every ts block compiles against the packed package', function () {
  this.timeout(300_000)
  let dir: string
  let files: Map<string, CodeBlock>

  before(async () => {
    dir = (await packedProject()).dir
    const blocks = tsBlocks(await readFile(join(ROOT, 'README.md'), 'utf8'))
    expect(blocks.length).to.be.greaterThan(10)
    files = await writeBlockProject(dir, blocks)
  })

  for (const resolution of ['nodenext', 'bundler']) {
    it(`moduleResolution ${resolution}`, async () => {
      const { code, out } = await run(process.execPath, [TSC, '-p', `tsconfig.${resolution}.json`, '--pretty', 'false'], dir)
      expect(code, toReadmeLines(out, files)).to.equal(0)
    })
  }

  // Last: it swaps the project's xstate for the oldest one the peer range allows.
  it("and with the oldest xstate the peer range allows (the machine blocks' types depend on xstate's)", async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'))
    const range = manifest.peerDependencies.xstate as string
    const oldest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1]
    expect(oldest, `peerDependencies.xstate ${range}`).to.be.a('string')
    // The devDependency alias puts exactly that version in npm's cache (npm ci), so this install works offline.
    expect(manifest.devDependencies['xstate-oldest']).to.equal(`npm:xstate@${oldest}`)
    const install = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', `xstate@${oldest}`, '--no-audit', '--no-fund', '--prefer-offline'], dir)
    expect(install.code, install.out).to.equal(0)
    expect(JSON.parse(await readFile(join(dir, 'node_modules/xstate/package.json'), 'utf8')).version).to.equal(oldest)
    const { code, out } = await run(process.execPath, [TSC, '-p', 'tsconfig.nodenext.json', '--pretty', 'false'], dir)
    expect(code, toReadmeLines(out, files)).to.equal(0)
  })

  it('block extraction finds ts blocks only, with their README line', () => {
    const markdown = ['# t', '```ts', 'const a = 1', '```', '```sh', 'npm ci', '```', '```typescript', 'const b = 2', '', '```'].join('\n')
    expect(tsBlocks(markdown)).to.deep.equal([
      { line: 3, code: 'const a = 1\n' },
      { line: 9, code: 'const b = 2\n\n' },
    ])
  })
})
