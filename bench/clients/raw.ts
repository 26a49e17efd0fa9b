/** The floor: node:http, split on newlines, JSON.parse. No library, no actors. */
import http from 'node:http'
import { run, scenarioFromArgv, type BenchClient } from './measure.js'

const scenario = scenarioFromArgv()
const url = new URL(scenario.host)
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })

const client: BenchClient = {
  stream: (model, onChunk) =>
    new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: '/api/chat', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        let count = 0
        let rest = ''
        const lines: unknown[] = []
        let draining = false
        // Pause while the (possibly slow) consumer works through a read's lines.
        const drain = async () => {
          draining = true
          res.pause()
          while (lines.length > 0) {
            lines.shift()
            count++
            const wait = onChunk?.()
            if (wait) await wait
          }
          draining = false
          res.resume()
        }
        res.setEncoding('utf8')
        res.on('data', (text: string) => {
          const parts = (rest + text).split('\n')
          rest = parts.pop()!
          for (const line of parts) if (line) lines.push(JSON.parse(line))
          if (!draining) void drain()
        })
        res.on('end', () => {
          const finish = () => (draining ? setImmediate(finish) : resolve(count + lines.length))
          finish()
        })
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], stream: true }))
    }),
  version: () =>
    new Promise((resolve, reject) => {
      http
        .get({ host: url.hostname, port: url.port, path: '/api/version', agent }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (t: string) => (body += t))
          res.on('end', () => {
            JSON.parse(body)
            resolve()
          })
        })
        .on('error', reject)
    }),
  close: () => agent.destroy(),
}

await run(client, scenario)
