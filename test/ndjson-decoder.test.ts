import { readFileSync } from 'node:fs'
import { expect } from 'chai'
import sinon from 'sinon'
import { RequestError } from '../src/index.js'
import { stripBom } from '../src/protocol/bom.js'
import { NdjsonDecoder } from '../src/protocol/ndjson-decoder.js'
import { Utf8Decoder, utf8Length } from '../src/protocol/utf8.js'

/** Feeds `bytes` to a decoder in pieces cut at `cuts`, returns the values. */
function decode(bytes: Uint8Array, cuts: number[], maxLineBytes = 1 << 20): unknown[] {
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

  describe('blank lines (issue 9, defect 4)', () => {
    afterEach(() => sinon.restore())

    it('never reach JSON.parse: blank, whitespace-only and CR-only lines cost no exception', () => {
      const parse = sinon.spy(JSON, 'parse')
      const values = decode(Buffer.from('\n\n{"x":1}\r\n\r\n  \t \n\u00a0\n{"y":2}\n\n'), [4, 9])
      expect(values).to.deep.equal([{ x: 1 }, { y: 2 }])
      expect(parse.callCount, `JSON.parse was called with ${JSON.stringify(parse.args.map((a) => a[0]))}`).to.equal(2)
      expect(parse.exceptions.filter(Boolean)).to.deep.equal([])
    })

    it('1 MiB of newlines is decoded in well under a second (it took ~9 s, one caught exception per line)', () => {
      const started = performance.now()
      const values = decode(new Uint8Array(1 << 20).fill(0x0a), [1 << 19])
      expect(values).to.deep.equal([])
      expect(performance.now() - started).to.be.below(1000)
    })
  })

  describe('runtime-neutral input', () => {
    it('takes a plain Uint8Array, not only a Buffer', () => {
      expect(decode(new TextEncoder().encode('{"a":"日本"}\n'), [5])).to.deep.equal([{ a: '日本' }])
    })

    it('imports no Node built-in and uses no Buffer (it will run in browsers)', () => {
      const source = readFileSync(new URL('../src/protocol/ndjson-decoder.ts', import.meta.url), 'utf8')
      expect(source).not.to.match(/from 'node:|\bBuffer\b|string_decoder/)
    })

    it('invalid UTF-8 becomes U+FFFD instead of an exception', () => {
      const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xc3]), Buffer.from('"}\n')])
      expect(decode(bytes, [7])).to.deep.equal([{ a: '\ufffd\ufffd' }])
    })

    it('Utf8Decoder gives the text a streaming TextDecoder gives, wherever the bytes are cut, invalid bytes included', () => {
      let state = 7
      const random = () => ((state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32)
      const pieces = [[0x61], [0xc3, 0xa9], [0xe6, 0x97, 0xa5], [0xf0, 0x9f, 0xa6, 0x99], [0xef, 0xbb, 0xbf], [0x80], [0xc3], [0xe6, 0x97], [0xf0, 0x9f], [0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x0a]]
      for (let round = 0; round < 500; round++) {
        const bytes = Uint8Array.from(Array.from({ length: 1 + Math.floor(random() * 12) }, () => pieces[Math.floor(random() * pieces.length)]!).flat())
        const reference = new TextDecoder('utf-8').decode(bytes) // drops a leading BOM, as the decoder must
        const decoder = new Utf8Decoder()
        let text = ''
        let start = 0
        while (start < bytes.length) {
          const end = Math.min(bytes.length, start + Math.floor(random() * 5))
          text += decoder.write(bytes.subarray(start, end))
          start = end
        }
        text += decoder.end()
        expect(text, `bytes ${Buffer.from(bytes).toString('hex')}`).to.equal(reference)
      }
    })

    it('counts UTF-8 bytes from code units as Buffer.byteLength does', () => {
      for (const text of ['', 'abc', 'é', '日本語', '🦙', 'a🦙é日', '\ud800', '\udc00x', 'x\ud83e']) {
        expect(utf8Length(text), JSON.stringify(text)).to.equal(Buffer.byteLength(text))
      }
    })
  })

  describe('a leading byte-order mark', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])

    it('is dropped from a stream wherever the bytes are cut', () => {
      for (let cut = 0; cut <= 6; cut++) expect(decode(withBom, [cut]), `cut at ${cut}`).to.deep.equal(lines)
    })

    it('stripBom drops it from a whole body and leaves other text alone', () => {
      expect(JSON.parse(stripBom('\ufeff{"a":1}'))).to.deep.equal({ a: 1 })
      expect(stripBom('{"a":1}')).to.equal('{"a":1}')
      expect(stripBom('')).to.equal('')
    })
  })

  it('after stop() a later push delivers nothing, whatever its shape', () => {
    const values: unknown[] = []
    const decoder = new NdjsonDecoder(1000, (v) => values.push(v))
    decoder.stop()
    decoder.push(Buffer.from('{"a":1}\n'))
    decoder.end()
    expect(values).to.deep.equal([])
  })
})
