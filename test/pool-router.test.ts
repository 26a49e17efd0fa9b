import { expect } from 'chai'
import { chooseHost, SPILL_FACTOR, type HostView } from '../src/pool/router.js'

const view = (host: string, over: Partial<HostView> = {}): HostView => ({ host, state: 'up', inFlight: 0, slots: 2, loaded: [], pulled: [], ...over })
const m = 'llama3.2:latest'

describe('pool router (the routing rules as a pure function)', () => {
  it('loaded beats pulled beats none; a host without the model is not used while one has it', () => {
    expect(chooseHost([view('a'), view('b', { pulled: [m] }), view('c', { loaded: [m], pulled: [m] })], { model: m })).to.deep.equal({ kind: 'host', host: 'c', reason: 'loaded' })
    expect(chooseHost([view('a'), view('b', { pulled: [m] })], { model: m })).to.deep.equal({ kind: 'host', host: 'b', reason: 'pulled' })
    expect(chooseHost([view('a', { inFlight: 1 }), view('b')], { model: m })).to.deep.equal({ kind: 'host', host: 'b', reason: 'any' })
    expect(chooseHost([view('a'), view('b', { pulled: [m], inFlight: 2 })], { model: m })).to.deep.equal({ kind: 'wait' })
  })

  it('among equals, the lowest in-flight/slots ratio; up before degraded; down never', () => {
    expect(chooseHost([view('a', { inFlight: 2, slots: 4 }), view('b', { inFlight: 1, slots: 4 })], {})).to.include({ host: 'b' })
    expect(chooseHost([view('a', { inFlight: 1, slots: 8 }), view('b', { inFlight: 1, slots: 2 })], {})).to.include({ host: 'a' })
    expect(chooseHost([view('a', { state: 'degraded' }), view('b', { inFlight: 1 })], {})).to.include({ host: 'b' })
    expect(chooseHost([view('a', { state: 'down' }), view('b', { state: 'probing' })], {})).to.deep.equal({ kind: 'none' })
  })

  it('a full host with the model loaded is waited for, until the backlog spills to hosts that have it pulled', () => {
    const hosts = [view('a', { loaded: [m], inFlight: 2 }), view('b', { pulled: [m] })]
    expect(chooseHost(hosts, { model: m, backlog: SPILL_FACTOR * 2 - 1 })).to.deep.equal({ kind: 'wait' })
    expect(chooseHost(hosts, { model: m, backlog: SPILL_FACTOR * 2 })).to.deep.equal({ kind: 'host', host: 'b', reason: 'pulled' })
    expect(chooseHost(hosts, { model: m, backlog: 1000, spillFactor: Infinity })).to.deep.equal({ kind: 'wait' })
    expect(chooseHost(hosts, { model: m, backlog: 2, spillFactor: 1 })).to.include({ host: 'b' })
  })

  it('stickiness beats load; a pinned call waits for its host; excluded hosts are skipped', () => {
    const hosts = [view('a', { loaded: [m], inFlight: 1 }), view('b', { loaded: [m] })]
    expect(chooseHost(hosts, { model: m, sticky: 'a' })).to.deep.equal({ kind: 'host', host: 'a', reason: 'sticky' })
    expect(chooseHost([view('a', { inFlight: 2 }), view('b')], { pinned: 'a' })).to.deep.equal({ kind: 'wait' })
    expect(chooseHost(hosts, { model: m, exclude: new Set(['b']) })).to.include({ host: 'a' })
    expect(chooseHost(hosts, { exclude: new Set(['a', 'b']) })).to.deep.equal({ kind: 'none' })
  })
})
