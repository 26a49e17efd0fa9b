import { expect } from 'chai'
import { build, type Metafile } from 'esbuild'
import { existsSync } from 'node:fs'

const ROOT = new URL('..', import.meta.url).pathname


async function bundleMeta(contents: string, options: { conditions?: string[]; platform: 'browser' | 'node' | 'neutral' }): Promise<Metafile> {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'esm',
    metafile: true,
    logLevel: 'silent',
    platform: options.platform,
    ...(options.conditions ? { conditions: options.conditions } : {}),
    // Only where the entry resolves matters here, not its dependencies.
    external: ['node:*', 'xstate', 'ajv', 'ajv/*', 'got', '@noble/hashes/*'],
  })
  return result.metafile
}

/** The Node built-ins a bundle's modules import. */
function builtins(metafile: Metafile): string[] {
  return [...new Set(Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path).filter((path) => path.startsWith('node:'))))]
}

/** Which of ollixir's two builds a bundle holds. */
function builds(metafile: Metafile): string[] {
  return Object.keys(metafile.inputs).filter((path) => /^dist\/src\/(browser|index)\.js$/.test(path))
}

describe('runtime entries', function () {
  this.timeout(20_000)

  describe('package.json exports (the built package, resolved as bundlers and runtimes do)', () => {
    before(function () {
      if (!existsSync(`${ROOT}dist/src/browser.js`)) throw new Error('dist/ is missing: run `npm run build` first')
    })

    for (const condition of ['browser', 'worker', 'workerd', 'edge-light', 'deno', 'bun']) {
      it(`"ollixir" with the ${condition} condition is the browser build, which imports no Node built-in`, async () => {
        const metafile = await bundleMeta("import 'ollixir'", { platform: 'neutral', conditions: [condition] })
        expect(builds(metafile)).to.deep.equal(['dist/src/browser.js'])
        expect(builtins(metafile)).to.deep.equal([])
      })
    }

    it('"ollixir" in Node is the Node build', async () => {
      expect(builds(await bundleMeta("import 'ollixir'", { platform: 'node' }))).to.deep.equal(['dist/src/index.js'])
    })

    it('"ollixir/browser" is the browser build everywhere, and "ollixir/node" the Node build', async () => {
      expect(builds(await bundleMeta("import 'ollixir/browser'", { platform: 'node' }))).to.deep.equal(['dist/src/browser.js'])
      expect(builds(await bundleMeta("import 'ollixir/node'", { platform: 'browser' }))).to.deep.equal(['dist/src/index.js'])
    })
  })

  describe('the browser graph (src/browser.ts and everything it reaches)', () => {
    let metafile: Metafile

    before(async () => {
      metafile = await bundleMeta(`import * as ollixir from './src/browser.ts'; export default ollixir`, { platform: 'browser' })
    })

    it('imports no Node built-in', () => {
      expect(builtins(metafile)).to.deep.equal([])
    })

    it('reaches neither got nor the Node-only files (platform, transport, client, testing)', () => {
      const nodeOnly = Object.keys(metafile.inputs).filter((path) => /node-platform|got-transport|node-client|src\/testing\/|(^|\/)got($|\/)/.test(path))
      const gotImports = Object.values(metafile.inputs).flatMap((input) => input.imports.map((i) => i.path).filter((path) => path === 'got'))
      expect(nodeOnly).to.deep.equal([])
      expect(gotImports).to.deep.equal([])
    })
  })
})
