import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { createLogger } from '../../server/logger.ts'
import { startServer, type Running } from '../../server/start.ts'
import { postChunkedUntilAnswered } from '../ingest/helpers.ts'
import { execFile } from 'node:child_process'
import net from 'node:net'
import { promisify } from 'node:util'
import { eventually } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET } from '../helpers/scenario.ts'
import { scenarioConfig } from '../helpers/server.ts'
import { ghSig, pdSig, rawExchange, request, statusOf } from './helpers.ts'

const execFileAsync = promisify(execFile)
const python = await execFileAsync('python3', ['--version']).then(() => 'python3', () => null)

/** Like urllib: a paused socket writes everything, then reads; a reset at any point is reported. */
function writeWholeThenRead(port: number, data: Buffer): Promise<{ response: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.pause()
    let response = ''
    let error: string | undefined
    socket.on('error', (e) => (error ??= (e as NodeJS.ErrnoException).code ?? e.message))
    socket.on('close', () => resolve({ response, error }))
    socket.on('data', (d) => (response += d.toString('latin1')))
    socket.write(data, (e) => {
      if (e) error ??= (e as NodeJS.ErrnoException).code ?? e.message
      socket.resume()
    })
  })
}

/** A sample's value from GET /metrics (0 when the series is absent). */
async function metric(url: string, series: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : 0
}

