/**
 * The name under which a model is compared across hosts: lower case, `:latest` when
 * no tag is given, as Ollama itself resolves `llama3.2` to `llama3.2:latest`.
 */
export function modelKey(name: string): string {
  const lower = name.trim().toLowerCase()
  const lastSlash = lower.lastIndexOf('/')
  return lower.indexOf(':', lastSlash + 1) === -1 ? `${lower}:latest` : lower
}
