import { Writable } from 'node:stream'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { verifyBearer } from '../../http/bearer.ts'
import { createLogger } from '../../server/logger.ts'
import { startServer, type Running } from '../../server/start.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, GITHUB_SECRET, PAGERDUTY_SECRET, scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig } from '../helpers/server.ts'
import { ghSig, request } from '../hostile/helpers.ts'

/** API security (issue 6 §5, §6) on a live server holding the known scenario, its log captured. */
const READ: [string, string] = ['read-token-old-0123456789', 'read-token-new-9876543210']
const ADMIN = 'admin-token-abcdefabcdef'
const EVENTS = 'events-token-zyxwvu'
const SECRETS = [...READ, ADMIN, EVENTS, GITHUB_SECRET, PAGERDUTY_SECRET]
const Q = 'from=2026-07-01&to=2026-07-08'
const LEAKS = /\n\s+at |node_modules|\.ts:\d+|SELECT|FROM \w|WHERE|ClickHouse exception|Code: \d+|DB::Exception|SQLITE/
/** The answer's text without the caller's own input echoed back (a 400 may quote the bad value). */
const unechoed = (r: { text: string; json: any }, input: string) => {
  const text = r.json ? JSON.stringify(r.json) : r.text
  return [input, JSON.stringify(input), JSON.stringify(JSON.stringify(input)).slice(1, -1)].reduce((t, x) => t.split(x).join(''), text)
}

let logText = ''
const capture = new Writable({
  write(chunk, _enc, cb) {
    logText += chunk.toString()
    cb()
  },
})

let config: Config
let s: Running & { url: string }
const get = (path: string, token?: string, extra: Record<string, string> = {}) =>
  request(`${s.url}${path}`, { method: 'GET', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra } })

beforeAll(async () => {
  config = scenarioConfig()
  config.api.tokens = [...READ]
  config.api.adminTokens = [ADMIN]
  config.events.tokens = [EVENTS]
  config.server.rateLimit.requestsPerSecond = 0
  const running = await startServer(config, createLogger({ level: 'debug', destination: capture }))
  s = Object.assign(running, { url: `http://127.0.0.1:${running.port}` })
  for (const d of scenarioDeliveries()) expect((await send(s.url, d)).status).toBe(202)
  await processedAll(s.url)
  expect((await get(`/api/v1/metrics?${Q}`, READ[0])).json?.rows?.[0]).toEqual(approx(EXPECTED_CHECKOUT_ROW))
})
afterAll(async () => s?.stop())

describe('bearer tokens and scopes', () => {
  it('401 without a token or with an unknown one, with WWW-Authenticate; the token is not echoed', async () => {
    for (const auth of [undefined, 'Bearer nope', `Bearer ${READ[0]}x`, `Bearer ${READ[0]!.slice(0, -1)}`, `Basic ${READ[0]}`, READ[0], 'Bearer', `Bearer ${READ[0]} ${READ[1]}`]) {
      const r = await request(`${s.url}/api/v1/metrics?${Q}`, { method: 'GET', headers: auth ? { authorization: auth } : {} })
      expect(r.status, String(auth)).toBe(401)
      expect(r.headers['www-authenticate']).toMatch(/^Bearer/)
      expect(r.json).toMatchObject({ error: 'unauthorized' })
      for (const t of SECRETS) expect(r.text).not.toContain(t)
    }
  })

  it('every configured token reads (rotation: old and new at once); admin tokens read too; the scheme is case-insensitive', async () => {
    for (const t of [...READ, ADMIN]) expect((await get(`/api/v1/metrics?${Q}`, t)).status).toBe(200)
    expect((await request(`${s.url}/api/v1/deployments?${Q}`, { method: 'GET', headers: { authorization: `bearer ${READ[1]}` } })).status).toBe(200)
  })

  it('state-changing routes need admin: read token 403, admin token passes auth, none 401', async () => {
    const routes: [string, string, string | undefined, number][] = [
      // [method, path, JSON body, what the admin gets]
      ['POST', '/api/v1/annotations', JSON.stringify({ text: 'scope test', at: '2026-07-02T00:00:00Z' }), 202],
      ['POST', '/api/v1/annotations', JSON.stringify({ text: '' }), 400], // admitted, then validated
      ['DELETE', '/api/v1/annotations/no-such-note', undefined, 202],
      ['PUT', '/api/v1/nothing-here', undefined, 404], // the scope is checked by method, before routing
      ['PATCH', '/api/v1/nothing-here', undefined, 404],
    ]
    for (const [method, path, body, adminStatus] of routes) {
      const headers = (token?: string): Record<string, string> => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) })
      const none = await request(`${s.url}${path}`, { method, headers: headers(), body })
      expect(none.status, `${method} ${path}`).toBe(401)
      const read = await request(`${s.url}${path}`, { method, headers: headers(READ[0]), body })
      expect(read.status, `${method} ${path}`).toBe(403)
      expect(read.json).toMatchObject({ error: 'forbidden' })
      expect(read.headers['www-authenticate']).toMatch(/insufficient_scope/)
      const admin = await request(`${s.url}${path}`, { method, headers: headers(ADMIN), body })
      expect(admin.status, `${method} ${path}: ${admin.text}`).toBe(adminStatus)
    }
    // POST /api/v1/replay too; what an admin's replay does is tested in test/pipeline/annotations-replay.test.ts.
    expect((await request(`${s.url}/api/v1/replay`, { method: 'POST' })).status).toBe(401)
    expect((await request(`${s.url}/api/v1/replay`, { method: 'POST', headers: { authorization: `Bearer ${READ[0]}` } })).status).toBe(403)
  })

  it('verifyBearer: exact match only, any of several tokens, any length', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 80 }).filter((t) => !/\s/.test(t)), { minLength: 1, maxLength: 5 }), fc.string({ maxLength: 80 }), (tokens, other) => {
        for (const t of tokens) expect(verifyBearer(`Bearer ${t}`, tokens)).toBe(true)
        // RFC 6750: "Bearer" 1*SP token — extra spaces around the token are allowed, the token itself has none.
        const given = /^\s*(\S+)\s*$/.exec(other)?.[1]
        expect(verifyBearer(`Bearer ${other}`, tokens)).toBe(given !== undefined && tokens.includes(given))
        expect(verifyBearer(`Bearer ${tokens[0]}`, [])).toBe(false)
      }),
      { numRuns: 300 },
    )
  })
})

