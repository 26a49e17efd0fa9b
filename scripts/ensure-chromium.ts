/**
 * Makes sure the browser tests have a Chromium before `npm test` runs them: finds it
 * (`CHROMIUM_PATH`, `/usr/bin/chromium`, `/usr/bin/chromium-browser`), installs Debian's
 * `chromium` with apt-get when it is missing and we run as root, and otherwise exits
 * non-zero with the command that installs it, so the suite never skips the browser silently.
 */
import { spawnSync } from 'node:child_process'
import { findChromium, missingChromiumMessage } from './chromium.js'

function aptGet(...args: string[]): void {
  const run = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  if (run.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (${run.error?.message ?? `exit ${run.status}`})`)
}

function main(): number {
  if (findChromium()) return 0
  const isRoot = process.getuid?.() === 0
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0
  if (isRoot && hasApt && !process.env.CHROMIUM_PATH) {
    process.stderr.write('Chromium is missing: installing Debian\'s chromium for the browser tests (apt-get)...\n')
    try {
      aptGet('update')
      aptGet('install', '-y', 'chromium')
    } catch (err) {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
    }
    if (findChromium()) return 0
  }
  process.stderr.write(`${missingChromiumMessage()}\n`)
  return 1
}

process.exitCode = main()
