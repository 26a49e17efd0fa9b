import { expect } from 'chai'
import { Ollixir, parseHost, RequestError } from '../src/index.js'

describe('host parsing (as ollama-python _parse_host)', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'http://127.0.0.1:11434'],
    ['', 'http://127.0.0.1:11434'],
    ['1.2.3.4', 'http://1.2.3.4:11434'],
    [':56789', 'http://127.0.0.1:56789'],
    ['1.2.3.4:56789', 'http://1.2.3.4:56789'],
    ['http://1.2.3.4', 'http://1.2.3.4:80'],
    ['https://1.2.3.4', 'https://1.2.3.4:443'],
    ['https://1.2.3.4:56789', 'https://1.2.3.4:56789'],
    ['example.com', 'http://example.com:11434'],
    ['example.com:56789', 'http://example.com:56789'],
    ['http://example.com', 'http://example.com:80'],
    ['https://example.com', 'https://example.com:443'],
    ['https://example.com:56789', 'https://example.com:56789'],
    ['example.com/', 'http://example.com:11434'],
    ['example.com:56789/', 'http://example.com:56789'],
    ['example.com/path', 'http://example.com:11434/path'],
    ['example.com:56789/path', 'http://example.com:56789/path'],
    ['https://example.com:56789/path', 'https://example.com:56789/path'],
    ['example.com:56789/path/', 'http://example.com:56789/path'],
    ['[0001:002:003:0004::1]', 'http://[0001:002:003:0004::1]:11434'],
    ['[0001:002:003:0004::1]:56789', 'http://[0001:002:003:0004::1]:56789'],
    ['http://[0001:002:003:0004::1]', 'http://[0001:002:003:0004::1]:80'],
    ['https://[0001:002:003:0004::1]', 'https://[0001:002:003:0004::1]:443'],
    ['https://[0001:002:003:0004::1]:56789', 'https://[0001:002:003:0004::1]:56789'],
    ['[0001:002:003:0004::1]/', 'http://[0001:002:003:0004::1]:11434'],
    ['[0001:002:003:0004::1]:56789/', 'http://[0001:002:003:0004::1]:56789'],
    ['[0001:002:003:0004::1]/path', 'http://[0001:002:003:0004::1]:11434/path'],
    ['https://[0001:002:003:0004::1]:56789/path/', 'https://[0001:002:003:0004::1]:56789/path'],
  ]
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => expect(parseHost(input)).to.equal(expected))
  }

  it('rejects a port that is not a number, naming the host', () => {
    expect(() => parseHost('h:port')).to.throw(RequestError, /Invalid Ollama host "h:port"/)
  })

  describe('characters that would send requests to the wrong path (issue 9)', () => {
    const bad: Array<[string, RegExp]> = [
      ['h:1/path?x=1', /"\?" \(a query\)/],
      ['http://h:1?', /"\?" \(a query\)/],
      ['h:1/#frag', /"#" \(a fragment\)/],
      ['h#x:1', /"#" \(a fragment\)/],
      ['my host:1', /whitespace/],
      ['h:1/pa th', /whitespace/],
      ['h:1\n/evil', /a control character \(\\x0a\)/],
      ['h\u0000:1', /a control character \(\\x00\)/],
      ['h:1/\u007f', /a control character \(\\x7f\)/],
      ['h\u00a0:1', /whitespace/],
    ]
    for (const [input, why] of bad) {
      it(`rejects ${JSON.stringify(input)} with RequestError (field host)`, () => {
        let error: unknown
        try {
          parseHost(input)
        } catch (e) {
          error = e
        }
        expect(error).to.be.instanceOf(RequestError)
        expect(error).to.have.property('field', 'host')
        expect((error as Error).message).to.match(why)
        // The message shows the host printable: no raw control character.
        expect((error as Error).message).not.to.match(/[\u0000-\u001f\u007f]/)
      })
    }

    it('surrounding whitespace (a trailing newline in OLLAMA_HOST) is still trimmed, as before', () => {
      expect(parseHost(' h:1/path \n')).to.equal('http://h:1/path')
    })

    it('the message never shows credentials given in the host', () => {
      expect(() => parseHost('http://user:s3cret@h:1/?x')).to.throw(RequestError).that.satisfies((e: Error) => !e.message.includes('s3cret'))
      expect(() => parseHost('http://user:s3cret@h:port')).to.throw(RequestError).that.satisfies((e: Error) => !e.message.includes('s3cret'))
    })

    it('Ollixir.init refuses such a host before any request', () => {
      expect(() => Ollixir.init({ host: '127.0.0.1:11434/api?' })).to.throw(RequestError, /query/)
    })
  })

  describe('the client', () => {
    const saved = process.env.OLLAMA_HOST
    afterEach(() => {
      if (saved === undefined) delete process.env.OLLAMA_HOST
      else process.env.OLLAMA_HOST = saved
    })

    it('reads OLLAMA_HOST when no host is given', () => {
      process.env.OLLAMA_HOST = '10.0.0.7:1234'
      expect(Ollixir.init().host).to.equal('http://10.0.0.7:1234')
      expect(new Ollixir().host).to.equal('http://10.0.0.7:1234')
    })

    it('takes a host string or options; an explicit host wins over OLLAMA_HOST', () => {
      process.env.OLLAMA_HOST = '10.0.0.7:1234'
      expect(Ollixir.init('localhost:11434').host).to.equal('http://localhost:11434')
      expect(Ollixir.init({ host: 'https://h' }).host).to.equal('https://h:443')
    })

    it('serialises to its host only: no key, no headers', () => {
      const client = Ollixir.init({ host: 'h', apiKey: 'sk-secret', headers: { 'x-token': 'hidden' } })
      expect(JSON.stringify(client)).to.equal('{"host":"http://h:11434"}')
      expect(JSON.stringify({ client })).not.to.include('secret')
      expect(Object.keys(client)).to.deep.equal(['host'])
    })
  })
})
