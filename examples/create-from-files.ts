/**
 * `npx tsx examples/create-from-files.ts [model.gguf]`: creates a model from local
 * files. Each file is uploaded as a blob (skipped when the server has it) with
 * progress, then `create` gets the digests. Runs against FakeOllama (with made-up
 * bytes) unless an Ollama answers at OLLAMA_HOST and a GGUF path is given.
 */
import { randomBytes } from 'node:crypto'
import { connect } from './support.js'

const path = process.argv[2]
const { client, fake, close } = await connect()

try {
  if (!fake && !path) throw new Error('Give the path of a .gguf file to create a model from on a real Ollama.')
  const weights = path ?? randomBytes(3 * 1024 * 1024)
  const stream = await client.create({ model: 'ollixir-example', files: { 'model.gguf': weights }, stream: true })
  for await (const chunk of stream) {
    const percent = chunk.total ? ` ${Math.round(((chunk.completed ?? 0) / chunk.total) * 100)}%` : ''
    console.log(`${chunk.status}${percent}`)
  }
  console.log(`\ncreated: ${(await client.show({ model: 'ollixir-example' })).details?.format ?? 'a model'} named ollixir-example`)
} finally {
  await close()
}
