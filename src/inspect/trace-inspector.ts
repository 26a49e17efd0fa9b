import type { EventObject, InspectionEvent, Observer, Snapshot } from 'xstate'
import { formatTrace, formatEntry, type FormatTraceOptions } from './format-trace.js'

/** Where text goes: `process.stderr`, `process.stdout`, or anything with `write`. */
export interface TraceOutput {
  write(text: string): unknown
}

export interface TraceInspectorOptions {
  /** Print each timeline entry as it happens (to `output`). Default false. */
  live?: boolean
  /** Where `print()` and live output write. Default `process.stderr`. */
  output?: TraceOutput
  /**
   * Event types counted instead of listed: one entry per sender, receiver and type,
   * e.g. "ollixir.data × 10000". Default `ollixir.data`, `ollixir.pause`, `ollixir.resume`.
   */
  count?: readonly string[]
  /**
   * Also list XState's bookkeeping events (`xstate.init`, `xstate.done.actor.*`, …) and
   * ollixir's own (`ollixir.internal.*`). Default false: the state and end entries
   * already say what they mean. They are counted in `stats()` either way.
   */
  internal?: boolean
  /** Clock in milliseconds. Default `performance.now`. */
  now?: () => number
}

/** How an actor ended, for request actors: the stream's result. */
export type TraceOutcome = 'ok' | 'error' | 'cancelled'

/** What kind of logic an actor runs. */
export type TraceActorKind = 'request' | 'stand-in' | 'machine' | 'actor'

/** A timeline entry; `at` is milliseconds since the first recorded inspection event. */
export type TraceEntry =
  | { kind: 'actor'; at: number; actor: string; sessionId: string; parent: string | undefined; logic: string }
  /** A state (machines) or phase (request actors) change; `from` is undefined for the first. `count` > 1 for repeated pause/resume toggles. */
  | { kind: 'state'; at: number; actor: string; from: string | undefined; to: string; count: number }
  /** An event; `source` is undefined when sent from outside any actor. Counted types have `count` and `until` (last one). */
  | { kind: 'event'; at: number; actor: string; source: string | undefined; type: string; count: number; until: number; detail: string | undefined }
  | { kind: 'end'; at: number; actor: string; status: 'done' | 'stopped' | 'error'; outcome: TraceOutcome | undefined; duration: number; detail: string | undefined }

/** Everything known about one actor. */
export interface TraceActor {
  /** Its id, or `<machine id>#<sessionId>` for an actor created without one. */
  name: string
  sessionId: string
  /** The parent's name; undefined for a root. */
  parent: string | undefined
  parentSessionId: string | undefined
  kind: TraceActorKind
  /** E.g. `chat llama3.2`, `mailbox`, `machine liveview`. */
  logic: string
  status: 'active' | 'done' | 'stopped' | 'error'
  outcome: TraceOutcome | undefined
  /** Machine states or request phases, in order (a request's pause/resume toggles once). */
  states: string[]
  startedAt: number
  endedAt: number | undefined
  duration: number | undefined
  /** Events by type, bookkeeping ones included. */
  sent: Record<string, number>
  received: Record<string, number>
  /** Why it ended, for an error. */
  detail: string | undefined
}

export interface TraceInspector {
  /** The XState observer: `createActor(machine, { inspect })` or `Ollixir.init({ inspect })`. */
  readonly inspect: Observer<InspectionEvent>
  /** The entries so far, in order (copies). */
  timeline(): TraceEntry[]
  /** Every actor seen, in order of creation. */
  stats(): TraceActor[]
  /** The timeline and the actor tree as text. `times: false` leaves out every number of milliseconds. */
  format(options?: FormatTraceOptions): string
  /** Writes `format()` to `output` (default: the inspector's, else `process.stderr`). */
  print(output?: TraceOutput): void
  /** Forgets everything recorded. */
  reset(): void
}

const DEFAULT_COUNTED = ['ollixir.data', 'ollixir.chunks', 'ollixir.pause', 'ollixir.resume']

