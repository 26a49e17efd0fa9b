/**
 * Shared by the examples: talk to the Ollama at OLLAMA_HOST when one answers, or else
 * to an embedded FakeOllama with scripted replies, and say plainly which.
 */
import { ConnectionError, Ollixir, type Capability } from '../src/index.js'
import { FakeOllama } from '../src/testing/index.js'

export interface Connection {
  client: Ollixir
  /** The model to use (see `ConnectOptions.model`). */
  model: string
  /** What the example talks to, in a sentence or two (printed by `connect` unless `quiet`). */
  label: string
  /** The embedded fake, when no Ollama answered (or `fake: true`). */
  fake?: FakeOllama
  /** Closes the client, and the fake if there is one. */
  close(): Promise<void>
}

export interface ConnectOptions {
  /**
   * The model the example prefers. A real Ollama: OLLAMA_MODEL if set, else this one if
   * the server has it, else the first model it lists. The fake: this one (added to the
   * fake if missing), default `llama3.2`.
   */
  model?: string
  /** A capability the model needs (e.g. `'tools'`): a real Ollama without such a model falls back to the fake. */
  capability?: Capability
  /** Scripts the fake's replies (`fake.enqueue(…)`, `fake.addModel(…)`); not called for a real Ollama. */
  script?: (fake: FakeOllama) => void | Promise<void>
  /** Skip the real Ollama and use the embedded fake (e.g. for a `--fake` flag). */
  fake?: boolean
  /** Do not print the label. */
  quiet?: boolean
  /** How long the real Ollama has to answer `/api/version`, in ms. Default 1500. */
  probeTimeoutMs?: number
}

export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const connection = options.fake ? await useFake('You asked for the embedded FakeOllama', options) : await probe(options)
  if (!options.quiet) console.log(`${connection.label}\n`)
  return connection
}

async function probe(options: ConnectOptions): Promise<Connection> {
  const probe = Ollixir.init({ retry: false, timeout: options.probeTimeoutMs ?? 1500 })
  try {
    const { version } = await probe.version()
    const models = await usableModels(probe, options.capability)
    const preferred = options.model && models.find((name) => name === options.model || name.startsWith(`${options.model}:`))
    const model = process.env.OLLAMA_MODEL ?? preferred ?? models[0]
    if (!model) {
      const what = options.capability ? `no model with the ${options.capability} capability` : 'no models'
      return useFake(`Ollama ${version} at ${probe.host} has ${what} (try \`ollama pull ${options.model ?? 'qwen3'}\`)`, options)
    }
    const client = Ollixir.init({ retry: false })
    return { client, model, label: `Using the real Ollama ${version} at ${client.host}, model ${model}.`, close: async () => client.close() }
  } catch (error) {
    if (!(error instanceof ConnectionError)) throw error
    return useFake(`No Ollama answered at ${probe.host} (${error.code})`, options)
  } finally {
    probe.close()
  }
}

/** The server's models, or those of them with `capability` (first ten, asked with show). */
async function usableModels(client: Ollixir, capability: Capability | undefined): Promise<string[]> {
  const names = (await client.list()).models.map((m) => m.name)
  if (!capability) return names
  const usable: string[] = []
  for (const name of names.slice(0, 10)) {
    const { capabilities } = await client.show({ model: name })
    if (capabilities?.includes(capability)) usable.push(name)
  }
  return usable
}

async function useFake(why: string, options: ConnectOptions): Promise<Connection> {
  const fake = await FakeOllama.start()
  const model = options.model ?? 'llama3.2'
  if (!fake.hasModel(model)) fake.addModel({ name: model })
  await options.script?.(fake)
  const client = Ollixir.init({ host: fake.host, retry: false })
  return {
    client,
    model,
    fake,
    label: `${why}, so this uses an embedded FakeOllama at ${fake.url}: its replies are scripted, not a model's.\nStart Ollama (\`ollama serve\`) or set OLLAMA_HOST to talk to a real model.`,
    close: async () => {
      client.close()
      await fake.close()
    },
  }
}
