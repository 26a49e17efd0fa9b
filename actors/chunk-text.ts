import type { Message } from '../src/types/wire.js'
import type { OllixirEvent } from './events.js'

/**
 * The text and thinking that an `ollixir.data` event (one chunk) or an `ollixir.chunks`
 * event (one socket read's chunks) brings, joined in order: the machines turn either
 * into one delta, so with `coalesce: true` a UI re-renders once per batch.
 */
export function chunkText(event: OllixirEvent): { content: string; thinking: string } | undefined {
  if (event.type === 'ollixir.data') return textOf(event.data)
  if (event.type !== 'ollixir.chunks') return undefined
  if (event.data.length === 1) return textOf(event.data[0])
  let content = ''
  let thinking = ''
  for (const chunk of event.data) {
    const text = textOf(chunk)
    content += text.content
    thinking += text.thinking
  }
  return { content, thinking }
}

function textOf(chunk: unknown): { content: string; thinking: string } {
  const message = (chunk as { message?: Partial<Message> } | undefined)?.message
  return { content: message?.content ?? '', thinking: message?.thinking ?? '' }
}
