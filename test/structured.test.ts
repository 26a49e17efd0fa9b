import { expect } from 'chai'
import { parseStructured, RequestError, structured, StructuredOutputError } from '../src/index.js'
import { hi, rejection, sentBody, useRig } from './support/helpers.js'

const weatherSchema = {
  type: 'object',
  properties: { city: { type: 'string' }, temp: { type: 'number' }, sky: { enum: ['clear', 'cloudy', 'rain'] } },
  required: ['city', 'temp'],
} as const

/** What `fn` throws; fails the test when it returns. */
function thrown(fn: () => unknown): any {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

describe('structured outputs', () => {
  const rig = useRig()

  it('sends the schema as format and parses the reply into typed data', async () => {
    rig.fake.enqueue('chat', { text: ['{"city": "Paris",', ' "temp": 21.5, "sky": "clear"}'] })
    const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, format: weatherSchema })
    expect(sentBody(rig.fake, '/api/chat').format).to.deep.equal(weatherSchema)
    const data = parseStructured(reply, weatherSchema)
    const temp: number = data.temp
    expect(data).to.deep.equal({ city: 'Paris', temp: 21.5, sky: 'clear' })
    expect(temp).to.equal(21.5)
  })

  it('works on generate replies, struct replies and streamed replies', async () => {
    rig.fake.enqueue('generate', { text: '{"city": "Rome", "temp": 30}' })
    const generated = await rig.client.generate({ model: 'llama3.2', prompt: 'weather?', format: weatherSchema, responseFormat: 'struct' })
    expect(parseStructured(generated, weatherSchema)).to.deep.equal({ city: 'Rome', temp: 30 })

    rig.fake.enqueue('chat', { text: ['{"city":', ' "Oslo", "temp": -3}'] })
    const stream = await rig.client.chat({ model: 'llama3.2', messages: hi, format: weatherSchema, stream: true })
    for await (const _chunk of stream) {
      // drain
    }
    expect(parseStructured(await stream.task.await(), weatherSchema)).to.deep.equal({ city: 'Oslo', temp: -3 })
  })

  it("format: 'json' only parses", async () => {
    rig.fake.enqueue('chat', { text: '[1, 2, 3]' })
    const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, format: 'json' })
    expect(sentBody(rig.fake, '/api/chat').format).to.equal('json')
    expect(parseStructured(reply, 'json')).to.deep.equal([1, 2, 3])
  })

  it('an answer that breaks the schema throws StructuredOutputError with the raw text and every ajv error', async () => {
    rig.fake.enqueue('chat', { text: '{"temp": "warm", "sky": "foggy"}' })
    const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, format: weatherSchema })
    const error = thrown(() => parseStructured(reply, weatherSchema))
    expect(error).to.be.instanceOf(StructuredOutputError)
    expect(error.code).to.equal('ESCHEMA')
    expect(error.raw).to.equal('{"temp": "warm", "sky": "foggy"}')
    expect(error.errors.map((e: { keyword: string }) => e.keyword).sort()).to.deep.equal(['enum', 'required', 'type'])
    expect(error.message).to.equal(
      'The model\'s answer does not match the schema: answer.city is required; answer.temp must be number; answer.sky must be one of "clear", "cloudy", "rain".',
    )
    expect(JSON.parse(JSON.stringify(error))).to.include({ code: 'ESCHEMA', raw: error.raw })
  })

  it('an answer that is not JSON throws StructuredOutputError EBADJSON (a cut-off answer, for instance)', () => {
    const error = thrown(() => parseStructured({ message: { content: '{"city": "Par' } }, weatherSchema))
    expect(error).to.be.instanceOf(StructuredOutputError)
    expect(error).to.include({ code: 'EBADJSON', raw: '{"city": "Par' })
    expect(error.errors).to.deep.equal([])
  })

  it('JSON inside a Markdown fence is accepted', () => {
    expect(parseStructured('```json\n{"city": "Bern", "temp": 12}\n```', weatherSchema)).to.deep.equal({ city: 'Bern', temp: 12 })
  })

  it('structured() keeps the schema and the parser together, and refuses a broken schema at once', async () => {
    const Weather = structured(weatherSchema)
    rig.fake.enqueue('chat', { text: '{"city": "Kyiv", "temp": 5}' })
    const reply = await rig.client.chat({ model: 'llama3.2', messages: hi, format: Weather.format })
    expect(Weather.parse(reply).city).to.equal('Kyiv')
    expect(() => structured({ type: 'object', properties: { a: { type: 'nope' } } })).to.throw(RequestError, /format is not a valid JSON Schema/)
  })

  it('a format that is neither json nor a schema is refused before anything is sent', async () => {
    const error = await rejection(rig.client.chat({ model: 'llama3.2', messages: hi, format: 'yaml' as never }))
    expect(error).to.be.instanceOf(RequestError)
    expect(error.field).to.equal('format')
    expect(rig.fake.requests).to.have.length(0)
  })
})
