import { expect } from 'chai'
import { ResponseError } from '../src/index.js'
import { quoteServerText } from '../src/protocol/server-text.js'

describe('quoteServerText', () => {
  it('leaves a short printable Ollama error text as it is', () => {
    for (const text of ['model "llama9" not found, try pulling it first', 'llama runner process has terminated: exit status 2', 'données: 日本語 🦙']) {
      expect(quoteServerText(text)).to.equal(text)
    }
  })

  it('quotes at most `max` characters (default 1 KiB), then …', () => {
    const quoted = quoteServerText('x'.repeat(1_000_000))
    expect(quoted).to.have.length(1024)
    expect(quoted.endsWith('…')).to.equal(true)
    expect(quoteServerText('abcdef', 4)).to.equal('abc…')
  })

  it('never cuts a surrogate pair in two', () => {
    const quoted = quoteServerText('🦙'.repeat(10), 4)
    expect(quoted).to.equal('🦙…')
  })

  it('collapses whitespace and shows control characters as escapes: no NUL, no terminal escape', () => {
    expect(quoteServerText('  bad\n\n\tgateway \r\n')).to.equal('bad gateway')
    expect(quoteServerText('a\u0000b\u001b[31mred\u007f\u0085')).to.equal('a\\x00b\\x1b[31mred\\x7f\\x85')
    expect(quoteServerText('evil\u202etxt.exe')).to.equal('evil\\u202etxt.exe')
  })

  it('reduces a proxy’s HTML page to its visible text', () => {
    const page = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title><style>body { color: red }</style><script>alert(1)</script></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx &amp; friends</center><!-- a comment --></body></html>`
    expect(quoteServerText(page)).to.equal('HTML page: 502 Bad Gateway nginx & friends')
  })

  it('an HTML page with no visible text is named by its title', () => {
    expect(quoteServerText('<html><head><title>Oops</title></head><body></body></html>')).to.equal('HTML page: Oops')
  })
})

describe('ResponseError.body', () => {
  it('keeps the raw start of the body, out of toJSON() and of util.inspect’s own fields', () => {
    const error = new ResponseError('bad gateway', 502, { body: '<html>…</html>' })
    expect(error.body).to.equal('<html>…</html>')
    expect(error.toJSON()).not.to.have.property('body')
    expect(Object.keys(error)).not.to.include('body')
    expect(new ResponseError('x', 500).body).to.equal(undefined)
  })
})
