import { expect } from 'chai'
import { Ollixir } from '../src/index.js'
import { FakeOllama } from '../src/testing/index.js'
import { hi } from './support/helpers.js'

/**
 * Model names beyond `name:tag`: Hugging Face GGUF repositories (`hf.co/{user}/{repo}:{quant}`)
 * and Ollama's cloud models (`name:tag-cloud`). The client must not touch them: they reach
 * the server byte for byte, case and all.
 */
const NAMES = [
  'hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M',
  'hf.co/Qwen/Qwen3-8B-GGUF:Q8_0',
  'hf.co/unsloth/gemma-3-27b-it-GGUF',
  'huggingface.co/TheBloke/Mistral-7B-Instruct-v0.2-GGUF:IQ3_XXS',
  'gpt-oss:120b-cloud',
  'qwen3-coder:480b-cloud',
  'deepseek-v3.1:671b-cloud',
  'kimi-k2:1t-cloud',
]

describe('cloud and Hugging Face model names', () => {
  let fake: FakeOllama
  let client: Ollixir
  beforeEach(async () => {
    fake = await FakeOllama.start({ models: [...NAMES.map((name) => ({ name })), { name: 'llama3.2' }] })
    client = Ollixir.init({ host: fake.host, retry: false })
  })
  afterEach(async () => {
    client.close()
    await fake.close()
  })

  /** The model name exactly as it went over the wire, read from the raw request bytes. */
  function sentModel(path: string): string {
    const raw = fake.lastRequest(path)!.raw.toString('utf8')
    const match = /"model":("(?:[^"\\]|\\.)*")/.exec(raw)
    expect(match, raw).to.not.equal(null)
    return JSON.parse(match![1]!) as string
  }

  for (const name of NAMES) {
    it(`${name}: chat (stream: false), generate (stream: true) and show send it byte for byte`, async () => {
      const reply = await client.chat({ model: name, messages: hi })
      expect(sentModel('/api/chat')).to.equal(name)
      expect(fake.lastRequest('/api/chat')!.raw.includes(Buffer.from(`"model":${JSON.stringify(name)}`))).to.equal(true)
      expect(reply.model).to.equal(name)

      const stream = await client.generate({ model: name, prompt: 'p', stream: true })
      const chunks = await stream.collect()
      expect(sentModel('/api/generate')).to.equal(name)
      expect(chunks.every((c) => c.model === name)).to.equal(true)

      await client.show({ model: name })
      expect(sentModel('/api/show')).to.equal(name)
    })
  }

  it('pull, copy and delete pass them through as well', async () => {
    const [hf, cloud] = [NAMES[0]!, NAMES[4]!]
    await client.pull({ model: hf })
    expect(sentModel('/api/pull')).to.equal(hf)
    await client.copy({ source: cloud, destination: 'mine:latest' })
    expect(fake.lastRequest('/api/copy')!.body).to.deep.equal({ source: cloud, destination: 'mine:latest' })
    await client.delete({ model: hf })
    expect(sentModel('/api/delete')).to.equal(hf)
  })

  it('a name the server does not have is still sent as it is (the 404 is the server’s to give)', async () => {
    const error = await client.chat({ model: 'hf.co/nobody/Nothing-GGUF:Q2_K', messages: hi }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).to.have.property('status', 404)
    expect(sentModel('/api/chat')).to.equal('hf.co/nobody/Nothing-GGUF:Q2_K')
  })
})
