import type { ErrorObject } from 'ajv'

/**
 * A request validator as ajv's standalone code makes it (request-validators.generated.ts):
 * true when the value is valid, otherwise false with the first error in `errors`.
 */
export interface RequestValidator {
  (data: unknown): boolean
  errors?: ErrorObject[] | null
}
