/**
 * `npx tsx examples/structured.ts`: structured outputs with a JSON Schema, typed
 * from the schema, checked with ajv; and an options preset. Runs against FakeOllama
 * unless an Ollama answers at OLLAMA_HOST.
 */
import { mergeOptions, presets, structured, StructuredOutputError } from '../src/index.js'
import { connect } from './support.js'

const City = structured({
  type: 'object',
  properties: {
    name: { type: 'string' },
    country: { type: 'string' },
    population: { type: 'integer' },
    landmarks: { type: 'array', items: { type: 'string' } },
  },
  required: ['name', 'country', 'population', 'landmarks'],
})

const { client, model, close } = await connect({
  script: (fake) => {
    fake.enqueue('chat', { text: '{"name": "Lisbon", "country": "Portugal", "population": 545000, "landmarks": ["Belém Tower", "Alfama"]}' })
    fake.enqueue('chat', { text: '{"name": "Nowhere", "population": "many"}' })
  },
})

try {
  const ask = (city: string) =>
    client.chat({
      model,
      messages: [{ role: 'user', content: `Describe ${city} as JSON.` }],
      format: City.format,
      // Low temperature for data; the preset's other values stay.
      options: mergeOptions(presets.precise, { num_predict: 300 }),
    })

  const lisbon = City.parse(await ask('Lisbon'))
  console.log(`${lisbon.name}, ${lisbon.country}: ${lisbon.population.toLocaleString('en')} people; see ${lisbon.landmarks.join(' and ')}.`)

  try {
    City.parse(await ask('a made-up city'))
  } catch (error) {
    if (!(error instanceof StructuredOutputError)) throw error
    console.log(`\nThe second answer was refused (${error.code}): ${error.message}`)
    console.log(`raw text: ${error.raw}`)
  }
} finally {
  await close()
}
