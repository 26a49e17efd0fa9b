import net from 'node:net'

/** A TCP server that answers every request with whatever bytes a test chooses, HTTP or not. */
export interface RawServer {
  /** `http://127.0.0.1:<port>` */
  url: string
  port: number
  /** The raw text of each request's head, in order. */
  requests: string[]
  /** Connections accepted so far. */
  readonly connections: number
  /** Connections still open. */
  readonly open: number
  /** Connections that carried a request and are still open (an idle spare a pool opened is not one). */
  readonly openWithRequest: number
  close(): Promise<void>
}

/**
 * Starts a server on 127.0.0.1 whose `answer` gets each connection's socket once the
 * head of a request arrived (the body, if any, may still be on its way).
 */
export async function startRawServer(answer: (socket: net.Socket, head: string) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>()
  const asked = new Set<net.Socket>()
  let connections = 0
  const requests: string[] = []
  const server = net.createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => {
      sockets.delete(socket)
      asked.delete(socket)
    })
    socket.on('error', () => {})
    let received = ''
    const onData = (data: Buffer) => {
      received += data.toString('latin1')
      const end = received.indexOf('\r\n\r\n')
      if (end === -1) return
      socket.off('data', onData)
      requests.push(received.slice(0, end))
      asked.add(socket)
      answer(socket, received.slice(0, end))
    }
    socket.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections
    },
    get open() {
      return sockets.size
    },
    get openWithRequest() {
      return asked.size
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** An HTTP/1.1 response head. */
export function head(status: string, headers: Record<string, string | number>): string {
  return `HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`
}

/** One chunk of a chunked body. */
export function chunk(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`
}
