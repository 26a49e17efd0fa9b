/**
 * Folds streamed chunks into the body a non-streamed call would have returned:
 * text and thinking concatenated, tool calls and logprobs gathered from every chunk
 * (they may arrive in any chunk, not just the first), final metrics kept.
 * Text is collected in pieces and joined in batches, never by per-chunk concatenation.
 */
export interface ChunkMerger {
  add(chunk: Record<string, unknown>): void
  /** The final chunk (`done: true`, or `status: 'success'`) has arrived. */
  readonly finished: boolean
  result(): Record<string, unknown>
}

export type MergeKind = 'chat' | 'generate' | 'progress'

export function createMerger(kind: MergeKind): ChunkMerger {
  switch (kind) {
    case 'chat':
      return new ChatMerger()
    case 'generate':
      return new GenerateMerger()
    case 'progress':
      return new ProgressMerger()
  }
}

type Chunk = Record<string, unknown>

/**
 * Text pieces of a long stream, joined every so often: a million one-token strings
 * cost far more memory (a pointer and a string header each) than the text itself.
 */
class TextParts {
  /** Joined batches; `+=` makes a rope, not a copy, so this stays linear. */
  #joined = ''
  #parts: string[] = []

  push(piece: string): void {
    this.#parts.push(piece)
    if (this.#parts.length === 1024) {
      this.#joined += this.#parts.join('')
      this.#parts = []
    }
  }

  get length(): number {
    return this.#joined.length + this.#parts.length
  }

  join(): string {
    return this.#joined + this.#parts.join('')
  }
}

/** Shared by chat and generate: `done: true` ends the stream, `logprobs` accumulate. */
abstract class TextMerger implements ChunkMerger {
  finished = false
  protected last: Chunk = {}
  protected text = new TextParts()
  protected thinking = new TextParts()
  protected logprobs: unknown[] = []

  add(chunk: Chunk): void {
    this.last = chunk
    if (Array.isArray(chunk.logprobs)) for (const entry of chunk.logprobs) this.logprobs.push(entry)
    if (chunk.done === true) this.finished = true
  }

  protected withLogprobs(body: Chunk): Chunk {
    if (this.logprobs.length > 0) body.logprobs = this.logprobs
    return body
  }

  abstract result(): Chunk
}

class ChatMerger extends TextMerger {
  #toolCalls: unknown[] = []
  #role: unknown = 'assistant'

  override add(chunk: Chunk): void {
    super.add(chunk)
    const message = chunk.message as Chunk | undefined
    if (!message) return
    if (typeof message.role === 'string' && message.role) this.#role = message.role
    if (typeof message.content === 'string' && message.content) this.text.push(message.content)
    if (typeof message.thinking === 'string' && message.thinking) this.thinking.push(message.thinking)
    if (Array.isArray(message.tool_calls)) for (const call of message.tool_calls) this.#toolCalls.push(call)
  }

  result(): Chunk {
    const message: Chunk = { ...(this.last.message as Chunk | undefined), role: this.#role, content: this.text.join() }
    if (this.thinking.length > 0) message.thinking = this.thinking.join()
    else delete message.thinking
    if (this.#toolCalls.length > 0) message.tool_calls = this.#toolCalls
    else delete message.tool_calls
    return this.withLogprobs({ ...this.last, message })
  }
}

class GenerateMerger extends TextMerger {
  override add(chunk: Chunk): void {
    super.add(chunk)
    if (typeof chunk.response === 'string' && chunk.response) this.text.push(chunk.response)
    if (typeof chunk.thinking === 'string' && chunk.thinking) this.thinking.push(chunk.thinking)
  }

  result(): Chunk {
    const body: Chunk = { ...this.last, response: this.text.join() }
    if (this.thinking.length > 0) body.thinking = this.thinking.join()
    else delete body.thinking
    return this.withLogprobs(body)
  }
}

/** pull, push and create: the body is the final `{"status": "success"}`. */
class ProgressMerger implements ChunkMerger {
  finished = false
  #last: Chunk = {}

  add(chunk: Chunk): void {
    this.#last = chunk
    if (chunk.status === 'success') this.finished = true
  }

  result(): Chunk {
    return this.#last
  }
}
