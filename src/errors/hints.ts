/**
 * What to do next, added to a server error whose text alone leaves a newcomer stuck.
 * Matched on Ollama's own texts (server/routes.go), so a server that words them
 * differently simply gets no hint.
 */

/** `model 'x' not found` (chat, generate, show), `model "x" not found, try pulling it first` (embed), copy's `model "x" not found`. */
const MODEL_NOT_FOUND = /^model ['"](.+?)['"] not found/
/** `"x" does not support thinking`. */
const NO_THINKING = /^"(.+?)" does not support thinking/

/** The hint for an error `message` answered to `what` (e.g. `POST /api/chat`), if there is one. */
export function hintFor(message: string, what: string): string | undefined {
  const missing = MODEL_NOT_FOUND.exec(message)
  // A delete of a model that is not there needs no pull.
  if (missing && !what.endsWith('/api/delete')) {
    const model = missing[1]!
    return `To pull it: \`ollama pull ${model}\` in a shell, or \`await client.pull({ model: '${model}' })\`; \`client.list()\` shows the models this server has.`
  }
  const noThinking = NO_THINKING.exec(message)
  if (noThinking) {
    return `Leave out \`think\` for ${noThinking[1]}, or use a model whose \`(await client.show({ model })).capabilities\` includes 'thinking' (e.g. qwen3, deepseek-r1, gpt-oss).`
  }
  return undefined
}

/** `message` with its hint appended, when it has one. */
export function withHint(message: string, what: string): string {
  const hint = hintFor(message, what)
  return hint === undefined ? message : `${message}. ${hint}`
}
