import { expect } from 'chai'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { run } from './support/packed.js'

const ROOT = resolve(import.meta.dirname, '..')

/** `npm run docs` (typedoc, warnings are errors): every exported name is documented and every type it uses is reachable. */
describe('API reference', function () {
  this.timeout(180_000)
  let out: string

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'ollixir-docs-'))
  })
  after(async () => {
    await rm(out, { recursive: true, force: true })
  })

  it('typedoc builds it with zero warnings', async () => {
    const { code, out: log } = await run(process.execPath, [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out], ROOT)
    expect(code, log).to.equal(0)
    expect(log).not.to.match(/warning/i)
    expect(await readdir(out)).to.include('index.html')
  })
})
