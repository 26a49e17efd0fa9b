/** `npm run generate:validators`: writes src/protocol/request-validators.generated.ts from the request schemas. */
import { writeFileSync } from 'node:fs'
import { generateRequestValidators, GENERATED_VALIDATORS_PATH } from './request-validators.js'

writeFileSync(GENERATED_VALIDATORS_PATH, generateRequestValidators())
