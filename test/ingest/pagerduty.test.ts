import { afterEach, describe, expect, it } from 'vitest'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { fixture, pdSign, post, postChunkedUntilAnswered, startServer, type TestServer } from './helpers.ts'

const SECRET = 'pd-secret'
const triggered = fixture('pagerduty/incident.triggered.json')

let srv: TestServer
afterEach(async () => srv?.close())

const pd = (body: Buffer | string, signature = pdSign(body, SECRET), webhookId = 'wh-1') => ({
  'content-type': 'application/json',
  'x-pagerduty-signature': signature,
  'x-webhook-id': webhookId,
  'x-webhook-subscription': 'sub-1',
})

describe('POST /webhooks/pagerduty', () => {
  it('stores a signed V3 webhook keyed by event.id and answers 202', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] } })
    const r = await post(`${srv.url}/webhooks/pagerduty`, triggered, pd(triggered))
    expect(r.status).toBe(202)
    expect(r.json).toEqual({ accepted: true, id: 'pagerduty:01BZYIL05THJDFF2Y08X9SVMTU', duplicate: false })
    const env = srv.log.entries[0]!.envelope
    expect(env).toMatchObject({
      id: 'pagerduty:01BZYIL05THJDFF2Y08X9SVMTU',
      type: 'com.pagerduty.incident.triggered',
      source: '/webhooks/pagerduty',
      subject: 'PA2P440',
      doraflowsource: 'pagerduty',
      doraflowheaders: { 'x-webhook-id': 'wh-1', 'x-webhook-subscription': 'sub-1', 'content-type': 'application/json' },
    })
    expect(env.data).toBe(triggered.toString('utf8'))
  })

  it('an incident note (no data.service) takes the incident id as subject', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] } })
    const note = fixture('pagerduty/incident.annotated.json')
    expect((await post(`${srv.url}/webhooks/pagerduty`, note, pd(note))).status).toBe(202)
    expect(srv.log.entries[0]!.envelope).toMatchObject({ type: 'com.pagerduty.incident.annotated', subject: 'Q3B15VLMF3ASBD' })
  })

  it('accepts a header with two signatures where only the second matches', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] } })
    const header = `${pdSign(triggered, 'retired-secret')},${pdSign(triggered, SECRET)}`
    expect((await post(`${srv.url}/webhooks/pagerduty`, triggered, pd(triggered, header))).status).toBe(202)
  })

  it('rotation: the second configured secret works', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: ['old', 'new'] } })
    expect((await post(`${srv.url}/webhooks/pagerduty`, triggered, pd(triggered, pdSign(triggered, 'new')))).status).toBe(202)
  })

  it('401 for a wrong, malformed or missing signature and for a re-serialized body; nothing stored', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] } })
    const url = `${srv.url}/webhooks/pagerduty`
    expect((await post(url, triggered, pd(triggered, pdSign(triggered, 'wrong')))).status).toBe(401)
    expect((await post(url, triggered, pd(triggered, 'v0=abc,sha256=def'))).status).toBe(401)
    const { ['x-pagerduty-signature']: _, ...noSig } = pd(triggered)
    const missing = await post(url, triggered, noSig)
    expect([missing.status, missing.json.error]).toEqual([401, 'unauthorized'])
    const compact = JSON.stringify(JSON.parse(triggered.toString('utf8')))
    expect((await post(url, compact, pd(triggered))).status).toBe(401)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('a retry (same X-Webhook-Id) and a second subscription (same event.id) collapse', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] } })
    const url = `${srv.url}/webhooks/pagerduty`
    const a = await post(url, triggered, pd(triggered))
    const retry = await post(url, triggered, pd(triggered))
    const otherSub = await post(url, triggered, pd(triggered, undefined, 'wh-2'))
    expect([a.json.duplicate, retry.json.duplicate, otherSub.json.duplicate]).toEqual([false, true, true])
    expect(new Set([a.json.id, retry.json.id, otherSub.json.id]).size).toBe(1)
    expect(srv.log.entries).toHaveLength(1)
  })

  it('400 naming a missing event.id / event.event_type; 415; 413', async () => {
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] }, ingest: { maxBodyBytes: 1024 } })
    const url = `${srv.url}/webhooks/pagerduty`
    const noId = JSON.stringify({ event: { event_type: 'incident.triggered' } })
    const r1 = await post(url, noId, pd(noId))
    expect([r1.status, r1.json.error]).toEqual([400, 'bad_request'])
    expect(r1.json.message).toMatch(/event\.id/)
    const noType = JSON.stringify({ event: { id: 'E1' } })
    expect((await post(url, noType, pd(noType))).json.message).toMatch(/event\.event_type/)
    const small = '{}'
    expect((await post(url, small, { ...pd(small), 'content-type': 'text/plain' })).status).toBe(415)
    expect(triggered.length).toBeGreaterThan(1024)
    expect((await post(url, triggered, pd(triggered))).status).toBe(413)
    const streamed = await postChunkedUntilAnswered(url, pd('x'), Buffer.alloc(512, 0x20), 1000)
    expect([streamed.status, streamed.ended]).toEqual([413, false])
    expect(srv.log.entries).toHaveLength(0)
  })

  it('storage outage: 503 + Retry-After (PagerDuty retries 5xx, drops 4xx), nothing stored', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ pagerduty: { webhookSecrets: [SECRET] } }, log)
    log.outage()
    const r = await post(`${srv.url}/webhooks/pagerduty`, triggered, pd(triggered))
    expect(r.status).toBe(503)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(log.entries).toHaveLength(0)
  })

  it('with no secret configured: loopback only', async () => {
    srv = await startServer({})
    const headers = { 'content-type': 'application/json' }
    expect((await post(`${srv.url}/webhooks/pagerduty`, triggered, headers)).status).toBe(202)
    if (!srv.externalUrl) return
    const r = await post(`${srv.externalUrl}/webhooks/pagerduty`, triggered, headers)
    expect(r.status).toBe(403)
    expect(r.json.message).toMatch(/pagerduty\.webhookSecrets/)
  })
})
