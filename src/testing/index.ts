/**
 * `ollixir/testing`: a fake Ollama server for tests, no Ollama needed.
 *
 * @example
 * ```ts
 * import { FakeOllama } from 'ollixir/testing'
 *
 * const fake = await FakeOllama.start()          // http://127.0.0.1:<port>
 * fake.enqueue('chat', { text: ['Hel', 'lo'] })   // the next chat streams "Hel", "lo", then done
 * // ... point the client at fake.url and run it, then:
 * const sent = fake.lastRequest('/api/chat')?.body
 * await fake.close()
 * ```
 */
export { FakeOllama } from './fake-ollama.js'
export { FAKE_ACCOUNT } from './handlers/account.js'
export type {
  Capability,
  FakeEndpoint,
  FakeOllamaOptions,
  ModelDetails,
  ModelSpec,
  ProgressStep,
  RecordedRequest,
  Reply,
  ToolCallSpec,
  UserResponse,
} from './types.js'