describe('answers leak nothing; browsers get no CORS and strict headers', () => {
  it('error bodies carry no stack trace, no SQL, no secret', async () => {
    const probes = [
      `/api/v1/metrics?tz=Mars/Olympus`,
      `/api/v1/metrics?from=2026-13-45`,
      `/api/v1/metrics?from=2026-07-08&to=2026-07-01`,
      `/api/v1/metrics?bucket=day&from=1900-01-01&to=2026-01-01`,
      `/api/v1/deployments?limit=0`,
      `/api/v1/deployments?limit=1e99`,
      `/api/v1/incidents?from=%ZZ`,
      `/api/v1/nope`,
      `/nope`,
    ]
    for (const p of probes) {
      const r = await get(p, READ[0])
      expect(r.status, p).toBeGreaterThanOrEqual(400)
      expect(r.status, p).toBeLessThan(500)
      expect(r.json, p).toMatchObject({ error: expect.any(String), message: expect.any(String) })
      expect(r.text, p).not.toMatch(LEAKS)
    }
  })

  it('CORS is off: no Access-Control-Allow-Origin, preflight refused', async () => {
    const r = await get(`/api/v1/metrics?${Q}`, READ[0], { origin: 'https://evil.example' })
    expect(r.status).toBe(200)
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
    const pre = await request(`${s.url}/api/v1/metrics`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } })
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
    expect(pre.status).toBeGreaterThanOrEqual(400)
  })

  it('security headers on every answer: the overview page (/), the API, probes, webhooks', async () => {
    const answers = [
      await get('/'),
      await get(`/api/v1/metrics?${Q}`, READ[0]),
      await get('/healthz'),
      await get('/openapi.json'),
      await request(`${s.url}/webhooks/github`, { headers: { 'content-type': 'application/json' }, body: '{}' }),
    ]
    for (const r of answers) {
      expect(r.headers['x-content-type-options']).toBe('nosniff')
      expect(r.headers['x-frame-options']).toBe('DENY')
      expect(r.headers['referrer-policy']).toBe('no-referrer')
      expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
      expect(r.headers['x-powered-by']).toBeUndefined()
    }
    const html = answers[0]!
    if (String(html.headers['content-type']).startsWith('text/html')) expect(html.headers['content-security-policy']).toMatch(/default-src 'self'/)
    else expect(html.headers['content-security-policy']).toMatch(/default-src 'none'/)
    expect(answers[1]!.headers['cache-control']).toBe('no-store')
  })

  it('a method a path does not take is 405 with Allow', async () => {
    const r = await request(`${s.url}/webhooks/github`, { method: 'GET' })
    expect(r.status).toBe(405)
    expect(r.headers.allow).toBe('POST')
    expect((await request(`${s.url}/api/v1/metrics`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}` } })).headers.allow).toBe('GET, HEAD')
  })
})

describe('SQL injection through every query parameter', () => {
  const PAYLOADS = [
    "' OR '1'='1",
    "checkout' --",
    "checkout'; DROP TABLE deployments; --",
    "x' UNION SELECT name, name FROM system.tables --",
    '1; DROP DATABASE doraflow',
    "') OR 1=1 --",
    '{service:String}',
    "\\' OR 1=1 #",
    "checkout\u0000' OR 1=1",
    "2026-07-01' OR sleep(3) --",
    "UTC') , (SELECT 1",
    '1 OR 1=1',
    '-1',
    '9999999999999999999999',
    "Europe/Berlin'); DROP TABLE incidents; --",
    'day; DROP TABLE changes',
    'service, (SELECT password FROM system.users)',
  ]
  const PARAMS: Record<string, string[]> = {
    '/api/v1/metrics': ['service', 'team', 'tz', 'from', 'to', 'bucket', 'groupBy'],
    '/api/v1/deployments': ['service', 'team', 'from', 'to', 'limit', 'failed'],
    '/api/v1/incidents': ['service', 'team', 'from', 'to', 'limit', 'status'],
  }
  let before: Record<string, string[]>

  beforeAll(async () => {
    before = await dumpTables(s.db!)
  })

  it('classic payloads in every parameter: 200 (harmless, no extra rows) or 400, never 5xx, never SQL in the answer', async () => {
    let n = 0
    for (const [path, params] of Object.entries(PARAMS)) {
      for (const p of params) {
        for (const payload of PAYLOADS) {
          const base = new URLSearchParams(Q)
          base.set(p, payload)
          const r = await get(`${path}?${base}`, READ[0])
          n++
          expect([200, 400], `${path} ${p}=${payload} → ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status)
          expect(unechoed(r, payload)).not.toMatch(LEAKS)
          if (r.status === 200 && (p === 'service' || p === 'team')) {
            // A filter that is not a real name matches nothing: no row leaks out.
            const rows = r.json.rows ?? r.json.deployments ?? r.json.incidents
            expect(rows, `${path} ${p}=${payload}`).toEqual([])
          }
        }
      }
    }
    console.log(`SQL-injection requests sent: ${n}`)
  })

  it('random strings in every parameter (fast-check): never 5xx', async () => {
    const entries = Object.entries(PARAMS).flatMap(([path, ps]) => ps.map((p) => [path, p] as const))
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...entries), fc.string({ unit: 'binary', maxLength: 60 }), async ([path, p], v) => {
        const q = new URLSearchParams(Q)
        q.set(p, v)
        const r = await get(`${path}?${q}`, READ[0])
        expect(r.status, `${path} ${p}=${JSON.stringify(v)}`).toBeLessThan(500)
        expect(unechoed(r, v)).not.toMatch(LEAKS)
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 300), seed: 66 },
    )
  })

  it('the database is intact: same tables, same rows, same figures', async () => {
    expect(await dumpTables(s.db!)).toEqual(before)
    const r = await get(`/api/v1/metrics?${Q}`, READ[0])
    expect(r.json.rows[0]).toEqual(approx(EXPECTED_CHECKOUT_ROW))
  })
})

