import { Writable } from 'node:stream'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/logger.ts'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { fixture, post, postChunkedUntilAnswered, startServer, type TestServer } from './helpers.ts'

const TOKEN = 'gl-token'
const SIGNING = 'whsec_' + Buffer.from('a gitlab signing token of 32 bytes!').toString('base64')
const deployment = fixture('gitlab/deployment.success.json')

let srv: TestServer
afterEach(async () => srv?.close())

const gl = (event: string, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': TOKEN, 'idempotency-key': 'idem-1', 'x-gitlab-event-uuid': 'uuid-1', ...extra })
const url = () => `${srv.url}/webhooks/gitlab`

describe('POST /webhooks/gitlab', () => {
  it('X-Gitlab-Token: 202, stored raw under Idempotency-Key, subject the project; the token is not kept', async () => {
    srv = await startServer({ gitlab: { webhookTokens: ['old', TOKEN] } })
    const r = await post(url(), deployment, gl('Deployment Hook'))
    expect([r.status, r.json]).toEqual([202, { accepted: true, id: 'gitlab:idem-1', duplicate: false }])
    const env = srv.log.entries[0]!.envelope
    expect(env).toMatchObject({ type: 'com.gitlab.deployment', source: '/webhooks/gitlab', subject: 'vedant8600317/test', doraflowsource: 'gitlab' })
    expect(env.data).toBe(deployment.toString('utf8'))
    expect(env.doraflowheaders).toEqual({ 'x-gitlab-event': 'Deployment Hook', 'idempotency-key': 'idem-1', 'x-gitlab-event-uuid': 'uuid-1', 'content-type': 'application/json' })
  })

  it('redeliveries collapse on Idempotency-Key; without it on X-Gitlab-Event-UUID; without both on the body', async () => {
    srv = await startServer({ gitlab: { webhookTokens: [TOKEN] } })
    const a = await post(url(), deployment, gl('Deployment Hook'))
    const retry = await post(url(), deployment, gl('Deployment Hook', { 'x-gitlab-event-uuid': 'uuid-other' }))
    expect([a.json.duplicate, retry.json.duplicate]).toEqual([false, true])
    const { 'idempotency-key': _k, ...old } = gl('Deployment Hook', { 'x-gitlab-event-uuid': 'uuid-9' })
    const b = await post(url(), deployment, old)
    const b2 = await post(url(), deployment, old)
    expect([b.json.id, b2.json.duplicate]).toEqual(['gitlab:uuid-9', true])
    const { 'x-gitlab-event-uuid': _u, ...bare } = old
    const c = await post(url(), deployment, bare)
    const c2 = await post(url(), deployment, bare)
    expect(c.json.id).toMatch(/^gitlab:derived:deployment:[0-9a-f]{64}$/)
    expect(c2.json.duplicate).toBe(true)
    expect(srv.log.entries).toHaveLength(3)
  })

  it('a Standard Webhooks signature under a signing token: 202; stale, wrong or unconfigured: 401 naming why, nothing stored', async () => {
    srv = await startServer({ gitlab: { signingTokens: [SIGNING] } })
    const now = new Date()
    const sign = (when: Date, secret = SIGNING) => new Webhook(secret).sign('idem-2', when, deployment.toString('utf8'))
    const headers = (signature: string, when: Date) => ({ 'content-type': 'application/json', 'x-gitlab-event': 'Deployment Hook', 'idempotency-key': 'idem-2', 'webhook-id': 'idem-2', 'webhook-timestamp': String(Math.floor(when.getTime() / 1000)), 'webhook-signature': signature })
    const stale = new Date(now.getTime() - 10 * 60_000)
    const r1 = await post(url(), deployment, headers(sign(stale), stale))
    expect([r1.status, r1.json.error]).toEqual([401, 'unauthorized'])
    expect(r1.json.message).toMatch(/webhook-timestamp is \d+ s old/)
    const r2 = await post(url(), deployment, headers(sign(now, 'whsec_' + Buffer.from('another').toString('base64')), now))
    expect([r2.status, r2.json.message]).toEqual([401, expect.stringMatching(/webhook-signature matches the body under no configured secret/)])
    const r3 = await post(url(), deployment, { ...gl('Deployment Hook') })
    expect([r3.status, r3.json.message]).toEqual([401, expect.stringMatching(/gitlab.webhookTokens is empty/)])
    expect(srv.log.entries).toHaveLength(0)
    const ok = await post(url(), deployment, headers(sign(now), now))
    expect([ok.status, ok.json.id]).toEqual([202, 'gitlab:idem-2'])
  })

  it('401 for a wrong or missing token; nothing stored', async () => {
    srv = await startServer({ gitlab: { webhookTokens: [TOKEN] } })
    const wrong = await post(url(), deployment, gl('Deployment Hook', { 'x-gitlab-token': 'nope' }))
    expect([wrong.status, wrong.json.message]).toEqual([401, 'X-Gitlab-Token matches no configured gitlab.webhookTokens entry'])
    const { 'x-gitlab-token': _t, ...none } = gl('Deployment Hook')
    const missing = await post(url(), deployment, none)
    expect([missing.status, missing.json.message]).toEqual([401, expect.stringMatching(/missing X-Gitlab-Token/)])
    expect(srv.log.entries).toHaveLength(0)
  })

  it('202 for well-authenticated hooks the metrics ignore (pipeline, tag push, feature flag): stored raw', async () => {
    srv = await startServer({ gitlab: { webhookTokens: [TOKEN] } })
    for (const [i, f] of ['pipeline.json', 'tag_push.json', 'feature_flag.activated.json'].entries()) {
      const r = await post(url(), fixture(`gitlab/${f}`), gl('Some Hook', { 'idempotency-key': `k${i}` }))
      expect(r.status).toBe(202)
    }
    expect(srv.log.entries.map((e) => e.envelope.type)).toEqual(['com.gitlab.pipeline', 'com.gitlab.tag_push', 'com.gitlab.feature_flag'])
  })

  it('400 naming the problem, 415, 413 (announced and streamed); never a 500; nothing stored', async () => {
    srv = await startServer({ gitlab: { webhookTokens: [TOKEN] }, ingest: { maxBodyBytes: 1024 } })
    const bad = async (body: string) => post(url(), body, gl('Push Hook'))
    const r1 = await bad('{"project": {}}')
    expect([r1.status, r1.json.error, r1.json.message]).toEqual([400, 'bad_request', expect.stringMatching(/object_kind/)])
    expect((await bad('[1,2]')).status).toBe(400)
    expect((await bad('{"object_kind": ')).status).toBe(400)
    const nonUtf8 = await post(url(), Buffer.from([0x7b, 0xff, 0x7d]), gl('Push Hook'))
    expect(nonUtf8.status).toBe(400)
    expect((await post(url(), '{}', { ...gl('Push Hook'), 'content-type': 'text/plain' })).status).toBe(415)
    expect(deployment.length).toBeGreaterThan(1024)
    expect((await post(url(), deployment, gl('Deployment Hook'))).status).toBe(413)
    const streamed = await postChunkedUntilAnswered(url(), gl('Push Hook'), Buffer.alloc(512, 0x20), 1000)
    expect([streamed.status, streamed.ended]).toEqual([413, false])
    expect(srv.log.entries).toHaveLength(0)
  })

  it('storage outage: 503 + Retry-After (a 4xx would count towards GitLab disabling the hook), nothing stored', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ gitlab: { webhookTokens: [TOKEN] } }, log)
    log.outage()
    const r = await post(url(), deployment, gl('Deployment Hook'))
    expect(r.status).toBe(503)
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(log.entries).toHaveLength(0)
  })

  it('with no token configured: loopback only', async () => {
    srv = await startServer({})
    expect((await post(url(), deployment, { 'content-type': 'application/json', 'x-gitlab-event': 'Deployment Hook' })).status).toBe(202)
    if (!srv.externalUrl) return
    const r = await post(`${srv.externalUrl}/webhooks/gitlab`, deployment, { 'content-type': 'application/json' })
    expect([r.status, r.json.message]).toEqual([403, expect.stringMatching(/gitlab\.webhookTokens/)])
  })

  it('Prometheus counts requests by source; X-Gitlab-Token never reaches a log line', async () => {
    srv = await startServer({ gitlab: { webhookTokens: [TOKEN] } })
    await post(url(), deployment, gl('Deployment Hook'))
    await post(url(), deployment, gl('Deployment Hook', { 'x-gitlab-token': 'nope' }))
    const metrics = await srv.register.metrics()
    expect(metrics).toContain('doraflow_ingest_requests_total{source="gitlab",status="202"} 1')
    expect(metrics).toContain('doraflow_ingest_requests_total{source="gitlab",status="401"} 1')
    let out = ''
    const logger = createLogger({ destination: new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }) })
    logger.info({ req: { headers: { 'x-gitlab-token': TOKEN, 'webhook-signature': 'v1,abc' } } }, 'request')
    logger.info({ config: { gitlab: { webhookTokens: ['tok-in-config'], signingTokens: [SIGNING] } } }, 'config')
    expect(out).toContain('[redacted]')
    for (const secret of [TOKEN, 'v1,abc', 'tok-in-config', SIGNING]) expect(out).not.toContain(secret)
  })
})
