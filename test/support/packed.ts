import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * The package as a user gets it: `npm pack` (which runs `prepack`, the build), then
 * `npm install <tarball>` into a new project under a temporary directory, offline
 * (its dependencies come from npm's cache). Packed once per test run and shared by
 * the test files that need it (packing builds, which takes a while); removed when
 * the test process exits.
 */
export interface PackedProject {
  /** The scratch project: `node_modules/ollixir` is the installed tarball. */
  dir: string
  tarball: string
  /** What `npm install` printed (warnings included). */
  installLog: string
}

const ROOT = resolve(import.meta.dirname, '../..')
let packed: Promise<PackedProject> | undefined

export function run(command: string, args: string[], cwd: string, timeout = 240_000): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(command, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: 'false' } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout + stderr })
    })
  })
}

async function npm(args: string[], cwd: string): Promise<string> {
  const { code, out } = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, cwd)
  if (code !== 0) throw new Error(`npm ${args.join(' ')} failed (${code}):\n${out}`)
  return out
}

/**
 * Installed beside the tarball (from the cache, as a user would add them): `@types/node`
 * for the README blocks that use `process`, the optional peer `@statelyai/inspect` for
 * the inspector blocks.
 */
const ALONGSIDE = ['@types/node@^20', '@statelyai/inspect@^0.7']

/** Packs and installs once per test run. */
export function packedProject(): Promise<PackedProject> {
  packed ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ollixir-packed-'))
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
    await npm(['pack', '--pack-destination', dir, '--silent'], ROOT)
    const tarball = join(dir, (await readdir(dir)).find((name) => name.endsWith('.tgz'))!)
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true, type: 'module' }, null, 2))
    const installLog = await npm(['install', tarball, ...ALONGSIDE, '--no-audit', '--no-fund', '--prefer-offline'], dir)
    return { dir, tarball, installLog }
  })()
  return packed
}
