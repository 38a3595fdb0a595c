import { createHmac } from 'node:crypto'
import http from 'node:http'
import net from 'node:net'

export const ghSig = (body: Buffer | string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
export const pdSig = (body: Buffer | string, secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`

export interface RawAnswer {
  status: number
  headers: http.IncomingHttpHeaders
  text: string
  json: any
}

/**
 * One request through node:http, which (unlike fetch) sends header names in
 * the case given and repeats a header given as an array.
 */
export function request(url: string, opts: { method?: string; headers?: http.OutgoingHttpHeaders; body?: Buffer | string }): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: any
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    if (opts.body !== undefined) req.write(opts.body)
    req.end()
  })
}

/**
 * Writes raw bytes on a TCP socket (for lies HTTP clients cannot tell: a wrong
 * Content-Length, slow headers), collects what comes back until the server
 * closes or `timeoutMs` passes.
 */
export function rawExchange(port: number, parts: { data: string | Buffer; delayMs?: number }[], timeoutMs: number): Promise<{ response: string; closedByServer: boolean; elapsedMs: number }> {
  return new Promise((resolve) => {
    const started = Date.now()
    const socket = net.connect(port, '127.0.0.1')
    let response = ''
    let done = false
    const finish = (closedByServer: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ response, closedByServer, elapsedMs: Date.now() - started })
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.on('data', (d) => (response += d.toString('latin1')))
    socket.on('end', () => finish(true))
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
    socket.on('connect', async () => {
      for (const p of parts) {
        if (p.delayMs) await new Promise((r) => setTimeout(r, p.delayMs))
        if (done || socket.destroyed) return
        socket.write(p.data)
      }
    })
  })
}

export const statusOf = (raw: string): number | null => {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(raw)
  return m ? Number(m[1]) : null
}
