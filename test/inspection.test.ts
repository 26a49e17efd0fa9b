import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { connect, type Socket } from 'node:net'
import { inspect as utilInspect } from 'node:util'
import { createInspector, createWebSocketInspector, type StatelyInspectionEvent } from '@statelyai/inspect'
import { createInspectorServer } from '@statelyai/inspect/server'
import { expect } from 'chai'
import { assign, createActor, setup, type AnyActorRef, type InspectionEvent } from 'xstate'
import { createTraceInspector, ollamaStream, Ollixir, ResponseError, type OllixirEvent, type TraceActor } from '../src/index.js'
import { closedPort, eventually, hi, Inbox, rejection, sleep, useRig } from './support/helpers.js'

/** The number in `ollixir.chat.7`. */
const numberOf = (taskId: string) => taskId.split('.').at(-1)!

/** JSON as an inspector ships it (honours toJSON); repeated objects are written once. */
function json(value: unknown): string {
  const seen = new WeakSet<object>()
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[seen]'
      seen.add(v)
    }
    return typeof v === 'bigint' ? String(v) : v
  })
}

const byName = (actors: TraceActor[], name: string) => {
  const actor = actors.find((a) => a.name === name)
  if (!actor) throw new Error(`no actor ${name} in ${actors.map((a) => a.name).join(', ')}`)
  return actor
}

