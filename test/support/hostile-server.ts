import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** A small server that answers as a broken proxy or a hostile host would, for one test. */
export interface HostileServer {
  /** `127.0.0.1:<port>`, for `Ollixir.init`. */
  host: string
  /** Requests received so far. */
  requests: number
  close(): Promise<void>
}

/** Starts a node:http server on 127.0.0.1 that answers every request with `answer`. */
export async function hostileServer(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<HostileServer> {
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    result.requests++
    // Read the request body first, as a real server would, then answer.
    req.resume()
    req.once('end', () => answer(req, res))
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const result: HostileServer = {
    host: `127.0.0.1:${port}`,
    requests: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return result
}

/** A chat chunk as Ollama sends it, one NDJSON line. */
export function chatLine(content: string, done = false): string {
  const chunk: Record<string, unknown> = { model: 'llama3.2', created_at: '2026-01-01T00:00:00Z', message: { role: 'assistant', content }, done }
  if (done) chunk.done_reason = 'stop'
  return `${JSON.stringify(chunk)}\n`
}
