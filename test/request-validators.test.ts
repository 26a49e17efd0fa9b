import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { generateRequestValidators, GENERATED_VALIDATORS_PATH } from '../scripts/request-validators.js'
import { REQUEST_SCHEMAS } from '../src/protocol/schemas.js'
import { REQUEST_VALIDATORS } from '../src/protocol/request-validators.generated.js'

describe('generated request validators', () => {
  it('are up to date with the request schemas (else: npm run generate:validators)', () => {
    const committed = readFileSync(GENERATED_VALIDATORS_PATH, 'utf8')
    expect(committed === generateRequestValidators(), 'src/protocol/request-validators.generated.ts is stale: run `npm run generate:validators`').to.equal(true)
  })

  it('exist for every request schema, and compile nothing at run time', () => {
    expect(Object.keys(REQUEST_VALIDATORS)).to.deep.equal(Object.keys(REQUEST_SCHEMAS))
    const source = readFileSync(GENERATED_VALIDATORS_PATH, 'utf8')
    expect(source).not.to.match(/new Function|\beval\(|require\(/)
  })
})