describe('inspection', () => {
  const trace = createTraceInspector()
  let raw: InspectionEvent[] = []
  const rig = useRig({ inspect: (event) => { raw.push(event); trace.inspect.next?.(event) } })
  beforeEach(() => {
    trace.reset()
    raw = []
  })

  describe('stream: true with Ollixir.init({ inspect })', () => {
    it('a mailbox stand-in owns the request actor and every delivery is an @xstate.event', async () => {
      rig.fake.enqueue('chat', { text: ['a', 'b', 'c'] })
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
      const chunks = await stream.collect()
      expect(chunks).to.have.length(4)
      const n = numberOf(stream.task.id)
      const mailbox = stream.task.actor._parent!
      expect(mailbox.id).to.equal(`ollixir.mailbox.${n}`)
      expect(mailbox.getSnapshot().status).to.equal('done')

      const deliveries = raw.filter((e) => e.type === '@xstate.event' && e.event.type === 'ollixir.data')
      expect(deliveries).to.have.length(4)
      for (const e of deliveries) {
        expect((e as { sourceRef?: unknown }).sourceRef).to.equal(stream.task.actor)
        expect(e.actorRef).to.equal(mailbox)
      }
      const delivered = raw.filter((e) => e.type === '@xstate.event' && e.actorRef === mailbox).map((e) => (e as { event: { type: string } }).event.type)
      expect(delivered).to.deep.equal(['xstate.init', 'ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.ok', 'ollixir.down', `xstate.done.actor.${stream.task.id}`])

      const [owner, request] = trace.stats()
      expect(owner).to.include({ name: `ollixir.mailbox.${n}`, kind: 'stand-in', logic: 'mailbox', parent: undefined, status: 'done' })
      expect(request).to.include({ name: stream.task.id, kind: 'request', logic: 'chat llama3.2', parent: owner!.name, status: 'done', outcome: 'ok' })
      expect(request!.states).to.deep.equal(['connecting', 'streaming', 'ok'])
      expect(request!.sent).to.deep.equal({ 'ollixir.data': 4, 'ollixir.ok': 1, 'ollixir.down': 1, [`xstate.done.actor.${stream.task.id}`]: 1 })
      expect(request!.duration).to.be.a('number').and.at.least(0)

      const text = trace.format({ times: false }).replaceAll(`.${n}`, '.N')
      expect(text).to.equal(
        [
          'ollixir trace: 2 actors, 6 events',
          '+ ollixir.mailbox.N (mailbox)',
          '+ ollixir.chat.N (chat llama3.2) in ollixir.mailbox.N',
          '  ollixir.chat.N: connecting',
          '  ollixir.chat.N: connecting → streaming',
          '  ollixir.chat.N → ollixir.mailbox.N: ollixir.data × 4',
          '  ollixir.chat.N → ollixir.mailbox.N: ollixir.ok (HTTP 200)',
          '  ollixir.chat.N → ollixir.mailbox.N: ollixir.down (normal)',
          '  ollixir.chat.N: streaming → ok',
          '■ ollixir.chat.N ok',
          '■ ollixir.mailbox.N done',
          'actors',
          '  ollixir.mailbox.N — mailbox — done',
          '      received: ollixir.data × 4, ollixir.ok, ollixir.down',
          '    ollixir.chat.N — chat llama3.2 — ok',
          '        phases: connecting → streaming → ok',
          '        sent: ollixir.data × 4, ollixir.ok, ollixir.down',
        ].join('\n'),
      )
      // With times: durations and a time column, the same lines otherwise.
      const timed = trace.format()
      expect(timed).to.match(/^ollixir trace: 2 actors, 6 events, [\d.]+ m?s$/m)
      expect(timed).to.match(new RegExp(`^ +\\+[\\d.]+ m?s  ■ ollixir\\.chat\\.${n} ok after [\\d.]+ m?s$`, 'm'))
      expect(timed).to.match(new RegExp(`ollixir\\.data × 4 \\(over [\\d.]+ m?s\\)$`, 'm'))
    })

    it('without an inspector there is no stand-in: the mailbox itself is the recipient', async () => {
      const plain = Ollixir.init({ host: rig.fake.host, retry: false })
      try {
        rig.fake.enqueue('chat', { text: ['a', 'b'] })
        const stream = await plain.chat({ model: 'llama3.2', messages: hi, stream: true })
        expect(stream.task.actor._parent).to.equal(undefined)
        expect(await stream.collect()).to.have.length(3)
        expect(raw).to.deep.equal([])
      } finally {
        plain.close()
      }
    })

    it('phases connecting → streaming → paused → streaming → ok are @xstate.snapshot events; pause/resume come from the mailbox', async () => {
      const slow = Ollixir.init({ host: rig.fake.host, retry: false, highWaterMark: 2, inspect: (event) => { raw.push(event); trace.inspect.next?.(event) } })
      try {
        // Paced, so the reader resumes before the final chunk (which ends the stream even while paused).
        rig.fake.enqueue('chat', { text: Array.from({ length: 30 }, (_, i) => `w${i} `), chunkDelayMs: 1 })
        const stream = await slow.chat({ model: 'llama3.2', messages: hi, stream: true })
        let count = 0
        for await (const _ of stream) {
          count++
          await sleep(2)
        }
        expect(count).to.equal(31)
        const phases = raw
          .filter((e) => e.type === '@xstate.snapshot' && e.actorRef === stream.task.actor)
          .map((e) => (e as unknown as { snapshot: { context: { phase: string } } }).snapshot.context.phase)
          .filter((phase, i, all) => phase !== all[i - 1])
        expect(phases.slice(0, 4)).to.deep.equal(['connecting', 'streaming', 'paused', 'streaming'])
        expect(phases.at(-1)).to.equal('ok')

        const request = byName(trace.stats(), stream.task.id)
        expect(request.states).to.deep.equal(['connecting', 'streaming', 'paused', 'ok'])
        const mailbox = `ollixir.mailbox.${numberOf(stream.task.id)}`
        const pauses = trace.timeline().filter((e) => e.kind === 'event' && e.type === 'ollixir.pause')
        expect(pauses).to.have.length(1)
        expect(pauses[0]).to.include({ source: mailbox, actor: stream.task.id })
        expect((pauses[0] as { count: number }).count).to.be.at.least(1)
        const toggles = trace.timeline().find((e) => e.kind === 'state' && e.actor === stream.task.id && e.from === 'streaming' && e.to === 'paused')
        expect(toggles, 'one folded streaming → paused entry').to.not.equal(undefined)
      } finally {
        slow.close()
      }
    })

    it('an aborted stream (break) ends cancelled, shut down by its mailbox', async () => {
      rig.fake.enqueue('chat', { text: Array.from({ length: 50 }, () => 'x'), chunkDelayMs: 10 })
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
      let seen = 0
      for await (const _ of stream) if (++seen === 2) break
      await eventually(() => stream.task.actor.getSnapshot().status !== 'active')
      const n = numberOf(stream.task.id)
      const request = byName(trace.stats(), stream.task.id)
      expect(request).to.include({ status: 'done', outcome: 'cancelled' })
      expect(request.states).to.deep.equal(['connecting', 'streaming', 'cancelled'])
      const text = trace.format({ times: false }).replaceAll(`.${n}`, '.N')
      expect(text).to.include('  ollixir.mailbox.N → ollixir.chat.N: ollixir.shutdown\n')
      expect(text).to.include('■ ollixir.chat.N cancelled\n')
      expect(text).to.include('    ollixir.chat.N — chat llama3.2 — cancelled\n')
      expect(text).not.to.include('ollixir.down')
    })

    it('an error stream ends error, with the error named in the trace', async () => {
      rig.fake.enqueue('chat', { text: ['a', 'b', 'c'], errorLineAfter: 2, errorLine: 'model ran out of memory' })
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
      expect(await rejection(stream.collect())).to.be.instanceOf(ResponseError)
      const n = numberOf(stream.task.id)
      const request = byName(trace.stats(), stream.task.id)
      expect(request).to.include({ outcome: 'error', detail: 'ResponseError ESTREAM: model ran out of memory' })
      expect(request.states).to.deep.equal(['connecting', 'streaming', 'error'])
      expect(request.sent).to.include({ 'ollixir.data': 2, 'ollixir.error': 1, 'ollixir.down': 1 })
      const text = trace.format({ times: false }).replaceAll(`.${n}`, '.N')
      expect(text).to.include('  ollixir.chat.N → ollixir.mailbox.N: ollixir.data × 2\n')
      expect(text).to.include('  ollixir.chat.N → ollixir.mailbox.N: ollixir.error (ResponseError ESTREAM)\n')
      expect(text).to.include('■ ollixir.chat.N error (ResponseError ESTREAM: model ran out of memory)\n')
    })

    it('a 10,000-chunk stream is one line: ollixir.data × 10000', async function () {
      this.timeout(20_000)
      rig.fake.enqueue('chat', { text: Array.from({ length: 9_999 }, () => 't') })
      const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: true })
      let count = 0
      for await (const _ of stream) count++
      expect(count).to.equal(10_000)
      const data = trace.timeline().filter((e) => e.kind === 'event' && e.type === 'ollixir.data')
      expect(data).to.have.length(1)
      expect(data[0]).to.include({ count: 10_000, source: stream.task.id })
      const lines = trace.format({ times: false }).split('\n')
      expect(lines.filter((line) => line.includes('ollixir.data'))).to.deep.equal([
        `  ${stream.task.id} → ollixir.mailbox.${numberOf(stream.task.id)}: ollixir.data × 10000`,
        '      received: ollixir.data × 10000, ollixir.ok, ollixir.down',
        '        sent: ollixir.data × 10000, ollixir.ok, ollixir.down',
      ])
      expect(lines.length).to.be.below(20)
    })
  })

  describe('process mode', () => {
    it('a Task with a plain { send } parent: a stand-in ollixir.parent.N, and the parent gets the same events as uninspected', async () => {
      rig.fake.enqueue('chat', { text: ['a', 'b'] })
      const inbox = new Inbox()
      const task = await rig.client.chat({ model: 'llama3.2', messages: hi, stream: inbox })
      await inbox.until('ollixir.down')
      expect(inbox.types).to.deep.equal(['ollixir.data', 'ollixir.data', 'ollixir.data', 'ollixir.ok', 'ollixir.down'])
      expect(inbox.events[0]).to.include({ taskId: task.id })

      const plain = Ollixir.init({ host: rig.fake.host, retry: false })
      try {
        rig.fake.enqueue('chat', { text: ['a', 'b'] })
        const uninspected = new Inbox()
        await plain.chat({ model: 'llama3.2', messages: hi, stream: uninspected })
        await uninspected.until('ollixir.down')
        expect(uninspected.types).to.deep.equal(inbox.types)
      } finally {
        plain.close()
      }

      const n = numberOf(task.id)
      const [owner, request] = trace.stats()
      expect(owner).to.include({ name: `ollixir.parent.${n}`, kind: 'stand-in', logic: '{ send } parent', status: 'done' })
      expect(request).to.include({ name: task.id, parent: `ollixir.parent.${n}`, outcome: 'ok' })
      expect(owner!.received).to.include({ 'ollixir.data': 3, 'ollixir.ok': 1, 'ollixir.down': 1 })
      const text = trace.format({ times: false }).replaceAll(`.${n}`, '.N')
      expect(text).to.include('+ ollixir.chat.N (chat llama3.2) in ollixir.parent.N\n')
      expect(text).to.include('  ollixir.chat.N → ollixir.parent.N: ollixir.data × 3\n')
    })

    it('a machine that invokes ollamaStream, inspected with createActor(machine, { inspect })', async () => {
      const machineTrace = createTraceInspector()
      const client = Ollixir.init({ host: rig.fake.host, retry: false })
      const machine = setup({
        types: { context: {} as { text: string }, events: {} as OllixirEvent<any, any> | { type: 'go' } | { type: 'leave' } },
        actors: { ollamaStream },
      }).createMachine({
        id: 'chatter',
        context: { text: '' },
        initial: 'idle',
        states: {
          idle: { on: { go: 'streaming' } },
          streaming: {
            invoke: { id: 'reply', src: 'ollamaStream', input: () => ({ client, method: 'chat' as const, request: { model: 'llama3.2', messages: hi } }) },
            on: {
              'ollixir.data': { actions: assign({ text: ({ context, event }) => context.text + event.data.message.content }) },
              'ollixir.ok': 'done',
              leave: 'idle',
            },
          },
          done: {},
        },
      })
      try {
        rig.fake.enqueue('chat', { text: ['one ', 'two'] })
        const actor = createActor(machine, { inspect: machineTrace.inspect }).start()
        actor.send({ type: 'go' })
        await eventually(() => actor.getSnapshot().value === 'done')
        const name = `chatter#${actor.sessionId}`
        const [root, reply] = machineTrace.stats()
        expect(root).to.include({ name, kind: 'machine', logic: 'machine chatter', status: 'active' })
        expect(root!.states).to.deep.equal(['idle', 'streaming', 'done'])
        expect(root!.received).to.include({ go: 1, 'ollixir.data': 3, 'ollixir.ok': 1 })
        expect(reply).to.include({ name: 'reply', kind: 'request', parent: name, logic: 'chat llama3.2', outcome: 'ok' })
        const text = machineTrace.format({ times: false }).replaceAll(name, 'chatter')
        expect(text).to.include('+ reply (chat llama3.2) in chatter\n')
        expect(text).to.include('  (outside) → chatter: go\n')
        expect(text).to.include('  chatter: idle → streaming\n')
        expect(text).to.include('  reply → chatter: ollixir.data × 3\n')
        expect(text).to.include('  reply → chatter: ollixir.ok (HTTP 200)\n')
        expect(text).to.include('■ reply ok\n')
        expect(text).to.include('  chatter: streaming → done\n')

        // Leaving the invoking state stops the request: it ends cancelled.
        machineTrace.reset()
        rig.fake.enqueue('chat', { text: Array.from({ length: 100 }, () => 'x'), chunkDelayMs: 10 })
        const second = createActor(machine, { inspect: machineTrace.inspect }).start()
        second.send({ type: 'go' })
        await eventually(() => second.getSnapshot().context.text.length >= 2)
        second.send({ type: 'leave' })
        const stopped = byName(machineTrace.stats(), 'reply')
        expect(stopped).to.include({ status: 'stopped', outcome: 'cancelled' })
        expect(stopped.states.at(-1)).to.equal('cancelled')
        expect(machineTrace.format({ times: false })).to.include('■ reply cancelled\n')
        actor.stop()
        second.stop()
      } finally {
        client.close()
      }
    })

    it('client.chat({ stream: self }) in a machine joins its system: the machine inspector sees the task', async () => {
      const machineTrace = createTraceInspector()
      const client = Ollixir.init({ host: rig.fake.host, retry: false })
      const machine = setup({ types: { context: {} as { chunks: number; taskId: string }, events: {} as OllixirEvent<any, any> } }).createMachine({
        id: 'owner',
        context: { chunks: 0, taskId: '' },
        entry: assign({ taskId: ({ self }) => { const task = client.chat({ model: 'llama3.2', messages: hi, stream: self }); void task; return '' } }),
        initial: 'streaming',
        states: {
          streaming: { on: { 'ollixir.data': { actions: assign({ chunks: ({ context }) => context.chunks + 1 }) }, 'ollixir.ok': 'done' } },
          done: { on: { 'ollixir.down': 'gone' } },
          gone: { type: 'final' },
        },
      })
      try {
        rig.fake.enqueue('chat', { text: ['a', 'b'] })
        const actor = createActor(machine, { inspect: machineTrace.inspect }).start()
        await eventually(() => actor.getSnapshot().status === 'done')
        const request = machineTrace.stats().find((a) => a.kind === 'request')!
        expect(request.parent).to.equal(`owner#${actor.sessionId}`)
        expect(request.sent).to.include({ 'ollixir.data': 3, 'ollixir.ok': 1, 'ollixir.down': 1 })
        expect(machineTrace.stats()[0]!.states).to.deep.equal(['streaming', 'done', 'gone'])
        expect(machineTrace.format({ times: false })).to.include(`  ${request.name} → owner#${actor.sessionId}: ollixir.data × 3\n`)
      } finally {
        client.close()
      }
    })
  })

  describe('the trace inspector', () => {
    it('live: true prints entries as they happen, counted groups once they close; print() writes the whole trace', async () => {
      const lines: string[] = []
      const output = { write: (text: string) => void lines.push(...text.split('\n').filter(Boolean)) }
      const live = createTraceInspector({ live: true, output })
      const client = Ollixir.init({ host: rig.fake.host, retry: false, inspect: live.inspect })
      try {
        rig.fake.enqueue('chat', { text: ['a', 'b', 'c'] })
        const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
        await stream.collect()
        await eventually(() => stream.task.actor._parent!.getSnapshot().status === 'done')
        const bodies = lines.map((line) => line.replace(/^ *\+[\d.]+ m?s {2}/, '').replace(/ \(?(after|over) [\d.]+ m?s\)?$/, ''))
        const id = stream.task.id
        const mailbox = `ollixir.mailbox.${numberOf(id)}`
        expect(bodies).to.deep.equal([
          `+ ${mailbox} (mailbox)`,
          `+ ${id} (chat llama3.2) in ${mailbox}`,
          `  ${id}: connecting`,
          `  ${id}: connecting → streaming`,
          `  ${id} → ${mailbox}: ollixir.data × 4`,
          `  ${id} → ${mailbox}: ollixir.ok (HTTP 200)`,
          `  ${id} → ${mailbox}: ollixir.down (normal)`,
          `  ${id}: streaming → ok`,
          `■ ${id} ok`,
          `■ ${mailbox} done`,
        ])
        lines.length = 0
        live.print()
        expect(lines[0]).to.match(/^ollixir trace: 2 actors, 6 events, /)
        expect(lines).to.include('actors')
        live.reset()
        expect(live.timeline()).to.deep.equal([])
        expect(live.stats()).to.deep.equal([])
      } finally {
        client.close()
      }
    })

    it('count: [] lists every event; internal: true shows the bookkeeping events too', async () => {
      const every = createTraceInspector({ count: [], internal: true })
      const client = Ollixir.init({ host: rig.fake.host, retry: false, inspect: every.inspect })
      try {
        rig.fake.enqueue('chat', { text: ['a'] })
        const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
        await stream.collect()
        const types = every.timeline().flatMap((e) => (e.kind === 'event' ? [e.type] : []))
        expect(types.filter((t) => t === 'ollixir.data')).to.have.length(2)
        expect(types).to.include.members(['xstate.init', 'ollixir.internal.streaming', 'ollixir.internal.finish', `xstate.done.actor.${stream.task.id}`])
      } finally {
        client.close()
      }
    })
  })

  describe('secrets', () => {
    it('no inspection event carries the API key or a header value (JSON, util.inspect, @statelyai/inspect)', async () => {
      const key = 'sk-ollixir-SECRET-4242'
      const headerValue = 'hdr-SECRET-1717'
      const events: InspectionEvent[] = []
      const stately: StatelyInspectionEvent[] = []
      const statelyInspector = createInspector({ send: (event) => void stately.push(event) })
      const collect = (event: InspectionEvent) => {
        events.push(event)
        statelyInspector.inspect.next?.(event)
      }
      const client = Ollixir.init({ host: rig.fake.host, retry: false, apiKey: key, headers: { 'x-proxy-token': headerValue }, inspect: collect })
      const refused = Ollixir.init({ host: `127.0.0.1:${await closedPort()}`, retry: false, apiKey: key, headers: { 'x-proxy-token': headerValue }, inspect: collect })
      try {
        // stream: true, ok and error
        rig.fake.enqueue('chat', { text: ['a', 'b'] })
        await (await client.chat({ model: 'llama3.2', messages: hi, stream: true })).collect()
        rig.fake.enqueue('chat', { text: ['a', 'b'], dropAfter: 1 })
        await rejection((await client.chat({ model: 'llama3.2', messages: hi, stream: true })).collect())
        expect(rig.fake.lastRequest('/api/chat')?.headers).to.include({ authorization: `Bearer ${key}`, 'x-proxy-token': headerValue })
        // refused before any byte
        await rejection(refused.chat({ model: 'llama3.2', messages: hi, stream: true }))
        // a plain { send } parent
        rig.fake.enqueue('generate', { text: ['a'] })
        const inbox = new Inbox()
        await client.generate({ model: 'llama3.2', prompt: 'x', stream: inbox })
        await inbox.until('ollixir.down')
        // a machine with the client in its context, invoking ollamaStream, and a task of its own
        rig.fake.enqueue('chat', { text: ['a'] })
        rig.fake.enqueue('chat', { text: ['b'] })
        const machine = setup({ types: { context: {} as { client: Ollixir; done: number } }, actors: { ollamaStream } }).createMachine({
          context: { client, done: 0 },
          entry: ({ self, context }) => void context.client.chat({ model: 'llama3.2', messages: hi, stream: self as AnyActorRef }),
          invoke: { src: 'ollamaStream', input: ({ context }) => ({ client: context.client, method: 'chat' as const, request: { model: 'llama3.2', messages: hi } }) },
          on: { 'ollixir.ok': { actions: assign({ done: ({ context }) => context.done + 1 }) } },
        })
        const actor = createActor(machine, { inspect: collect }).start()
        await eventually(() => actor.getSnapshot().context.done === 2)
        actor.stop()
        await sleep(20) // @statelyai/inspect converts events on a timer

        expect(events.length).to.be.above(50)
        expect(new Set(events.map((e) => e.type))).to.include.keys('@xstate.actor', '@xstate.event', '@xstate.snapshot')
        expect(stately.length).to.be.above(50)
        for (const event of events) {
          for (const text of [json(event), utilInspect(event, { depth: 6 })]) {
            expect(text).not.to.include(key)
            expect(text).not.to.include(headerValue)
            expect(text).not.to.include('SECRET')
          }
        }
        for (const event of stately) expect(json(event)).not.to.include('SECRET')
      } finally {
        client.close()
        refused.close()
      }
    })
  })

  describe('@statelyai/inspect', () => {
    it("an inspector's inspect observer, given to Ollixir.init, receives the actors, ollixir events and phases", async () => {
      const received: StatelyInspectionEvent[] = []
      const inspector = createInspector({ send: (event) => void received.push(event) })
      const client = Ollixir.init({ host: rig.fake.host, retry: false, inspect: inspector.inspect })
      try {
        rig.fake.enqueue('chat', { text: ['a', 'b'] })
        const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
        await stream.collect()
        await eventually(() => received.some((e) => e.type === '@xstate.snapshot' && e.sessionId === stream.task.actor.sessionId && (e.snapshot as { status?: string }).status === 'done'))
        const mailbox = stream.task.actor._parent!
        const actors = received.filter((e) => e.type === '@xstate.actor')
        expect(actors.map((e) => e.type === '@xstate.actor' && [e.name, e.parentId])).to.deep.equal([
          [mailbox.id, undefined],
          [stream.task.id, mailbox.sessionId],
        ])
        const data = received.filter((e) => e.type === '@xstate.event' && e.event.type === 'ollixir.data')
        expect(data).to.have.length(3)
        for (const e of data) expect(e).to.include({ sourceId: stream.task.actor.sessionId, sessionId: mailbox.sessionId })
        const phases = received.flatMap((e) => (e.type === '@xstate.snapshot' && e.sessionId === stream.task.actor.sessionId ? [(e.snapshot as unknown as { context: { phase: string } }).context.phase] : []))
        expect(phases).to.deep.equal(['connecting', 'streaming', 'ok'])
      } finally {
        client.close()
      }
    })

    it('createWebSocketInspector + createInspectorServer (its Node setup) carry the events over a local websocket', async function () {
      this.timeout(10_000)
      const port = await closedPort()
      const server = createInspectorServer({ port, autoOpen: false })
      let listener: WsListener | undefined
      let inspector: ReturnType<typeof createWebSocketInspector> | undefined
      const client = Ollixir.init({ host: rig.fake.host, retry: false, inspect: (event) => inspector?.inspect.next?.(event) })
      try {
        listener = await listen(port)
        inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` })
        rig.fake.enqueue('chat', { text: ['a', 'b'] })
        const stream = await client.chat({ model: 'llama3.2', messages: hi, stream: true })
        await stream.collect()
        const types = () => listener!.messages.flatMap((m) => (m.type === '@xstate.event' ? [(m.event as { type: string }).type] : []))
        await eventually(() => types().includes('ollixir.ok'), 5000, 'ollixir.ok over the websocket')
        expect(types().filter((t) => t === 'ollixir.data')).to.have.length(3)
        const names = listener.messages.flatMap((m) => (m.type === '@xstate.actor' ? [m.name] : []))
        expect(names).to.include.members([stream.task.id, `ollixir.mailbox.${numberOf(stream.task.id)}`])
      } finally {
        inspector?.stop()
        listener?.close()
        server.stop()
        client.close()
      }
    })
  })
})

interface WsListener {
  messages: Array<Record<string, unknown> & { type: string }>
  close(): void
}

/**
 * A bare websocket client (Node 20 has no global WebSocket): joins the inspector
 * server as the browser page would and records every message the server relays.
 * Server frames are unmasked and unfragmented text; that is all this reads.
 */
async function listen(port: number): Promise<WsListener> {
  let socket: Socket | undefined
  for (let attempt = 0; ; attempt++) {
    socket = connect(port, '127.0.0.1')
    try {
      await once(socket, 'connect')
      break
    } catch (error) {
      socket.destroy()
      if (attempt > 50) throw error
      await sleep(20)
    }
  }
  const messages: WsListener['messages'] = []
  let buffer = Buffer.alloc(0)
  let upgraded = false
  const upgradedNow = new Promise<void>((resolve, reject) => {
    socket!.on('data', (bytes: Buffer) => {
      buffer = Buffer.concat([buffer, bytes])
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        if (!buffer.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(buffer.toString()))
        upgraded = true
        buffer = buffer.subarray(end + 4)
        resolve()
      }
      for (;;) {
        if (buffer.length < 2) return
        const opcode = buffer[0]! & 0x0f
        let length = buffer[1]! & 0x7f
        let offset = 2
        if (length === 126) {
          if (buffer.length < 4) return
          length = buffer.readUInt16BE(2)
          offset = 4
        } else if (length === 127) {
          if (buffer.length < 10) return
          length = Number(buffer.readBigUInt64BE(2))
          offset = 10
        }
        if (buffer.length < offset + length) return
        const payload = buffer.subarray(offset, offset + length)
        buffer = buffer.subarray(offset + length)
        if (opcode === 1) messages.push(JSON.parse(payload.toString()))
      }
    })
  })
  socket.write(
    `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
  await upgradedNow
  return { messages, close: () => socket!.destroy() }
}
