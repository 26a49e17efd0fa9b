// Profiles N sequential version() calls (or one flood stream) of one client, against the bench server.
import { fork } from 'node:child_process'
const which = process.argv[2] ?? 'ollixir'
const kind = process.argv[3] ?? 'small'
const n = Number(process.argv[4] ?? 5000)
const server = fork('/work/issue13-perf/bench/server.ts', [], { execArgv: ['--import', 'tsx'] })
const port = await new Promise<number>((r) => server.once('message', (m: any) => r(m.port)))
const host = `http://127.0.0.1:${port}`
let call: () => Promise<unknown>
let stream: (model: string) => Promise<number>
if (which === 'js') {
  const { Ollama } = await import('ollama'); const o = new Ollama({ host }); call = () => o.version()
  stream = async (model) => { let c = 0; for await (const _ of await o.chat({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })) c++; return c }
} else {
  const { Ollixir } = await import('/work/issue13-perf/src/index.ts'); const o = Ollixir.init({ host, ...(which === 'fetch' ? { fetch: (a: any, b: any) => fetch(a, b) } : {}) }); call = () => o.version()
  stream = async (model) => { let c = 0; for await (const _ of await o.chat({ model, messages: [{ role: 'user', content: 'hi' }], stream: true })) c++; return c }
}
for (let i = 0; i < 200; i++) await call()
await stream('flood:1000')
const t = performance.now(); const cpu = process.cpuUsage()
if (kind === 'small') for (let i = 0; i < n; i++) await call()
else await stream(`flood:${n}`)
const u = process.cpuUsage(cpu)
console.log(JSON.stringify({ which, kind, n, ms: Math.round(performance.now() - t), cpuMs: Math.round((u.user + u.system) / 1000), perOpUs: +((u.user + u.system) / n).toFixed(2) }))
server.kill(); process.exit(0)
