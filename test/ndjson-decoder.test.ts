import { expect } from 'chai'
import { RequestError } from '../src/index.js'
import { NdjsonDecoder } from '../src/protocol/ndjson-decoder.js'

/** Feeds `bytes` to a decoder in pieces cut at `cuts`, returns the values. */
function decode(bytes: Buffer, cuts: number[], maxLineBytes = 1 << 20): unknown[] {
  const values: unknown[] = []
  const decoder = new NdjsonDecoder(maxLineBytes, (value) => values.push(value))
  let start = 0
  for (const cut of [...cuts, bytes.length]) {
    decoder.push(bytes.subarray(start, cut))
    start = cut
  }
  decoder.end()
  return values
}

describe('NdjsonDecoder', () => {
  const lines = [{ a: 'héllo' }, { b: '日本語🦙' }, { c: [1, 2, 3] }]
  const bytes = Buffer.from(lines.map((l) => `${JSON.stringify(l)}\n`).join(''))

  it('decodes the same values wherever the bytes are cut (every single cut position)', () => {
    for (let cut = 0; cut <= bytes.length; cut++) expect(decode(bytes, [cut]), `cut at ${cut}`).to.deep.equal(lines)
  })

  it('decodes byte by byte', () => {
    expect(decode(bytes, Array.from({ length: bytes.length }, (_, i) => i))).to.deep.equal(lines)
  })

  it('keeps a last line that has no newline', () => {
    expect(decode(Buffer.from('{"x":1}\n{"y":2}'), [])).to.deep.equal([{ x: 1 }, { y: 2 }])
  })

  it('skips blank lines and CRLF endings', () => {
    expect(decode(Buffer.from('{"x":1}\r\n\n\r\n{"y":2}\r\n'), [3])).to.deep.equal([{ x: 1 }, { y: 2 }])
  })

  it('a malformed line throws EBADLINE naming its number and quoting it', () => {
    expect(() => decode(Buffer.from('{"x":1}\n{"y": nope}\n'), [])).to.throw(RequestError, /line 2: "\{\\"y\\": nope\}"/)
  })

  it('a line longer than maxLineBytes throws ELINETOOLONG as soon as the tail passes the cap', () => {
    const values: unknown[] = []
    const decoder = new NdjsonDecoder(100, (v) => values.push(v))
    decoder.push(Buffer.from('{"ok":1}\n'))
    decoder.push(Buffer.from(`{"long":"${'x'.repeat(60)}`))
    let error: unknown
    try {
      decoder.push(Buffer.from('x'.repeat(60)))
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(RequestError).and.to.have.property('code', 'ELINETOOLONG')
    expect(values).to.deep.equal([{ ok: 1 }])
  })

  it('counts the cap in bytes, not characters', () => {
    const line = `{"t":"${'é'.repeat(40)}"}\n` // 40 characters of 2 bytes each
    expect(() => decode(Buffer.from(line), [], 60)).to.throw(RequestError, /maxLineBytes/)
    expect(decode(Buffer.from(line), [], 100)).to.have.length(1)
  })

  it('after stop() nothing more is delivered', () => {
    const values: unknown[] = []
    const decoder = new NdjsonDecoder(1000, (v) => {
      values.push(v)
      decoder.stop()
    })
    decoder.push(Buffer.from('{"a":1}\n{"b":2}\n'))
    expect(values).to.deep.equal([{ a: 1 }])
  })
})
