/**
 * ajv's JSON Pointer to a value as people write it in code: `/messages/0/role` →
 * `.messages[0].role` (leading dot kept, so it can follow a root name).
 */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('')
}
