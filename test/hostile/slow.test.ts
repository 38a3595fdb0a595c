import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { createLogger } from '../../server/logger.ts'
import { startServer, type Running } from '../../server/start.ts'
import { postChunkedUntilAnswered } from '../ingest/helpers.ts'
import { GITHUB_SECRET } from '../helpers/scenario.ts'
import { scenarioConfig } from '../helpers/server.ts'
import { ghSig, rawExchange, request, statusOf } from './helpers.ts'

/**
 * Slow and heavy clients (issue 6 §4), each shown on a live server (ingest
 * role on the embedded log): slowloris headers and slow bodies are cut off,
 * the size limit bites while streaming, concurrency is bounded with 503 +
 * Retry-After, and a per-client rate limit answers 429 + Retry-After.
 */
async function ingestServer(tune: (c: Config) => void): Promise<Running & { url: string }> {
  const config = scenarioConfig()
  config.server.headersTimeoutMs = 500
  config.server.requestTimeoutMs = 1500
  config.server.rateLimit.requestsPerSecond = 0
  tune(config)
  const running = await startServer(config, createLogger({ level: 'silent' }), { ingest: true, process: false })
  return Object.assign(running, { url: `http://127.0.0.1:${running.port}` })
}

const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1, repository: { full_name: 'acme/slow' } })
const signed = (id: string) => ({
  'content-type': 'application/json',
  'x-github-event': 'ping',
  'x-github-delivery': id,
  'x-hub-signature-256': ghSig(body, GITHUB_SECRET),
})
const headerBlock = (h: Record<string, string>, extra = '') => `POST /webhooks/github HTTP/1.1\r\nHost: x\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}${extra}\r\n`

describe('slow and heavy clients', () => {
  let s: Running & { url: string }
  beforeAll(async () => {
    s = await ingestServer((c) => {
      c.ingest.maxBodyBytes = 64 * 1024
      c.server.maxConcurrentRequests = 3
    })
  })
  afterAll(async () => s?.stop())

  it('slowloris: headers dribbled one line at a time are cut off after headersTimeoutMs', async () => {
    const parts = [{ data: 'POST /webhooks/github HTTP/1.1\r\nHost: x\r\n' }, ...Array.from({ length: 40 }, (_, i) => ({ data: `x-slow-${i}: 1\r\n`, delayMs: 100 }))]
    const r = await rawExchange(s.port, parts, 8_000)
    expect(r.closedByServer).toBe(true)
    expect(r.elapsedMs).toBeLessThan(2_500)
    // Node answers 408 when it can.
    if (r.response) expect(statusOf(r.response)).toBe(408)
  })

  it('a slow body is cut off after requestTimeoutMs and nothing is stored', async () => {
    const head = await s.log.headOffset()
    const full = Buffer.from(body)
    const parts = [{ data: headerBlock({ ...signed('slow-body-1'), 'content-length': String(full.length) }) }, ...Array.from({ length: full.length }, (_, i) => ({ data: full.subarray(i, i + 1), delayMs: 100 }))]
    const r = await rawExchange(s.port, parts, 10_000)
    expect(r.closedByServer).toBe(true)
    expect(r.elapsedMs).toBeLessThan(3_500)
    expect(statusOf(r.response)).toBe(408)
    expect(await s.log.headOffset()).toBe(head)
  })

  it('a Content-Length that promises more than is sent: 408 after requestTimeoutMs, nothing stored', async () => {
    const head = await s.log.headOffset()
    const r = await rawExchange(s.port, [{ data: headerBlock({ ...signed('lying-1'), 'content-length': String(body.length + 50) }) + body }], 10_000)
    expect(statusOf(r.response)).toBe(408)
    expect(await s.log.headOffset()).toBe(head)
  })

  it('a Content-Length that promises less than is sent: the 10 bytes fail the signature or the rest is not HTTP; 4xx, nothing stored', async () => {
    const head = await s.log.headOffset()
    const r = await rawExchange(s.port, [{ data: headerBlock({ ...signed('lying-2'), 'content-length': '10' }) + body }], 5_000)
    // Node's parser may reject the trailing bytes (400) before the route answers its 401.
    expect([400, 401]).toContain(statusOf(r.response))
    expect(r.response).not.toMatch(/HTTP\/1\.1 (2|5)\d\d/)
    expect(await s.log.headOffset()).toBe(head)
  })

  it('absurd, negative and non-numeric Content-Length: 413 or 400, never a read', async () => {
    for (const [cl, want] of [['99999999999999', 413], ['-1', 400], ['abc', 400], ['10, 20', 400]] as const) {
      const r = await rawExchange(s.port, [{ data: headerBlock({ ...signed(`cl-${cl}`), 'content-length': cl }) }], 5_000)
      expect(statusOf(r.response), `Content-Length: ${cl}`).toBe(want)
    }
  })

  it('the size limit is enforced while streaming: 413 long before the chunked body ends', async () => {
    const chunk = Buffer.alloc(16 * 1024, 0x20)
    const r = await postChunkedUntilAnswered(`${s.url}/webhooks/github`, signed('big-1'), chunk, 1000)
    expect(r.status).toBe(413)
    expect(r.ended).toBe(false)
    expect(r.bytesSent).toBeLessThan(16 * 1024 * 1000)
    expect(r.json).toMatchObject({ error: 'payload_too_large' })
  })

  it('bounded concurrency: with every slot held, a request gets 503 + Retry-After; probes still answer; slots come back', async () => {
    // Three uploads that never finish hold the three slots.
    const holders = Array.from({ length: 3 }, (_, i) =>
      rawExchange(s.port, [{ data: headerBlock({ ...signed(`hold-${i}`), 'content-length': String(body.length) }) + body.slice(0, 5) }], 1_200),
    )
    await new Promise((r) => setTimeout(r, 200))
    const r = await request(`${s.url}/webhooks/github`, { headers: signed('over-1'), body })
    expect(r.status).toBe(503)
    expect(r.headers['retry-after']).toMatch(/^\d+$/)
    expect(r.json).toMatchObject({ error: 'overloaded' })
    expect((await request(`${s.url}/healthz`, { method: 'GET' })).status).toBe(200)
    await Promise.all(holders)
    await new Promise((r) => setTimeout(r, 100))
    expect((await request(`${s.url}/webhooks/github`, { headers: signed('after-1'), body })).status).toBe(202)
  })
})

describe('per-client rate limit', () => {
  let s: Running & { url: string }
  beforeAll(async () => {
    s = await ingestServer((c) => {
      c.server.rateLimit = { requestsPerSecond: 2, burst: 5 }
    })
  })
  afterAll(async () => s?.stop())

  it('the burst passes, the next request is 429 + Retry-After (PagerDuty retries 429), probes are not limited', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await request(`${s.url}/webhooks/github`, { headers: signed(`rl-${i}`), body })).status)
    expect(statuses).toEqual([202, 202, 202, 202, 202])
    const limited = await request(`${s.url}/webhooks/github`, { headers: signed('rl-x'), body })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(limited.json).toMatchObject({ error: 'rate_limited' })
    for (let i = 0; i < 10; i++) expect((await request(`${s.url}/healthz`, { method: 'GET' })).status).toBe(200)
    // Tokens come back at requestsPerSecond.
    await new Promise((r) => setTimeout(r, 1100))
    expect((await request(`${s.url}/webhooks/github`, { headers: signed('rl-later'), body })).status).toBe(202)
  })
})
