/**
 * A page for testing the harness itself: it reports what the page's policy allows and
 * can fail in the ways a test must notice (an uncaught error, a console error).
 */
import { exposeToTests, toErrorData, type ErrorData } from '../page-api.js'

/** Whether the page may compile code at run time (`unsafe-eval`), as ajv's compiled validators do. */
function canCompileCode(): { ok: true } | { ok: false; error: ErrorData } {
  try {
    new Function('return 1')()
    return { ok: true }
  } catch (error) {
    return { ok: false, error: toErrorData(error) }
  }
}

/** Throws outside any call, so only the page's error reporting can see it. */
function throwUncaught(message: string): void {
  setTimeout(() => {
    throw new Error(message)
  }, 0)
}

function logError(message: string): void {
  console.error(message)
}

/** The page's origin as the page sees it (`location` is a browser global, untyped here). */
function origin(): string {
  return (globalThis as unknown as { location: { origin: string } }).location.origin
}

exposeToTests({ canCompileCode, throwUncaught, logError, origin })
