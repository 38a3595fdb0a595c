import { createHmac } from 'node:crypto'
import http from 'node:http'
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import express from 'express'
import { Registry } from 'prom-client'
import { configSchema } from '../../config/schema.ts'
import { createIngestRouter } from '../../ingest/app.ts'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import type { EventLog } from '../../log/types.ts'

export const FIXTURES = path.resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')
export const fixture = (rel: string): Buffer => readFileSync(path.join(FIXTURES, rel))

export const ghSign = (body: Buffer | string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
export const pdSign = (body: Buffer | string, secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`

export interface TestServer {
  url: string
  /** Base URL reaching the server over a non-loopback interface, when the machine has one. */
  externalUrl: string | undefined
  log: MemoryEventLog
  register: Registry
  close(): Promise<void>
}

/** The ingest router on a fresh express app listening on an ephemeral port (all interfaces). */
export async function startServer(cfg: Record<string, unknown> = {}, log: EventLog = new MemoryEventLog()): Promise<TestServer> {
  const config = configSchema.parse(cfg)
  const register = new Registry()
  const app = express()
  app.use(createIngestRouter({ config, log, metrics: { register } }))
  const server = app.listen(0, '0.0.0.0')
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  const ext = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && !i.internal && i.family === 'IPv4')
  return {
    url: `http://127.0.0.1:${port}`,
    externalUrl: ext ? `http://${ext.address}:${port}` : undefined,
    log: log as MemoryEventLog,
    register,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export async function post(url: string, body: Buffer | string, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body), headers })
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, json, text }
}

/**
 * Streams a chunked body (no Content-Length) and stops as soon as the server
 * answers: shows the limit is enforced while streaming, not after the end.
 */
export function postChunkedUntilAnswered(url: string, headers: Record<string, string>, chunk: Buffer, maxChunks: number): Promise<{ status: number; json: any; bytesSent: number; ended: boolean }> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0
    let answered = false
    let ended = false
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => (text += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), bytesSent, ended }))
    })
    req.on('error', (err) => {
      if (!answered) reject(err)
    })
    let n = 0
    const tick = () => {
      if (answered) return
      if (n++ >= maxChunks) {
        ended = true
        req.end()
        return
      }
      req.write(chunk)
      bytesSent += chunk.length
      setTimeout(tick, 5)
    }
    tick()
  })
}
