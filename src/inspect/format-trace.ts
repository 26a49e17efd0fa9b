import type { TraceActor, TraceEntry } from './trace-inspector.js'

export interface FormatTraceOptions {
  /**
   * Show milliseconds (the time column, durations). Default true; `false` gives text
   * that only changes when the behaviour does, for assertions in tests.
   */
  times?: boolean
}

interface Options extends FormatTraceOptions {
  /** Event types left out of the per-actor counts. */
  hide?: ((type: string) => boolean) | undefined
}

/**
 * The trace as text: a header, the timeline (one line per entry), then the actor tree
 * with each actor's outcome, duration, states and event counts.
 *
 * ```
 * ollixir trace: 2 actors, 10 events, 12 ms
 *     +0.0 ms  + ollixir.mailbox.1 (mailbox)
 *     +0.1 ms  + ollixir.chat.1 (chat llama3.2) in ollixir.mailbox.1
 *     +0.2 ms    ollixir.chat.1: connecting
 *     +2.9 ms    ollixir.chat.1: connecting → streaming
 *     +3.1 ms    ollixir.chat.1 → ollixir.mailbox.1: ollixir.data × 7 (over 8.2 ms)
 *    +11.4 ms    ollixir.chat.1 → ollixir.mailbox.1: ollixir.ok (HTTP 200)
 *    ...
 * actors
 *   ollixir.mailbox.1 — mailbox — done in 12 ms
 *     ollixir.chat.1 — chat llama3.2 — ok in 12 ms
 *       phases: connecting → streaming → ok
 *       sent: ollixir.data × 7, ollixir.ok, ollixir.down
 * ```
 */
export function formatTrace(entries: readonly TraceEntry[], actors: readonly TraceActor[], options: Options = {}): string {
  const times = options.times ?? true
  const visible = (type: string) => !options.hide?.(type)
  const events = actors.reduce((sum, actor) => sum + Object.entries(actor.received).reduce((n, [type, count]) => n + (visible(type) ? count : 0), 0), 0)
  const span = entries.reduce((last, entry) => Math.max(last, entry.kind === 'event' ? entry.until : entry.at), 0)
  const lines = [`ollixir trace: ${plural(actors.length, 'actor')}, ${plural(events, 'event')}${times ? `, ${ms(span)}` : ''}`]
  for (const entry of entries) lines.push(formatEntry(entry, { times }))
  if (actors.length) lines.push('actors')
  const children = new Map<string | undefined, TraceActor[]>()
  const known = new Set(actors.map((actor) => actor.sessionId))
  for (const actor of actors) {
    const parent = actor.parentSessionId !== undefined && known.has(actor.parentSessionId) ? actor.parentSessionId : undefined
    children.set(parent, [...(children.get(parent) ?? []), actor])
  }
  const tree = (parent: string | undefined, depth: number, seen: Set<string>) => {
    for (const actor of children.get(parent) ?? []) {
      if (seen.has(actor.sessionId)) continue
      seen.add(actor.sessionId)
      const indent = '  '.repeat(depth + 1)
      lines.push(`${indent}${actor.name} — ${actor.logic} — ${ending(actor, times)}`)
      if (actor.states.length) lines.push(`${indent}    ${actor.kind === 'request' ? 'phases' : 'states'}: ${actor.states.join(' → ')}`)
      const sent = counts(actor.sent, visible)
      if (sent) lines.push(`${indent}    sent: ${sent}`)
      const received = counts(actor.received, visible)
      if (received) lines.push(`${indent}    received: ${received}`)
      tree(actor.sessionId, depth + 1, seen)
    }
  }
  tree(undefined, 0, new Set())
  return lines.join('\n')
}

/** One timeline line; `shownAt` replaces the time column (live output prints a counted group when it closes). */
export function formatEntry(entry: TraceEntry, { times = true }: FormatTraceOptions, shownAt = entry.at): string {
  const when = times ? `${`+${ms(shownAt)}`.padStart(11)}  ` : ''
  switch (entry.kind) {
    case 'actor':
      return `${when}+ ${entry.actor} (${entry.logic})${entry.parent ? ` in ${entry.parent}` : ''}`
    case 'state':
      return `${when}  ${entry.actor}: ${entry.from === undefined ? entry.to : `${entry.from} → ${entry.to}`}${entry.count > 1 ? ` × ${entry.count}` : ''}`
    case 'event': {
      const over = times && entry.count > 1 ? ` (over ${ms(entry.until - entry.at)})` : ''
      const detail = entry.detail ? ` (${entry.detail})` : ''
      return `${when}  ${entry.source ?? '(outside)'} → ${entry.actor}: ${entry.type}${entry.count > 1 ? ` × ${entry.count}` : ''}${over}${detail}`
    }
    case 'end':
      return `${when}■ ${entry.actor} ${entry.outcome ?? entry.status}${entry.detail ? ` (${entry.detail})` : ''}${times ? ` after ${ms(entry.duration)}` : ''}`
  }
}

function ending(actor: TraceActor, times: boolean): string {
  if (actor.status === 'active') return 'running'
  const how = actor.outcome ?? actor.status
  return `${how}${actor.detail ? ` (${actor.detail})` : ''}${times && actor.duration !== undefined ? ` in ${ms(actor.duration)}` : ''}`
}

function counts(byType: Record<string, number>, visible: (type: string) => boolean): string {
  return Object.entries(byType)
    .filter(([type]) => visible(type))
    .map(([type, count]) => (count > 1 ? `${type} × ${count}` : type))
    .join(', ')
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** `0.4 ms`, `12 ms`, `1.25 s`. */
function ms(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(2)} s`
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`
}