/** The parts of an actor the recorder reads (inspection events type them as `ActorRefLike`). */
interface InspectedActor {
  id: string
  sessionId: string
  _parent?: InspectedActor
  logic?: { config?: unknown }
  options?: { input?: unknown }
  getSnapshot(): unknown
}

interface ActorRecord extends Omit<TraceActor, 'parent' | 'parentSessionId' | 'sent' | 'received'> {
  parentRecord: ActorRecord | undefined
  sent: Map<string, number>
  received: Map<string, number>
  /** The current state label. */
  state: string | undefined
  /** Folded transitions of a request actor, by `from→to`. */
  folds: Map<string, Extract<TraceEntry, { kind: 'state' }>>
}

type EventEntry = Extract<TraceEntry, { kind: 'event' }>

/**
 * An XState inspector that records a readable timeline: which actors were created
 * (as a tree), their state or phase changes, the events between them (`ollixir.data`
 * counted per task, so a 10,000-chunk stream is one line), how long each lived and how
 * each request ended. Works with `Ollixir.init({ inspect })` and with
 * `createActor(machine, { inspect })`; tests can assert on `timeline()` or `stats()`.
 * It keeps what it recorded until `reset()`: a few entries per actor, never one per
 * chunk. It writes nothing unless asked (`print()`, or `live: true`).
 *
 * @example
 * const trace = createTraceInspector()
 * const client = Ollixir.init({ inspect: trace.inspect })
 * await (await client.chat({ model, messages, stream: true })).collect()
 * trace.print()   // to stderr
 */
