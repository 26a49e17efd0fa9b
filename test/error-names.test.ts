import { expect } from 'chai'
import { build } from 'esbuild'

/**
 * A page's bundle is minified, and minifiers rename classes: `error.name` must still say
 * `ResponseError`, not `re`, for code (and people) that read it.
 */
describe('error names survive minification', () => {
  it('every error class keeps its name in a minified bundle', async () => {
    const entry = new URL('../src/errors/index.ts', import.meta.url).pathname
    const result = await build({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', write: false, logLevel: 'silent' })
    const errors = (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0]!.text).toString('base64')}`)) as Record<string, new (...args: any[]) => Error>
    const made = [
      new errors.OllixirError!('m'),
      new errors.ResponseError!('m', 500),
      new errors.ConnectionError!('m', { code: 'ECONNREFUSED', host: 'h' }),
      new errors.RequestError!('m'),
      new errors.AbortError!('m'),
      new errors.StructuredOutputError!('m', { code: 'EBADJSON', raw: '' }),
    ]
    expect(made.map((error) => error.name)).to.deep.equal(['OllixirError', 'ResponseError', 'ConnectionError', 'RequestError', 'AbortError', 'StructuredOutputError'])
  })
})
