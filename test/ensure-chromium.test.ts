import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../scripts/ensure-chromium.ts', import.meta.url))

describe('scripts/ensure-chromium', () => {
  it('fails, never skips, when no Chromium is found, and says the one command that installs it', function () {
    this.timeout(20_000)
    // CHROMIUM_PATH is then the only place looked at, and nothing is installed in its stead.
    const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], {
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
      encoding: 'utf8',
    })
    expect(run.status).to.equal(1)
    expect(run.stderr).to.include('found none (looked at CHROMIUM_PATH=/nonexistent/chromium)')
    expect(run.stderr).to.include('sudo apt-get update && sudo apt-get install -y chromium')
  })

  it('succeeds quietly when Chromium is there', function () {
    this.timeout(20_000)
    const run = spawnSync(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...process.env, CHROMIUM_PATH: process.execPath }, encoding: 'utf8' })
    expect(run.status).to.equal(0)
    expect(run.stdout + run.stderr).to.equal('')
  })
})
