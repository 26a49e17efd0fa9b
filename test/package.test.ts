import { expect } from 'chai'
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { packedProject, run } from './support/packed.js'

/** Node 20.19+ and 22.12+ load ES modules with require() (unflagged). */
function canRequireEsm(): boolean {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
  return major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19)
}

describe('the packed package installs cleanly and runs in a new project', function () {
  this.timeout(300_000)

  it('npm install of the tarball runs no install script and warns of nothing of ours', async () => {
    const { dir, installLog } = await packedProject()
    const manifest = JSON.parse(await readFile(join(dir, 'node_modules/ollixir/package.json'), 'utf8'))
    expect(manifest.scripts).not.to.have.property('prepare')
    expect(manifest.scripts).not.to.have.property('install')
    expect(manifest).to.include.keys('repository', 'homepage', 'bugs', 'license')
    // One xstate, the app's: a second copy would make its machines and ours different types.
    expect(manifest.dependencies).not.to.have.property('xstate')
    expect(manifest.peerDependencies.xstate).to.match(/^\^5\./)
    expect(await readFile(join(dir, 'node_modules/ollixir/LICENSE'), 'utf8')).to.match(/^MIT License/)
    expect(installLog).not.to.match(/prepare|deprecated ollixir/i)
  })

  it('a stream runs end to end against FakeOllama, from ollixir and ollixir/testing', async () => {
    const { dir } = await packedProject()
    await writeFile(
      join(dir, 'stream.mjs'),
      `import { Ollixir } from 'ollixir'
import { FakeOllama } from 'ollixir/testing'
const fake = await FakeOllama.start()
fake.enqueue('chat', { text: ['Hel', 'lo'] })
const client = Ollixir.init(fake.host)
let text = ''
for await (const chunk of await client.chat({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: true })) text += chunk.message.content
client.close()
await fake.close()
console.log('streamed: ' + text)
`,
    )
    const { code, out } = await run(process.execPath, ['stream.mjs'], dir, 30_000)
    expect(code, out).to.equal(0)
    expect(out.trim()).to.equal('streamed: Hello')
  })

  it(`require('ollixir') ${canRequireEsm() ? 'gives the client (require(esm))' : "fails with Node's own ERR_REQUIRE_ESM message"}`, async () => {
    const { dir } = await packedProject()
    await writeFile(join(dir, 'require.cjs'), `const { Ollixir } = require('ollixir'); console.log(typeof Ollixir.init, Ollixir.init('h:1').host)\n`)
    const { code, out } = await run(process.execPath, ['--no-warnings', 'require.cjs'], dir, 30_000)
    if (canRequireEsm()) {
      expect(code, out).to.equal(0)
      expect(out.trim()).to.equal('function http://h:1')
    } else {
      expect(code).not.to.equal(0)
      expect(out).to.match(/ERR_REQUIRE_ESM/)
    }
  })

  it('source maps carry their sources, so they never point at files that are not shipped', async () => {
    const { dir } = await packedProject()
    const maps = (await readdir(join(dir, 'node_modules/ollixir/dist'), { recursive: true })).filter((name) => name.endsWith('.js.map'))
    expect(maps.length).to.be.greaterThan(10)
    for (const name of maps) {
      const map = JSON.parse(await readFile(join(dir, 'node_modules/ollixir/dist', name), 'utf8'))
      expect(map.sourcesContent, name).to.be.an('array').with.length(map.sources.length)
    }
  })

  it('ships dist, README and LICENSE only: no tests, no sources outside the maps', async () => {
    const { dir } = await packedProject()
    const entries = await readdir(join(dir, 'node_modules/ollixir'))
    expect(entries.sort()).to.deep.equal(['LICENSE', 'README.md', 'dist', 'package.json'])
    expect((await readdir(join(dir, 'node_modules/ollixir/dist'))).sort()).to.deep.equal(['actors', 'src'])
  })
})
