import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { approx, eventually, pagerdutyPayload, processedAll, pushPayload, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, GITHUB_SECRET, PAGERDUTY_SECRET, scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'
import { ghSig, pdSig, request } from './helpers.ts'

/**
 * The webhook barrage (issue 6 §3): after the known scenario is in, fast-check
 * throws mutated and random bodies and header games at all three ingest routes.
 * Each request must get a documented 4xx or a 202, never a 5xx; a rejected one
 * stores nothing; the process stays up, the processor stays healthy and the
 * checkout figures stay exactly the hand-computed ones.
 *
 * Accepted fuzz deliveries (well-signed, still a JSON object) are real events:
 * their payloads name other repositories / services (acme/fuzz, PFUZZ, fuzz),
 * so they are processed but cannot touch checkout's figures.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 1000)
const EVENTS_TOKEN = 'events-token-for-hostile-tests'
const Q = 'from=2026-07-01&to=2026-07-08&service=checkout'
type Route = 'github' | 'pagerduty' | 'events'
type Signing = 'valid' | 'none' | 'otherSecret' | 'otherBody'

const executed: Record<string, number> = {}
const count = (what: string) => (executed[what] = (executed[what] ?? 0) + 1)

const base: Record<Route, () => string> = {
  github: () =>
    JSON.stringify(
      pushPayload({ repo: 'acme/fuzz', before: '1'.repeat(40), after: 'e'.repeat(40), commits: [{ id: 'f'.repeat(40), timestamp: '2026-07-02T00:00:00Z' }] }),
    ),
  pagerduty: () => JSON.stringify(pagerdutyPayload({ eventId: 'FUZZ-EVENT-0001', type: 'incident.triggered', incidentId: 'QFUZZ0001', service: 'PFUZZ', occurredAt: '2026-07-02T00:00:00.000Z' })),
  events: () => JSON.stringify({ kind: 'deployment', id: 'fuzz-deploy-1', service: 'fuzz', environment: 'production', sha: 'abcdef1', deployedAt: '2026-07-02T00:00:00Z' }),
}
/** Fields each route (or its parser) reads: the wrong-type mutation replaces one of them. */
const READ_FIELDS: Record<Route, string[][]> = {
  github: [['repository'], ['repository', 'full_name'], ['ref'], ['after'], ['before'], ['commits'], ['head_commit'], ['repository', 'default_branch'], ['deleted']],
  pagerduty: [['event'], ['event', 'id'], ['event', 'event_type'], ['event', 'occurred_at'], ['event', 'data'], ['event', 'data', 'service'], ['event', 'data', 'service', 'id'], ['event', 'data', 'status']],
  events: [['kind'], ['id'], ['service'], ['environment'], ['sha'], ['deployedAt'], ['status'], ['rollback'], ['team'], ['eventId']],
}

function setPath(obj: any, path: string[], value: unknown): any {
  const copy = structuredClone(obj)
  let cur = copy
  for (const k of path.slice(0, -1)) {
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {}
    cur = cur[k]
  }
  cur[path.at(-1)!] = value
  return copy
}

const INVALID_UTF8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82]]

