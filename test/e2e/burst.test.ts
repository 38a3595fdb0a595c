import { createHmac } from 'node:crypto'
import http from 'node:http'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { doraflow, freePort, waitHealthy, type Child } from '../helpers/child.ts'
import { fixture } from '../ingest/helpers.ts'

const SECRET = 'burst-secret'
const sign = (body: Buffer) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`

/** The real payload mix, at the recorded sizes. */
const MIX: { event: string; body: Buffer; sig: string }[] = [
  ['push', 'github/push.json'],
  ['pull_request', 'github/pull_request.closed.merged.json'],
  ['deployment_status', 'github/deployment_status.created.json'],
].map(([event, file]) => {
  const body = fixture(file!)
  return { event: event!, body, sig: sign(body) }
})

/** One POST on a keep-alive agent; resolves with the status (0 when the connection failed). */
function deliver(agent: http.Agent, port: number, i: number): Promise<number> {
  const d = MIX[i % MIX.length]!
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/webhooks/github', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': d.body.length, 'x-github-event': d.event, 'x-github-delivery': `burst-${i}`, 'x-hub-signature-256': d.sig } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', () => resolve(0))
    req.end(d.body)
  })
}

/**
 * Issue 10 §1: GitHub never retries, and its deliveries come from a few
 * addresses. On the default configuration (only a webhook secret set), a
 * burst of 20,000 signed deliveries from one address over 50 keep-alive
 * connections is answered 2xx every time, and every one is in the log after
 * kill -9. Unsigned requests from that address are still limited.
 */
describe('a burst of signed deliveries from one address on the default config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-burst-'))
  let serve: Child | null = null
  afterAll(() => {
    serve?.proc.kill('SIGKILL')
  })

  it('20,000 signed deliveries: every one 2xx and in the log after kill -9; an unsigned flood is limited', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    // All interfaces, so a request can also come from a non-loopback address of this machine.
    writeFileSync(join(dir, 'doraflow.yaml'), `server: {port: ${port}}\ngithub: {webhookSecrets: [${SECRET}]}\n`)
    serve = doraflow(['serve'], dir)
    await waitHealthy(url, serve)

    const total = 20_000
    const agent = new http.Agent({ keepAlive: true, maxSockets: 50 })
    const statuses = new Map<number, number>()
    let next = 0
    const started = Date.now()
    const connection = async () => {
      while (next < total) {
        const status = await deliver(agent, port, next++)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
      }
    }
    await Promise.all(Array.from({ length: 50 }, connection))
    const seconds = (Date.now() - started) / 1000
    console.log(`burst: ${total} deliveries in ${seconds.toFixed(1)} s (${Math.round(total / seconds)}/s), statuses ${JSON.stringify(Object.fromEntries(statuses))}`)
    expect(Object.fromEntries(statuses)).toEqual({ 202: total })

    // The same address without a signature: charged, then refused up front (default: 50/s, burst 500).
    const unsigned: Record<number, number> = {}
    const floodStarted = Date.now()
    let sentUnsigned = 0
    const flooder = async () => {
      while (sentUnsigned < 1500) {
        const i = sentUnsigned++
        const r = await fetch(`${url}/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': `unsigned-${i}` }, body: '{}' })
        await r.arrayBuffer()
        unsigned[r.status] = (unsigned[r.status] ?? 0) + 1
      }
    }
    await Promise.all(Array.from({ length: 20 }, flooder))
    const floodSeconds = (Date.now() - floodStarted) / 1000
    console.log(`burst: unsigned flood of 1500 in ${floodSeconds.toFixed(1)} s answered ${JSON.stringify(unsigned)}`)
    expect((unsigned[401] ?? 0) + (unsigned[429] ?? 0)).toBe(1500)
    // At most the burst plus what refilled meanwhile (and the 20 already in flight) got through to the check.
    expect(unsigned[401]).toBeLessThanOrEqual(500 + Math.ceil(50 * floodSeconds) + 20)
    expect(unsigned[429]).toBeGreaterThan(0)
    // ...and a signed delivery from it still passes.
    expect(await deliver(agent, port, total)).toBe(202)
    agent.destroy()

    // serve is split (front + back): the back answers the API, /readyz and /metrics add both up.
    const ready = (await (await fetch(`${url}/readyz`)).json()) as { status: string; checks: Record<string, unknown> }
    expect(ready).toMatchObject({ status: 'ready', checks: { log: true, clickhouse: true, processor: 'ok' } })
    const metrics = await (await fetch(`${url}/metrics`)).text()
    expect(metrics).toMatch(/^doraflow_ingest_requests_total\{source="github",status="202"\} 20001$/m)
    expect(metrics).toMatch(/^doraflow_processor_lag_events \d+$/m)
    // Admin routes without an admin token are loopback-only: the back sees the front's client, and
    // a client cannot claim loopback through the front's peer header.
    const note = (id: string) => JSON.stringify({ id, text: 'burst test', at: '2026-07-01T00:00:00Z' })
    const post = (base: string, id: string) => fetch(`${base}/api/v1/annotations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-doraflow-peer': '127.0.0.1' }, body: note(id) })
    expect((await post(url, 'from-loopback')).status).toBe(202)
    const external = Object.values(networkInterfaces()).flat().find((i) => i && !i.internal && i.family === 'IPv4')
    if (external) expect((await post(`http://${external.address}:${port}`, 'from-outside')).status).toBe(403)
    else console.log('burst: no non-loopback IPv4 interface here, so the spoofed-peer check did not run')

    serve.proc.kill('SIGKILL')
    await serve.exited
    serve = null
    const db = new Database(join(dir, 'data/log/events.db'), { readonly: true })
    const ids = new Set(db.prepare<[], { id: string }>("SELECT id FROM events WHERE id LIKE 'github:burst-%'").pluck().all() as unknown as string[])
    db.close()
    const missing = Array.from({ length: total + 1 }, (_, i) => `github:burst-${i}`).filter((id) => !ids.has(id))
    expect(missing).toEqual([])
    expect(ids.size).toBe(total + 1)
  }, 240_000) // 20,000 real deliveries: ≈ 10 s on a quiet machine, several times that on a loaded one
})
