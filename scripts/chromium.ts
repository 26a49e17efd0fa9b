/**
 * Where the browser tests find Chromium: the system's, never a downloaded one
 * (playwright-core downloads nothing, and browser downloads are not reachable in CI).
 */
import { accessSync, constants } from 'node:fs'

/** Looked at in this order; `CHROMIUM_PATH`, when set, is the only place looked at. */
export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

/** The one command that installs Debian's Chromium. */
export const INSTALL_CHROMIUM = 'sudo apt-get update && sudo apt-get install -y chromium'

/** The Chromium executable to drive, or `undefined` when there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : CHROMIUM_PATHS
  return candidates.find(isExecutable)
}

/** Why no Chromium was found, and how to get one. */
export function missingChromiumMessage(env: NodeJS.ProcessEnv = process.env): string {
  const looked = env.CHROMIUM_PATH ? `CHROMIUM_PATH=${env.CHROMIUM_PATH}` : CHROMIUM_PATHS.join(', ')
  return `The browser tests need Chromium and found none (looked at ${looked}). Install it with:\n  ${INSTALL_CHROMIUM}\nor set CHROMIUM_PATH to a Chromium or Chrome executable.`
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}