/**
 * Slow and heavy clients (issue 6 §4), each shown on a live server (ingest
 * role on the embedded log): slowloris headers and slow bodies are cut off,
 * the size limit bites while streaming and a plain client still reads the 413,
 * backpressure answers 503 + Retry-After by bytes in flight (senders that retry
 * first), and unverified requests per client are limited with 429 + Retry-After.
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
const sized = (h: Record<string, string>, b: string) => ({ ...h, 'content-length': String(Buffer.byteLength(b)) })
const headerBlock = (h: Record<string, string>, extra = '') => `POST /webhooks/github HTTP/1.1\r\nHost: x\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}${extra}\r\n`

describe('slow and heavy clients', () => {
  let s: Running & { url: string }
  beforeAll(async () => {
    s = await ingestServer((c) => {
      c.ingest.maxBodyBytes = 64 * 1024
      c.ingest.backpressure.maxBytesInFlight = 50_000
      c.ingest.backpressure.shedRetryingAboveBytes = 20_000
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

  it('backpressure from bytes in flight: senders that retry are shed first (503 + Retry-After), GitHub is absorbed up to the hard bound, then refused and counted', async () => {
    // Two uploads that never finish announce 20,000 bytes each: 40,000 bytes in flight.
    const holders = Array.from({ length: 2 }, (_, i) =>
      rawExchange(s.port, [{ data: headerBlock({ ...signed(`hold-${i}`), 'content-length': '20000' }) + body.slice(0, 5) }], 1_200),
    )
    await eventually(async () => ((await metric(s.url, 'doraflow_ingest_bytes_in_flight')) === 40_000 ? true : undefined), 5_000, 'both holders in flight')
    // PagerDuty retries: past shedRetryingAboveBytes (20,000) it is told to come back.
    const pd = JSON.stringify({ event: { id: 'pd-shed-1', event_type: 'incident.triggered', data: { service: { id: 'P1' } } } })
    const shed = await request(`${s.url}/webhooks/pagerduty`, { headers: sized({ 'content-type': 'application/json', 'x-pagerduty-signature': pdSig(pd, PAGERDUTY_SECRET) }, pd), body: pd })
    expect(shed.status).toBe(503)
    expect(shed.headers['retry-after']).toMatch(/^\d+$/)
    expect(shed.json).toMatchObject({ error: 'overloaded' })
    expect(shed.json.message).toMatch(/shedRetryingAboveBytes/)
    // GitHub never retries: still absorbed under maxBytesInFlight (50,000).
    expect((await request(`${s.url}/webhooks/github`, { headers: sized(signed('absorbed-1'), body), body })).status).toBe(202)
    // Past the hard bound even GitHub is refused, and that is counted.
    const big = await rawExchange(s.port, [{ data: headerBlock({ ...signed('over-1'), 'content-length': '20000' }) }], 3_000)
    expect(statusOf(big.response)).toBe(503)
    expect(big.response).toMatch(/maxBytesInFlight/)
    expect(await metric(s.url, 'doraflow_ingest_refused_total{source="github",reason="bytes_in_flight"}')).toBe(1)
    expect(await metric(s.url, 'doraflow_ingest_refused_total{source="pagerduty",reason="shed_retrying"}')).toBe(1)
    expect((await request(`${s.url}/healthz`, { method: 'GET' })).status).toBe(200)
    await Promise.all(holders)
    await eventually(async () => ((await metric(s.url, 'doraflow_ingest_bytes_in_flight')) === 0 ? true : undefined), 5_000, 'the holders released')
    expect((await request(`${s.url}/webhooks/github`, { headers: signed('after-1'), body })).status).toBe(202)
  })

  it('a 16 MiB body over the 64 KiB limit sent whole, without Expect: 100-continue, by a client that reads only afterwards: it reads the 413', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024, 0x20)
    // Headers and the whole body in one write; the answer is read only once the write went through.
    const r = await writeWholeThenRead(s.port, Buffer.concat([Buffer.from(headerBlock({ ...signed('whole-1'), 'content-length': String(big.length) })), big]))
    expect(r.error).toBeUndefined()
    expect(statusOf(r.response)).toBe(413)
    expect(r.response).toMatch(/"error":"payload_too_large"/)
  })

  it("Python's urllib posting a body over the limit reads the 413 (no connection reset)", async (t) => {
    if (!python) {
      console.log('skipped: python3 is not on PATH, so urllib cannot be run here')
      t.skip()
      return
    }
    const script = [
      'import sys, urllib.request, urllib.error',
      `req = urllib.request.Request('${s.url}/webhooks/github', data=b' ' * (16 * 1024 * 1024), headers=${JSON.stringify(signed('urllib-1'))})`,
      'try:',
      '    urllib.request.urlopen(req, timeout=10)',
      "    print('status 2xx')",
      'except urllib.error.HTTPError as e:',
      "    print('status', e.code, e.read().decode())",
      'except Exception as e:',
      "    print('error', repr(e))",
    ].join('\n')
    const { stdout } = await execFileAsync(python, ['-c', script])
    expect(stdout).toMatch(/^status 413 .*"error":"payload_too_large"/)
  })
})

describe('per-client limit of unverified requests', () => {
  let s: Running & { url: string }
  beforeAll(async () => {
    s = await ingestServer((c) => {
      c.server.rateLimit = { requestsPerSecond: 2, burst: 5 }
    })
  })
  afterAll(async () => s?.stop())

  it('signed deliveries are never limited; unsigned ones are charged and, past the burst, answered 429 + Retry-After; a good signature still passes', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 30; i++) statuses.push((await request(`${s.url}/webhooks/github`, { headers: signed(`rl-${i}`), body })).status)
    expect(statuses).toEqual(Array(30).fill(202))
    const { 'x-hub-signature-256': _, ...unsigned } = signed('rl-unsigned')
    const flood: number[] = []
    for (let i = 0; i < 8; i++) flood.push((await request(`${s.url}/webhooks/github`, { headers: unsigned, body })).status)
    expect(flood).toEqual([401, 401, 401, 401, 401, 429, 429, 429])
    const limited = await request(`${s.url}/webhooks/github`, { headers: unsigned, body })
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect(limited.json).toMatchObject({ error: 'rate_limited' })
    // With the bucket empty, a delivery that carries a signature is still checked: a good one passes...
    expect((await request(`${s.url}/webhooks/github`, { headers: signed('rl-good-while-empty'), body })).status).toBe(202)
    // ...a wrong one fails the check (and is charged).
    expect((await request(`${s.url}/webhooks/github`, { headers: { ...signed('rl-bad'), 'x-hub-signature-256': ghSig(body, 'not-the-secret') }, body })).status).toBe(401)
    for (let i = 0; i < 10; i++) expect((await request(`${s.url}/healthz`, { method: 'GET' })).status).toBe(200)
    // Tokens come back at requestsPerSecond.
    await new Promise((r) => setTimeout(r, 1100))
    expect((await request(`${s.url}/webhooks/github`, { headers: unsigned, body })).status).toBe(401)
  })
})
