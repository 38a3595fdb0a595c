import http from 'node:http'
import type { RequestHandler } from 'express'

/**
 * The front process (ingest) hands every request that is not a webhook to the
 * processor process over a unix socket. One connection per request, so the
 * back can attribute each request to the client the front saw (PEER_HEADER):
 * loopback-only admin routes and the per-client limiter key on it.
 */
export const PEER_HEADER = 'x-doraflow-peer'

export function proxyToSocket(socketPath: string): RequestHandler {
  return (req, res) => {
    const headers = { ...req.headers, [PEER_HEADER]: req.socket.remoteAddress ?? '' }
    const upstream = http.request({ socketPath, method: req.method, path: req.originalUrl, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => {
      if (res.headersSent) res.destroy()
      else res.status(503).setHeader('Retry-After', '5').json({ error: 'unavailable', message: 'the processor process (API, ClickHouse) is not answering; retry later' })
    })
    req.pipe(upstream)
  }
}

/** A GET to the back, for the front's own /readyz. */
export function getFromSocket(socketPath: string, path: string, timeoutMs = 5_000): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
        } catch (err) {
          reject(err as Error)
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error(`no answer from the processor process within ${timeoutMs} ms`)))
    req.on('error', reject)
  })
}

/** In the back: the peer the front saw, for this request's (single-use) connection. */
export function adoptPeer(req: http.IncomingMessage): void {
  const peer = req.headers[PEER_HEADER]
  if (typeof peer !== 'string') return
  delete req.headers[PEER_HEADER]
  Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true })
}