/** A hostile body for a route, and what kind of hostility it is. */
const bodyArb = (route: Route): fc.Arbitrary<{ kind: string; body: Buffer }> => {
  const text = base[route]()
  const buf = Buffer.from(text)
  return fc.oneof(
    fc.nat({ max: buf.length - 1 }).map((at) => ({ kind: 'truncated', body: buf.subarray(0, at) })),
    fc.tuple(fc.nat({ max: buf.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([i, v]) => {
      const b = Buffer.from(buf)
      b[i] = v
      return { kind: 'byte-flip', body: b }
    }),
    fc.tuple(fc.nat({ max: buf.length }), fc.constantFrom(...INVALID_UTF8)).map(([i, seq]) => ({ kind: 'invalid-utf8', body: Buffer.concat([buf.subarray(0, i), Buffer.from(seq), buf.subarray(i)]) })),
    fc.tuple(fc.constantFrom(...READ_FIELDS[route]), fc.jsonValue({ maxDepth: 3 })).map(([path, v]) => ({ kind: 'wrong-type', body: Buffer.from(JSON.stringify(setPath(JSON.parse(text), path, v))) })),
    fc.tuple(fc.constantFrom(...Object.keys(JSON.parse(text))), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => ({ kind: 'duplicate-key', body: Buffer.from(`{${JSON.stringify(k)}:${JSON.stringify(v)},${text.slice(1)}`) })),
    fc.integer({ min: 1, max: 200_000 }).map((d) => ({ kind: 'deep-nesting', body: Buffer.from(`{"event":${'['.repeat(d)}${']'.repeat(d)},"x":${'{"a":'.repeat(Math.min(d, 5000))}1${'}'.repeat(Math.min(d, 5000))}}`) })),
    fc.integer({ min: 1, max: 1_500_000 }).map((n) => ({ kind: 'huge-array', body: Buffer.from(`{"event":{"id":"FUZZ-HUGE","event_type":"incident.triggered","data":[${'0,'.repeat(n - 1)}0]},"commits":[]}`) })),
    fc.jsonValue({ maxDepth: 4 }).map((v) => ({ kind: 'random-json', body: Buffer.from(JSON.stringify(v) ?? 'null') })),
    fc.uint8Array({ maxLength: 512 }).map((b) => ({ kind: 'random-bytes', body: Buffer.from(b) })),
    fc.constantFrom('', ' ', '\n', 'null', '[]', '""', '{', '}', '{}', '{"event":null}', '\uFEFF{}').map((s) => ({ kind: 'edge-literal', body: Buffer.from(s) })),
  )
}

function headersFor(route: Route, body: Buffer, signing: Signing): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' }
  const other = Buffer.concat([body, Buffer.from(' ')])
  if (route === 'github') {
    Object.assign(h, { 'x-github-event': 'push', 'x-github-delivery': crypto.randomUUID(), 'x-github-hook-id': '99' })
    if (signing === 'valid') h['x-hub-signature-256'] = ghSig(body, GITHUB_SECRET)
    if (signing === 'otherSecret') h['x-hub-signature-256'] = ghSig(body, 'not-the-secret')
    if (signing === 'otherBody') h['x-hub-signature-256'] = ghSig(other, GITHUB_SECRET)
  } else if (route === 'pagerduty') {
    h['x-webhook-id'] = crypto.randomUUID()
    if (signing === 'valid') h['x-pagerduty-signature'] = pdSig(body, PAGERDUTY_SECRET)
    if (signing === 'otherSecret') h['x-pagerduty-signature'] = pdSig(body, 'not-the-secret')
    if (signing === 'otherBody') h['x-pagerduty-signature'] = pdSig(other, PAGERDUTY_SECRET)
  } else {
    if (signing === 'valid') h.authorization = `Bearer ${EVENTS_TOKEN}`
    if (signing === 'otherSecret' || signing === 'otherBody') h.authorization = `Bearer ${EVENTS_TOKEN}x`
  }
  return h
}

describe('hostile webhooks against a live server holding the known scenario', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const post = (path: string, headers: Record<string, string | string[]>, body: Buffer | string) => request(`${server.url}${path}`, { headers, body })

  async function checkoutRow() {
    const res = await fetch(`${server.url}/api/v1/metrics?${Q}`)
    const body = (await res.json()) as { rows: unknown[] }
    return body.rows[0]
  }

  /** Sends one request; checks the status class and that a rejection stored nothing. */
  async function hostile(path: string, headers: Record<string, string | string[]>, body: Buffer | string, allowed: number[]) {
    const before = await server.log.headOffset()
    const r = await post(path, headers, body)
    expect(r.status, `${path} → ${r.status} ${r.text.slice(0, 300)}`).toBeLessThan(500)
    expect(allowed, `${path} → ${r.status} ${r.text.slice(0, 300)}`).toContain(r.status)
    expect(r.json, 'every answer is JSON {error, message} or {accepted}').toBeTypeOf('object')
    if (r.status !== 202) {
      expect(await server.log.headOffset(), 'a rejected request stored something').toBe(before)
      expect(typeof r.json.message).toBe('string')
      expect(r.text).not.toMatch(/\n\s+at |node_modules|SELECT |INSERT /)
    }
    return r
  }

  beforeAll(async () => {
    config = scenarioConfig()
    config.events.tokens = [EVENTS_TOKEN]
    config.server.rateLimit.requestsPerSecond = 0
    server = await startTestServer(config)
    for (const d of scenarioDeliveries()) expect((await send(server.url, d)).status).toBe(202)
    await processedAll(server.url)
    expect(await checkoutRow()).toEqual(approx(EXPECTED_CHECKOUT_ROW))
  })
  afterAll(async () => {
    console.log(`hostile webhook cases executed: ${JSON.stringify(executed)}`)
    await server?.stop()
  })

  it('mutated and random bodies, any signing: 202 or a documented 4xx, never 5xx; rejections store nothing', async () => {
    const routeArb = fc.constantFrom<Route>('github', 'pagerduty', 'events')
    const caseArb = routeArb.chain((route) => fc.record({ route: fc.constant(route), b: bodyArb(route), signing: fc.constantFrom<Signing>('valid', 'valid', 'none', 'otherSecret', 'otherBody') }))
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ route, b, signing }) => {
        count(`body:${b.kind}`)
        const path = route === 'events' ? '/events' : `/webhooks/${route}`
        const allowed = signing === 'valid' ? [202, 400] : [401]
        const r = await hostile(path, headersFor(route, b.body, signing), b.body, allowed)
        if (r.status === 202) {
          // Accepted only what ingest promises to check: valid UTF-8, a JSON object.
          const parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(b.body))
          expect(parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)).toBe(true)
        }
      }),
      { numRuns: RUNS, seed: Number(process.env.HOSTILE_SEED ?? 6006), endOnFailure: true },
    )
  })

  it('header games: missing, duplicated, wrong-case, empty, other body, other secret, wrong content type', async () => {
    const body = Buffer.from(base.github())
    const pdBody = Buffer.from(base.pagerduty())
    const good = () => headersFor('github', body, 'valid')
    const gh = (h: Record<string, string | string[]>, allowed: number[]) => (count('header-game'), hostile('/webhooks/github', h, body, allowed))
    const drop = (h: Record<string, string>, k: string) => Object.fromEntries(Object.entries(h).filter(([n]) => n !== k))

    await gh(drop(good(), 'x-hub-signature-256'), [401])
    await gh(drop(good(), 'x-github-event'), [400])
    // No delivery id: derived from the event and the body (senders other than GitHub omit it), so accepted.
    await gh(drop(good(), 'x-github-delivery'), [202])
    await gh({ ...good(), 'x-github-event': '' }, [400])
    await gh({ ...good(), 'x-hub-signature-256': '' }, [401])
    await gh({ ...good(), 'x-hub-signature-256': 'sha256=' }, [401])
    await gh({ ...good(), 'x-hub-signature-256': ghSig(body, GITHUB_SECRET).toUpperCase() }, [401])
    await gh({ ...good(), 'x-hub-signature-256': ghSig(body, GITHUB_SECRET).replace('sha256=', 'sha1=') }, [401])
    // Two signature headers: Node joins them into one value, which matches nothing.
    await gh({ ...good(), 'x-hub-signature-256': [ghSig(body, 'nope'), ghSig(body, GITHUB_SECRET)] }, [401])
    await gh({ ...good(), 'content-type': 'text/plain' }, [415])
    await gh(drop(good(), 'content-type'), [415])
    // Header names are case-insensitive: a shouting client is still a good client.
    const shouting = Object.fromEntries(Object.entries(good()).map(([k, v]) => [k.toUpperCase(), v]))
    expect((await gh(shouting, [202])).json).toMatchObject({ accepted: true })
    const mixed = Object.fromEntries(Object.entries(good()).map(([k, v]) => [k.replace(/(^|-)([a-z])/g, (_m, d, c: string) => d + c.toUpperCase()), v]))
    expect((await gh(mixed, [202])).json).toMatchObject({ accepted: true })

    const pd = (h: Record<string, string | string[]>, allowed: number[]) => (count('header-game'), hostile('/webhooks/pagerduty', h, pdBody, allowed))
    const pdGood = headersFor('pagerduty', pdBody, 'valid')
    await pd(drop(pdGood, 'x-pagerduty-signature'), [401])
    await pd({ ...pdGood, 'x-pagerduty-signature': 'v1=zz' }, [401])
    await pd({ ...pdGood, 'x-pagerduty-signature': `v2=${pdSig(pdBody, PAGERDUTY_SECRET).slice(3)}` }, [401])
    await pd({ ...pdGood, 'x-pagerduty-signature': `${pdSig(pdBody, 'old')},${pdSig(Buffer.from('x'), PAGERDUTY_SECRET)}` }, [401])
    // Rotation: PagerDuty sends one v1= per secret; one good entry is enough (also as repeated headers).
    expect((await pd({ ...pdGood, 'x-pagerduty-signature': `${pdSig(pdBody, 'old')},${pdGood['x-pagerduty-signature']}` }, [202])).status).toBe(202)
    expect((await pd({ ...pdGood, 'x-pagerduty-signature': [pdSig(pdBody, 'old'), pdGood['x-pagerduty-signature']!] }, [202])).json.duplicate).toBe(true)

    const ev = (h: Record<string, string | string[]>, allowed: number[]) => (count('header-game'), hostile('/events', h, base.events(), allowed))
    const evGood = headersFor('events', Buffer.from(base.events()), 'valid')
    await ev(drop(evGood, 'authorization'), [401])
    await ev({ ...evGood, authorization: `Basic ${Buffer.from(`x:${EVENTS_TOKEN}`).toString('base64')}` }, [401])
    await ev({ ...evGood, authorization: `Bearer ${EVENTS_TOKEN} extra` }, [401])
    await ev({ ...evGood, authorization: [`Bearer nope`, `Bearer ${EVENTS_TOKEN}`] }, [202, 401])
    await ev({ ...evGood, 'content-type': 'application/x-www-form-urlencoded' }, [415])
    expect((await ev({ ...evGood, AUTHORIZATION: evGood.authorization! }, [202])).status).toBe(202)
  })

  it('replayed deliveries collapse: same answer, nothing new stored', async () => {
    for (const d of scenarioDeliveries().slice(0, 3)) {
      // scenarioDeliveries() makes fresh delivery ids: send each twice.
      await send(server.url, d)
      const head = await server.log.headOffset()
      for (let i = 0; i < 3; i++) {
        count('replay')
        const r = await send(server.url, d)
        expect(r).toMatchObject({ status: 202, body: { accepted: true, duplicate: true } })
      }
      expect(await server.log.headOffset()).toBe(head)
    }
    // A replay of a delivery id with another (validly signed) body still collapses onto the first.
    const d = scenarioDeliveries()[0]!
    await send(server.url, d)
    const head = await server.log.headOffset()
    const body = base.github()
    const r = await post('/webhooks/github', { ...d.headers, 'x-hub-signature-256': ghSig(body, GITHUB_SECRET) }, body)
    count('replay')
    expect(r.json).toMatchObject({ duplicate: true })
    expect(await server.log.headOffset()).toBe(head)
  })

  it('after the barrage: still up, processor healthy, checkout figures unchanged', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    // Wait until the processor has caught up with everything the barrage stored.
    await eventually(async () => {
      const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { checks: { processor: string } }
      const lag = (await server.log.headOffset()) - (await server.log.committedOffset(config.processor.group))
      return lag === 0 && ready.checks.processor === 'ok' ? true : undefined
    }, 60_000, 'the processor to catch up without error')
    expect(await checkoutRow()).toEqual(approx(EXPECTED_CHECKOUT_ROW))
  })
})