export function createTraceInspector(options: TraceInspectorOptions = {}): TraceInspector {
  const now = options.now ?? (() => performance.now())
  const counted = new Set(options.count ?? DEFAULT_COUNTED)
  const showInternal = options.internal ?? false
  const live = options.live ?? false
  const output = () => options.output ?? defaultOutput()

  let origin: number | undefined
  let entries: TraceEntry[] = []
  let actors = new Map<string, ActorRecord>()
  /** Counted event entries still collecting, by `source>target>type`. */
  let open = new Map<string, EventEntry>()

  const clock = () => {
    const t = now()
    origin ??= t
    return t - origin
  }

  const add = (entry: TraceEntry) => {
    entries.push(entry)
    if (live && !(entry.kind === 'event' && counted.has(entry.type))) output().write(formatEntry(entry, {}) + '\n')
  }

  /** Closes counted groups touching `matches`; in live mode they are printed now, with their count. */
  const close = (matches: (key: string) => boolean) => {
    for (const [key, entry] of open) {
      if (!matches(key)) continue
      open.delete(key)
      if (live) output().write(formatEntry(entry, {}, entry.until) + '\n')
    }
  }

  const record = (ref: InspectedActor, at: number): ActorRecord => {
    const known = actors.get(ref.sessionId)
    if (known) return known
    const parentRecord = ref._parent ? record(ref._parent, at) : undefined
    const { kind, logic } = describe(ref)
    const actor: ActorRecord = {
      name: nameOf(ref),
      sessionId: ref.sessionId,
      parentRecord,
      kind,
      logic,
      status: 'active',
      outcome: undefined,
      states: [],
      startedAt: at,
      endedAt: undefined,
      duration: undefined,
      sent: new Map(),
      received: new Map(),
      detail: undefined,
      state: undefined,
      folds: new Map(),
    }
    actors.set(ref.sessionId, actor)
    add({ kind: 'actor', at, actor: actor.name, sessionId: actor.sessionId, parent: parentRecord?.name, logic })
    return actor
  }

  const onEvent = (target: ActorRecord, source: ActorRecord | undefined, event: EventObject, at: number) => {
    const type = event.type
    target.received.set(type, (target.received.get(type) ?? 0) + 1)
    if (source) source.sent.set(type, (source.sent.get(type) ?? 0) + 1)
    if (!showInternal && isBookkeeping(type)) return
    const pair = `${source?.sessionId ?? ''}>${target.sessionId}>`
    if (counted.has(type)) {
      const group = open.get(pair + type)
      if (group) {
        group.count++
        group.until = at
        return
      }
      const entry: EventEntry = { kind: 'event', at, actor: target.name, source: source?.name, type, count: 1, until: at, detail: undefined }
      open.set(pair + type, entry)
      add(entry)
      return
    }
    close((key) => key.startsWith(pair))
    add({ kind: 'event', at, actor: target.name, source: source?.name, type, count: 1, until: at, detail: eventDetail(event) })
  }

  const onSnapshot = (actor: ActorRecord, snapshot: Snapshot<unknown> & Record<string, unknown>, at: number) => {
    const state = stateOf(actor.kind, snapshot)
    if (state !== undefined && state !== actor.state) {
      const from = actor.state
      actor.state = state
      const fold = `${from}→${state}`
      const folded = actor.kind === 'request' ? actor.folds.get(fold) : undefined
      if (folded) folded.count++
      else {
        const entry = { kind: 'state' as const, at, actor: actor.name, from, to: state, count: 1 }
        if (actor.kind === 'request') actor.folds.set(fold, entry)
        if (!actor.states.includes(state) || actor.kind !== 'request') actor.states.push(state)
        add(entry)
      }
    }
    if (snapshot.status !== 'active' && actor.status === 'active') {
      actor.status = snapshot.status
      actor.endedAt = at
      actor.duration = at - actor.startedAt
      if (actor.kind === 'request') actor.outcome = outcomeOf(snapshot)
      actor.detail = endDetail(snapshot)
      close((key) => key.includes(actor.sessionId + '>'))
      add({ kind: 'end', at, actor: actor.name, status: snapshot.status, outcome: actor.outcome, duration: actor.duration, detail: actor.detail })
    }
  }

  const inspect: Observer<InspectionEvent> = {
    next(event) {
      const at = clock()
      switch (event.type) {
        case '@xstate.actor':
          record(event.actorRef as unknown as InspectedActor, at)
          return
        case '@xstate.event': {
          const target = record(event.actorRef as unknown as InspectedActor, at)
          const source = event.sourceRef ? record(event.sourceRef as unknown as InspectedActor, at) : undefined
          // XState tells the parent an actor is done before it reports the actor's final
          // snapshot: record the end first, so the timeline reads in causal order.
          if (source && source.status === 'active' && isEndNotice(event.event.type)) {
            onSnapshot(source, (event.sourceRef as unknown as InspectedActor).getSnapshot() as Snapshot<unknown> & Record<string, unknown>, at)
          }
          onEvent(target, source, event.event, at)
          return
        }
        case '@xstate.snapshot':
          onSnapshot(record(event.actorRef as unknown as InspectedActor, at), event.snapshot as Snapshot<unknown> & Record<string, unknown>, at)
          return
        default:
          return
      }
    },
  }

  const stats = (): TraceActor[] =>
    [...actors.values()].map(({ parentRecord, sent, received, state: _state, folds: _folds, states, ...rest }) => ({
      ...rest,
      parent: parentRecord?.name,
      parentSessionId: parentRecord?.sessionId,
      states: [...states],
      sent: Object.fromEntries(sent),
      received: Object.fromEntries(received),
    }))

  const format = (formatOptions: FormatTraceOptions = {}) => formatTrace(entries, stats(), { ...formatOptions, hide: showInternal ? undefined : isBookkeeping })

  return {
    inspect,
    timeline: () => entries.map((entry) => ({ ...entry })),
    stats,
    format,
    print(to) {
      ;(to ?? output()).write(format() + '\n')
    },
    reset() {
      origin = undefined
      entries = []
      actors = new Map()
      open = new Map()
    },
  }
}

function isEndNotice(type: string): boolean {
  return type.startsWith('xstate.done.actor.') || type.startsWith('xstate.error.actor.')
}

/** XState's and ollixir's own plumbing: counted, not listed, unless `internal`. */
function isBookkeeping(type: string): boolean {
  return type === 'xstate.init' || type === 'xstate.stop' || type.startsWith('xstate.done.actor.') || type.startsWith('xstate.error.actor.') || type.startsWith('xstate.snapshot.') || type.startsWith('ollixir.internal.')
}