describe('secrets never reach the log', () => {
  it('after requests carrying every secret (good and bad), the captured log holds none of them', async () => {
    const body = '{"zen":"x"}'
    await request(`${s.url}/webhooks/github`, { headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'log-1', 'x-hub-signature-256': ghSig(body, GITHUB_SECRET) }, body })
    await request(`${s.url}/webhooks/github`, { headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'log-2', 'x-hub-signature-256': ghSig(body, 'wrong') }, body })
    await request(`${s.url}/events`, { headers: { 'content-type': 'application/json', authorization: `Bearer ${EVENTS}` }, body: '{"kind":"nope"}' })
    await request(`${s.url}/events`, { headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: '{}' })
    for (const t of [...READ, ADMIN]) await get(`/api/v1/metrics?tz=bad`, t)
    await get(`/api/v1/metrics`, 'not-a-token-but-a-guess')
    expect(logText.length).toBeGreaterThan(0)
    for (const secret of SECRETS) expect(logText).not.toContain(secret)
    expect(logText).not.toContain(ghSig(body, GITHUB_SECRET))
  })

  it('pino redaction: a config or request object logged whole shows [redacted] for every secret', () => {
    let out = ''
    const sink = new Writable({ write: (c, _e, cb) => ((out += c.toString()), cb()) })
    const logger = createLogger({ level: 'info', destination: sink })
    logger.info({ config }, 'the whole config')
    logger.info({ req: { headers: { authorization: `Bearer ${ADMIN}`, 'x-hub-signature-256': 'sha256=abc', 'x-pagerduty-signature': 'v1=abc', cookie: 'c=1' } } }, 'a request')
    logger.info({ headers: { authorization: `Bearer ${READ[0]}` }, clickhouse: { password: 'ch-pass-123' }, token: EVENTS }, 'loose fields')
    for (const secret of [...SECRETS, 'ch-pass-123', 'sha256=abc', 'v1=abc']) expect(out).not.toContain(secret)
    expect(out).toContain('[redacted]')
  })
})
