/**
 * A page that talks to FakeOllama with plain `fetch`, no ollixir: it proves the harness
 * and the fake's CORS answers, independently of the client's browser entry.
 */
import { exposeToTests, toErrorData, type ErrorData } from '../page-api.js'

export interface FetchInit {
  method?: string
  headers?: Record<string, string>
  body?: string
}

export type FetchOutcome =
  | {
      ok: true
      status: number
      contentType: string | null
      /** The response headers the page may read (CORS hides the rest). */
      headers: Record<string, string>
      /** Each NDJSON line, parsed, in arrival order (a non-NDJSON body is one "line"). */
      lines: unknown[]
      /** How many reads the body took: more than one means it streamed in. */
      reads: number
    }
  | { ok: false; error: ErrorData }

/** Fetches `url` and reads the body as NDJSON while it streams. */
async function fetchLines(url: string, init: FetchInit = {}): Promise<FetchOutcome> {
  try {
    const res = await fetch(url, init)
    const lines: unknown[] = []
    const decoder = new TextDecoder()
    let buffered = ''
    let reads = 0
    const reader = res.body?.getReader()
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined }
      if (next.done) break
      reads++
      buffered += decoder.decode(next.value, { stream: true })
      let newline: number
      while ((newline = buffered.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffered.slice(0, newline)))
        buffered = buffered.slice(newline + 1)
      }
    }
    buffered += decoder.decode()
    if (buffered.trim() !== '') lines.push(JSON.parse(buffered))
    const headers = Object.fromEntries(res.headers.entries())
    return { ok: true, status: res.status, contentType: res.headers.get('content-type'), headers, lines, reads }
  } catch (error) {
    return { ok: false, error: toErrorData(error) }
  }
}

exposeToTests({ fetchLines })
