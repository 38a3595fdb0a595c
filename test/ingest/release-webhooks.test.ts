import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { fixture, post, startServer, type TestServer } from './helpers.ts'

const hex = (body: Buffer | string, secret: string) => createHmac('sha256', secret).update(body).digest('hex')
const ldFixture = (f: string) => readFileSync(path.resolve(import.meta.dirname, '../fixtures/launchdarkly', f))
const JSON_CT = { 'content-type': 'application/json' }

let srv: TestServer
afterEach(async () => srv?.close())

describe('POST /webhooks/launchdarkly', () => {
  const body = ldFixture('flag.updateFallthrough.json')
  it('X-LD-Signature (hex HMAC of the body) under any configured secret: 202, id from _id, the retry is a duplicate', async () => {
    srv = await startServer({ flags: { launchdarkly: { webhookSecrets: ['old', 'ld-secret'] } } })
    const r = await post(`${srv.url}/webhooks/launchdarkly`, body, { ...JSON_CT, 'x-ld-signature': hex(body, 'ld-secret') })
    expect(r.status).toBe(202)
    expect(r.json).toEqual({ accepted: true, id: 'launchdarkly:57c0a8e29969090743529966', duplicate: false })
    expect(srv.log.entries[0]!.envelope).toMatchObject({ doraflowsource: 'launchdarkly', type: 'com.launchdarkly.flag', subject: 'alternate.page', data: body.toString('utf8') })
    const again = await post(`${srv.url}/webhooks/launchdarkly`, body, { ...JSON_CT, 'x-ld-signature': hex(body, 'ld-secret') })
    expect(again.json.duplicate).toBe(true)
  })

  it('401 for a missing or wrong signature, nothing stored; 400 naming `date` for a bad entry', async () => {
    srv = await startServer({ flags: { launchdarkly: { webhookSecrets: ['ld-secret'] } } })
    expect((await post(`${srv.url}/webhooks/launchdarkly`, body, JSON_CT)).json).toMatchObject({ error: 'unauthorized', message: expect.stringMatching(/X-LD-Signature/) })
    expect((await post(`${srv.url}/webhooks/launchdarkly`, body, { ...JSON_CT, 'x-ld-signature': hex(body, 'other') })).status).toBe(401)
    expect(srv.log.entries).toHaveLength(0)
    const bad = JSON.stringify({ ...JSON.parse(body.toString('utf8')), date: 'yesterday' })
    const r = await post(`${srv.url}/webhooks/launchdarkly`, bad, { ...JSON_CT, 'x-ld-signature': hex(bad, 'ld-secret') })
    expect(r.status).toBe(400)
    expect(r.json.message).toMatch(/\bdate\b/)
  })
})

describe('POST /webhooks/unleash', () => {
  const body = fixture('unleash/feature-environment-enabled.json')
  it('the static Authorization value: 202 keyed by the event id; another value 401; missing featureName 400', async () => {
    srv = await startServer({ flags: { unleash: { tokens: ['Basic dW5sZWFzaA=='] } } })
    const r = await post(`${srv.url}/webhooks/unleash`, body, { ...JSON_CT, authorization: 'Basic dW5sZWFzaA==' })
    expect(r.status).toBe(202)
    expect(r.json.id).toBe('unleash:930')
    expect((await post(`${srv.url}/webhooks/unleash`, body, { ...JSON_CT, authorization: 'Basic bm9wZQ==' })).status).toBe(401)
    const { featureName: _, ...rest } = JSON.parse(body.toString('utf8'))
    const bad = await post(`${srv.url}/webhooks/unleash`, JSON.stringify(rest), { ...JSON_CT, authorization: 'Basic dW5sZWFzaA==' })
    expect(bad.status).toBe(400)
    expect(bad.json.message).toMatch(/featureName/)
  })
})

describe('POST /webhooks/flagsmith', () => {
  const body = fixture('flagsmith/flag_updated.json')
  it('X-Flagsmith-Signature: 202 keyed by (feature, environment, timestamp); unsigned 401', async () => {
    srv = await startServer({ flags: { flagsmith: { webhookSecrets: ['fs'] } } })
    const r = await post(`${srv.url}/webhooks/flagsmith`, body, { ...JSON_CT, 'x-flagsmith-signature': hex(body, 'fs') })
    expect(r.status).toBe(202)
    expect(r.json.id).toBe('flagsmith:7168:23:2021-06-18T07:50:26.595298Z')
    expect((await post(`${srv.url}/webhooks/flagsmith`, body, JSON_CT)).status).toBe(401)
  })
})

