import { expect } from 'chai'
import { createRequire } from 'node:module'
import { Ajv } from 'ajv'
import standalone from 'ajv/dist/standalone/index.js'
import type { EndpointName } from '../src/protocol/endpoints.js'
import { REQUEST_SCHEMAS, TOOL_PROPERTY_SCHEMA } from '../src/protocol/schemas.js'
import { validateRequest } from '../src/protocol/validate.js'

/**
 * The request schemas stay fit for ajv's standalone code generation: the browser build
 * must validate on pages whose CSP forbids `unsafe-eval`, with validators generated at
 * build time from these very schemas.
 */
describe('request schemas: plain data for build-time validators', () => {
  const schemas = Object.entries(REQUEST_SCHEMAS) as Array<[string, Record<string, unknown>]>

  /** Every value reachable from `value`, depth first. */
  function* walk(value: unknown): Generator<unknown> {
    yield value
    if (value && typeof value === 'object') for (const child of Object.values(value)) yield* walk(child)
  }

  it('hold no functions, and survive a JSON round trip unchanged as JSON', () => {
    for (const [, schema] of [...schemas, ['tool-property', TOOL_PROPERTY_SCHEMA] as const]) {
      expect([...walk(schema)].some((v) => typeof v === 'function')).to.equal(false)
      const json = JSON.stringify(schema)
      expect(JSON.stringify(JSON.parse(json))).to.equal(json)
    }
  })

  it('have one stable $id per request type', () => {
    const ids = schemas.map(([, schema]) => schema.$id)
    expect(ids.every((id) => typeof id === 'string' && id.startsWith('ollixir:'))).to.equal(true)
    expect(new Set(ids).size).to.equal(ids.length)
    expect(REQUEST_SCHEMAS.chat!.$id).to.equal('ollixir:ChatRequest')
  })

  /** Whether the client's own validation lets `body` through. */
  function runtime(method: EndpointName, body: unknown): boolean {
    try {
      validateRequest(method, body)
      return true
    } catch {
      return false
    }
  }

  it('compile to standalone code whose validators judge as the runtime ones do', () => {
    const ajv = new Ajv({ code: { source: true, esm: false }, strict: false, allErrors: false, logger: false })
    ajv.addSchema(JSON.parse(JSON.stringify(TOOL_PROPERTY_SCHEMA)))
    for (const [, schema] of schemas) ajv.addSchema(JSON.parse(JSON.stringify(schema)))
    const exports = Object.fromEntries(schemas.map(([method, schema]) => [method, schema.$id as string]))
    const source = standalone.default(ajv, exports)
    expect(source).to.not.include('new Function')
    const module = { exports: {} as Record<string, (data: unknown) => boolean> }
    // The generated CommonJS module (it requires ajv's small runtime helpers, e.g. ucs2length).
    new Function('module', 'exports', 'require', source)(module, module.exports, createRequire(import.meta.url))
    const samples: Array<[EndpointName, unknown, boolean]> = [
      ['chat', { model: 'qwen3', messages: [{ role: 'user', content: 'hi' }], think: 'max' }, true],
      ['chat', { model: 'qwen3', think: 'extreme' }, false],
      ['chat', { model: 'qwen3', tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 7 } } } } }] }, false],
      ['generate', { model: 'qwen3', prompt: 'p', keep_alive: '5m', top_logprobs: 21 }, false],
      ['create', { name: 'legacy' }, true],
      ['create', { from: 'x' }, false],
      ['create', { model: 'm', info: { capabilities: ['tools'] }, parameters: { temperature: 0.1 } }, true],
    ]
    for (const [method, body, valid] of samples) {
      expect(module.exports[method]!(body), `standalone ${method} ${JSON.stringify(body)}`).to.equal(valid)
      expect(runtime(method, body), `runtime ${method} ${JSON.stringify(body)}`).to.equal(valid)
    }
  })
})
