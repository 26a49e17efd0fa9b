/** What the web chat page reads from `/config.json` (served by server.ts). */
export interface WebDemoConfig {
  /** The Ollama (or FakeOllama) the page talks to. */
  host: string
  model: string
  /** Shown at the top of the page: what it talks to, and why. */
  label: string
  backend: 'ollama' | 'fake'
}