describe('POST /webhooks/flagger', () => {
  const body = fixture('flagger/webhook.progressing.json') // metadata.token: "16688eb5e9f289f1991c"
  it('the token in metadata (as in Flagger’s docs) or ?token=: 202; none: 401; no secrets: loopback only', async () => {
    srv = await startServer({ flagger: { tokens: ['16688eb5e9f289f1991c'] } })
    const r = await post(`${srv.url}/webhooks/flagger`, body, JSON_CT)
    expect(r.status).toBe(202)
    expect(r.json.id).toBe('flagger:podinfo.test:Progressing:85d557f47b')
    const event = fixture('flagger/event.progressing.json')
    expect((await post(`${srv.url}/webhooks/flagger`, event, JSON_CT)).status).toBe(401)
    expect((await post(`${srv.url}/webhooks/flagger?token=16688eb5e9f289f1991c`, event, JSON_CT)).status).toBe(202)
    const missing = JSON.stringify({ name: 'podinfo', phase: 'Progressing', metadata: { token: '16688eb5e9f289f1991c' } })
    const bad = await post(`${srv.url}/webhooks/flagger`, missing, JSON_CT)
    expect(bad.status).toBe(400)
    expect(bad.json.message).toMatch(/namespace/)
  })
})

describe('POST /events: flag and rollout kinds', () => {
  it('valid ones are stored under flag:<id> / rollout:<id>; bad exposure, phase or time is a 400 naming the field', async () => {
    srv = await startServer({ events: { tokens: ['t'] } })
    const h = { ...JSON_CT, authorization: 'Bearer t' }
    const flag = { kind: 'flag', id: 'ff-991', flag: 'new-checkout', service: 'checkout', environment: 'production', exposure: 10, changedAt: '2026-07-01T12:00:00Z', actor: 'ana@example.com' }
    const rollout = { kind: 'rollout', id: 'ro-7f9c-2', rollout: 'checkout-7f9c', service: 'checkout', environment: 'production', weight: 20, phase: 'progressing', at: '2026-07-01T12:05:00Z', sha: '9f1c2d3' }
    expect((await post(`${srv.url}/events`, JSON.stringify(flag), h)).json).toMatchObject({ id: 'generic:flag:ff-991' })
    expect((await post(`${srv.url}/events`, JSON.stringify(rollout), h)).json).toMatchObject({ id: 'generic:rollout:ro-7f9c-2' })
    const { service: _, ...noService } = flag
    expect((await post(`${srv.url}/events`, JSON.stringify({ ...noService, id: 'ff-992' }), h)).json.id).toBe('generic:flag:ff-992')
    for (const [bad, field] of [
      [{ ...flag, exposure: 120 }, 'exposure'],
      [{ ...flag, changedAt: 'soon' }, 'changedAt'],
      [{ ...rollout, phase: 'exploded' }, 'phase'],
      [{ ...rollout, weight: -1 }, 'weight'],
    ] as const) {
      const r = await post(`${srv.url}/events`, JSON.stringify(bad), h)
      expect(r.status, JSON.stringify(bad)).toBe(400)
      expect(r.json.issues[0].path).toBe(field)
    }
  })
})

describe('bad input never gives a 500', () => {
  it('arbitrary JSON, and real payloads with one field replaced by anything, signed: 202 or a 400 naming the problem', async () => {
    const fc = (await import('fast-check')).default
    srv = await startServer({ flags: { launchdarkly: { webhookSecrets: ['l'] }, unleash: { tokens: ['u'] }, flagsmith: { webhookSecrets: ['f'] } }, flagger: { tokens: ['g'] } })
    const routes: [string, (b: string) => Record<string, string>, Buffer][] = [
      ['/webhooks/launchdarkly', (b) => ({ 'x-ld-signature': hex(b, 'l') }), ldFixture('flag.updateFallthrough.json')],
      ['/webhooks/unleash', () => ({ authorization: 'u' }), fixture('unleash/feature-strategy-update.json')],
      ['/webhooks/flagsmith', (b) => ({ 'x-flagsmith-signature': hex(b, 'f') }), fixture('flagsmith/flag_updated.json')],
      ['/webhooks/flagger?token=g', () => ({}), fixture('flagger/event.progressing.json')],
    ]
    /** Every path to a leaf of a JSON value. */
    const leaves = (v: unknown, path: (string | number)[] = []): (string | number)[][] =>
      v !== null && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, Array.isArray(v) ? Number(k) : k])) : [path]
    const setAt = (v: any, path: (string | number)[], x: unknown) => {
      const copy = JSON.parse(JSON.stringify(v))
      let cur = copy
      for (const p of path.slice(0, -1)) cur = cur[p]
      if (path.length) cur[path[path.length - 1]!] = x
      return path.length ? copy : x
    }
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: routes.length - 1 }), fc.nat(), fc.jsonValue(), fc.boolean(), async (r, leaf, value, whole) => {
        const [path, sign, base] = routes[r]!
        const original = JSON.parse(base.toString('utf8'))
        const paths = leaves(original)
        const body = JSON.stringify(whole ? value : setAt(original, paths[leaf % paths.length]!, value))
        const res = await post(`${srv.url}${path}`, body, { ...JSON_CT, ...sign(body) })
        expect([202, 400], `${path} ${body.slice(0, 200)} → ${res.status} ${res.text}`).toContain(res.status)
        if (res.status === 400) expect(res.json.message).toEqual(expect.any(String))
      }),
      { numRuns: 300 },
    )
  }, 120_000)
})
