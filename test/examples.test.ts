import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { closedPort } from './support/helpers.js'

/**
 * The examples are documentation that runs: each must finish offline against its
 * embedded FakeOllama, or the README's commands rot unnoticed.
 */
const EXAMPLES: Array<{ file: string; args?: string[]; says: RegExp }> = [
  { file: 'examples/demo.ts', says: /ollixir\.data events/ },
  { file: 'examples/tools.ts', says: /answer \(turn 3\): .*42/ },
  { file: 'examples/structured.ts', says: /refused \(ESCHEMA\)/ },
  { file: 'examples/thinking.ts', says: /kept apart/ },
  { file: 'examples/create-from-files.ts', says: /uploading model\.gguf 100%[\s\S]*success/ },
  { file: 'examples/chat-session.ts', args: ['--script'], says: /4 messages in the history/ },
  { file: 'examples/inspect.ts', says: /4 request actors traced: ok, ok, ok, cancelled/ },
  { file: 'examples/agent.ts', says: /answer \(from onDone\): \(2 \+ 3\) \* 4 = 20/ },
  { file: 'examples/progress.ts', says: /\[█+░+\]  63% 100\.0\/160\.0 MiB [\d.]+ MiB\/s[\s\S]*\[█{30}\] 100% 160\.0\/160\.0 MiB[\s\S]*pulled llama3\.2/ },
  { file: 'examples/several-servers.ts', says: /loaded host killed; the next chat → http[\s\S]*it is back[\s\S]*down\n[\s\S]*probing\n[\s\S]*up/ },
]

function run(file: string, args: string[], host: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', file, ...args], { env: { ...process.env, OLLAMA_HOST: host }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr })
    })
    child.stdin?.end()
  })
}

describe('examples run offline against FakeOllama', function () {
  this.timeout(60_000)
  let host: string

  before(async () => {
    host = `127.0.0.1:${await closedPort()}`
  })

  for (const example of EXAMPLES) {
    it(example.file, async () => {
      const { code, out } = await run(example.file, example.args ?? [], host)
      expect(code, out).to.equal(0)
      expect(out).to.match(/embedded FakeOllama/)
      expect(out).to.match(example.says)
    })
  }
})
