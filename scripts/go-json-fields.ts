/**
 * Prints the JSON field names of every struct in a Go file, embedded structs flattened,
 * as the drift guard (test/drift.test.ts) pins them. To refresh the guard for a release:
 *
 *   curl -sL https://raw.githubusercontent.com/ollama/ollama/<tag>/api/types.go | npx tsx scripts/go-json-fields.ts
 *
 * and paste the output over `GO_FIELDS` there, with the tag in `RELEASE`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/**
 * The JSON field names of the structs in a Go source file (`api/types.go`): for each
 * `type X struct { … }`, the `json:"name"` tags of its fields in order, the fields of
 * embedded structs (`Metrics`, `Runner`) flattened in where they are embedded, `json:"-"`
 * fields left out and untagged fields under their Go name, as `encoding/json` does.
 * Nested anonymous structs are not descended into: they are their field's own value.
 */
export function goJsonFields(source: string): Record<string, string[]> {
  const raw = new Map<string, Array<{ json?: string; embedded?: string }>>()
  const structStart = /^type\s+(\w+)\s+struct\s*\{\s*$/
  let current: Array<{ json?: string; embedded?: string }> | undefined
  let depth = 0
  for (const line of source.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim())) {
    if (!current) {
      const start = structStart.exec(line)
      if (start) {
        current = []
        raw.set(start[1]!, current)
        depth = 1
      }
      continue
    }
    if (line === '') continue
    if (depth === 1) {
      const field = parseField(line)
      if (field) current.push(field)
    }
    const before = depth
    depth += count(line, '{') - count(line, '}')
    // `Nested struct { … } \`json:"nested"\``: the tag comes on the closing line.
    if (before > 1 && depth === 1) {
      const tag = /json:"([^",]*)/.exec(line)
      const nested = current[current.length - 1]
      if (tag && nested) {
        if (tag[1] === '-') current.pop()
        else if (tag[1] !== '') nested.json = tag[1]
      }
    }
    if (depth <= 0) current = undefined
  }
  const result: Record<string, string[]> = {}
  const flatten = (name: string, seen: Set<string>): string[] =>
    (raw.get(name) ?? []).flatMap((field) => {
      if (field.json !== undefined) return [field.json]
      if (field.embedded && raw.has(field.embedded) && !seen.has(field.embedded)) return flatten(field.embedded, new Set([...seen, field.embedded]))
      return []
    })
  for (const name of raw.keys()) result[name] = flatten(name, new Set([name]))
  return result
}

/** One field line: `Name Type \`json:"name,omitempty"\``, or an embedded `Metrics`. */
function parseField(line: string): { json?: string; embedded?: string } | undefined {
  const tag = /`[^`]*json:"([^",]*)[^"]*"[^`]*`/.exec(line)
  const words = line.replace(/`[^`]*`/g, '').trim().split(/\s+/)
  if (tag) {
    if (tag[1] === '-') return undefined
    // `Tools \`json:"tools,omitempty"\`` (an embedded type with a tag) is a field too.
    return { json: tag[1] === '' ? words[0] : tag[1] }
  }
  if (words.length === 1 && /^\*?[A-Z]\w*$/.test(words[0]!)) return { embedded: words[0]!.replace(/^\*/, '') }
  if (words.length >= 2 && /^[A-Z]/.test(words[0]!)) return { json: words[0] }
  return undefined
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = readFileSync(process.argv[2] ?? 0, 'utf8')
  const fields = goJsonFields(source)
  const lines = Object.entries(fields).map(([name, list]) => `  ${name}: [${list.map((f) => `'${f}'`).join(', ')}],`)
  process.stdout.write(`{\n${lines.join('\n')}\n}\n`)
}