function nameOf(ref: InspectedActor): string {
  if (ref.id !== ref.sessionId) return ref.id
  const config = ref.logic?.config as { id?: unknown } | undefined
  const machineId = typeof config === 'object' && config !== null && typeof config.id === 'string' && config.id !== '(machine)' ? config.id : undefined
  return machineId ? `${machineId}#${ref.sessionId}` : ref.sessionId
}

/** Request actors and stand-ins are told apart by their logic's `config` name (works across package copies). */
function describe(ref: InspectedActor): { kind: TraceActorKind; logic: string } {
  const config = ref.logic?.config
  const input = ref.options?.input as Record<string, unknown> | undefined
  if (config === 'ollamaStream') {
    const request = input?.request as { model?: unknown; name?: unknown } | undefined
    const model = request?.model ?? request?.name
    return { kind: 'request', logic: [input?.method, typeof model === 'string' ? model : undefined].filter(Boolean).join(' ') || 'ollamaStream' }
  }
  if (config === 'ollixir.standIn') return { kind: 'stand-in', logic: input?.recipient === 'mailbox' ? 'mailbox' : '{ send } parent' }
  if (typeof config === 'object' && config !== null && 'states' in config) {
    const id = (config as { id?: unknown }).id
    return { kind: 'machine', logic: typeof id === 'string' && id !== '(machine)' ? `machine ${id}` : 'machine' }
  }
  return { kind: 'actor', logic: 'actor' }
}

/** The phase of a request actor, the state value of a machine; nothing for other logic. */
function stateOf(kind: TraceActorKind, snapshot: Record<string, unknown>): string | undefined {
  if (kind === 'request') return (snapshot.context as { phase?: string } | undefined)?.phase
  if ('value' in snapshot) return stateLabel(snapshot.value)
  return undefined
}

/** `'idle'`, `{ a: 'b' }` → `'a.b'`, parallel regions joined with `, `. */
export function stateLabel(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value !== 'object' || value === null) return String(value)
  const parts: string[] = []
  for (const [key, child] of Object.entries(value)) {
    const inner = stateLabel(child)
    parts.push(typeof child === 'object' && child !== null && Object.keys(child).length === 0 ? key : `${key}.${inner}`)
  }
  return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`
}

/** A request's outcome is its final phase (a request stopped after its reply keeps it); a crash is an error. */
function outcomeOf(snapshot: Snapshot<unknown>): TraceOutcome {
  if (snapshot.status === 'error') return 'error'
  const phase = (snapshot as { context?: { phase?: unknown } }).context?.phase
  return phase === 'ok' || phase === 'error' ? phase : 'cancelled'
}

function endDetail(snapshot: Snapshot<unknown>): string | undefined {
  const output = (snapshot as { output?: { error?: unknown } }).output
  const error = snapshot.status === 'error' ? (snapshot as { error?: unknown }).error : output && typeof output === 'object' ? output.error : undefined
  return error === undefined ? undefined : describeError(error)
}

function eventDetail(event: EventObject): string | undefined {
  const e = event as EventObject & { response?: { status?: unknown }; reason?: unknown }
  switch (event.type) {
    case 'ollixir.ok':
      return typeof e.response?.status === 'number' ? `HTTP ${e.response.status}` : undefined
    case 'ollixir.error':
      return describeError(e.reason, false)
    case 'ollixir.down':
      return e.reason === 'normal' ? 'normal' : describeError(e.reason, false)
    default:
      return undefined
  }
}

/** `ResponseError ESTREAM: model "x" not found` (the message cut at 80 characters). */
function describeError(error: unknown, withMessage = true): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  const head = typeof code === 'string' ? `${error.name} ${code}` : error.name
  if (!withMessage) return head
  const message = error.message.length > 80 ? `${error.message.slice(0, 79)}…` : error.message
  return `${head}: ${message}`
}

export type { FormatTraceOptions }

/** stderr in Node; in a page, where there is none, the developer console. */
function defaultOutput(): TraceOutput {
  const stderr = (globalThis as { process?: { stderr?: TraceOutput } }).process?.stderr
  return stderr ?? { write: (text: string) => console.log(text.replace(/\n$/, '')) }
}
