import { expect } from 'chai'
import { createMerger } from '../src/protocol/merge.js'

const chat = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ model: 'm', created_at: 't', message: { role: 'assistant', content: '', ...message }, done: false, ...extra })

describe('merging streamed chunks into the body', () => {
  it('chat: content and thinking concatenated, tool calls from any chunk, final metrics kept', () => {
    const merger = createMerger('chat')
    merger.add(chat({ thinking: 'Hmm' }))
    merger.add(chat({ thinking: ', weather.' }))
    merger.add(chat({ content: 'Let me check' }))
    merger.add(chat({ tool_calls: [{ function: { name: 'weather', arguments: { city: 'Paris' } } }] }))
    merger.add(chat({ content: '.', tool_calls: [{ function: { name: 'time', arguments: {} } }] }))
    expect(merger.finished).to.equal(false)
    merger.add(chat({}, { done: true, done_reason: 'stop', eval_count: 7 }))
    expect(merger.finished).to.equal(true)
    expect(merger.result()).to.deep.equal({
      model: 'm',
      created_at: 't',
      message: {
        role: 'assistant',
        content: 'Let me check.',
        thinking: 'Hmm, weather.',
        tool_calls: [
          { function: { name: 'weather', arguments: { city: 'Paris' } } },
          { function: { name: 'time', arguments: {} } },
        ],
      },
      done: true,
      done_reason: 'stop',
      eval_count: 7,
    })
  })

  it('chat: no thinking or tool_calls keys when none came; logprobs gathered', () => {
    const merger = createMerger('chat')
    merger.add(chat({ content: 'a' }, { logprobs: [{ token: 'a', logprob: -0.1 }] }))
    merger.add(chat({ content: 'b' }, { logprobs: [{ token: 'b', logprob: -0.2 }] }))
    merger.add(chat({}, { done: true }))
    const body = merger.result() as { message: Record<string, unknown>; logprobs: unknown[] }
    expect(body.message).to.deep.equal({ role: 'assistant', content: 'ab' })
    expect(body.logprobs).to.deep.equal([
      { token: 'a', logprob: -0.1 },
      { token: 'b', logprob: -0.2 },
    ])
  })

  it('generate: response and thinking concatenated, context from the final chunk', () => {
    const merger = createMerger('generate')
    merger.add({ response: 'He', thinking: 't', done: false })
    merger.add({ response: 'llo', done: false })
    merger.add({ response: '', done: true, context: [1, 2] })
    expect(merger.result()).to.deep.equal({ response: 'Hello', thinking: 't', done: true, context: [1, 2] })
  })

  it('progress: finished on status success, body is the final status', () => {
    const merger = createMerger('progress')
    merger.add({ status: 'pulling manifest' })
    merger.add({ status: 'pulling abc', digest: 'sha256:abc', total: 10, completed: 5 })
    expect(merger.finished).to.equal(false)
    merger.add({ status: 'success' })
    expect(merger.finished).to.equal(true)
    expect(merger.result()).to.deep.equal({ status: 'success' })
  })
})

describe('merging a long stream', () => {
  it('keeps every piece of a 5,000-chunk stream in order', () => {
    const merger = createMerger('generate')
    const pieces = Array.from({ length: 5000 }, (_, i) => `${i},`)
    for (const response of pieces) merger.add({ response, done: false })
    merger.add({ response: '', done: true })
    expect((merger.result() as { response: string }).response).to.equal(pieces.join(''))
  })
})
