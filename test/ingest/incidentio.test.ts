import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { post, startServer, type TestServer } from './helpers.ts'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const OLD = 'whsec_' + Buffer.from('the previous signing secret').toString('base64')
const created = readFileSync(path.resolve(import.meta.dirname, '../sources/fixtures/incidentio/public_incident.incident_created_v2.json'))

let srv: TestServer
afterEach(async () => srv?.close())

const url = () => `${srv.url}/webhooks/incidentio`
function signed(body: Buffer | string, opts: { id?: string; secret?: string; at?: Date; prefix?: 'webhook' | 'svix'; extraSignature?: string } = {}) {
  const at = opts.at ?? new Date()
  const id = opts.id ?? 'msg_1'
  const p = opts.prefix ?? 'webhook'
  const sig = new Webhook(opts.secret ?? SECRET).sign(id, at, body.toString())
  return { 'content-type': 'application/json', [`${p}-id`]: id, [`${p}-timestamp`]: String(Math.floor(at.getTime() / 1000)), [`${p}-signature`]: opts.extraSignature ? `${opts.extraSignature} ${sig}` : sig }
}

describe('POST /webhooks/incidentio', () => {
  it('a signed delivery: 202, stored under webhook-id; svix-* headers work the same; a retry collapses', async () => {
    srv = await startServer({ incidentio: { webhookSecrets: [SECRET] } })
    const r = await post(url(), created, signed(created))
    expect([r.status, r.json]).toEqual([202, { accepted: true, id: 'incidentio:msg_1', duplicate: false }])
    expect(srv.log.entries[0]!.envelope).toMatchObject({ type: 'io.incident.public_incident.incident_created_v2', subject: 'incident.io', doraflowsource: 'incidentio' })
    const retry = await post(url(), created, signed(created, { prefix: 'svix', at: new Date(Date.now() + 60_000) }))
    expect([retry.status, retry.json.duplicate]).toEqual([202, true])
    expect(srv.log.entries).toHaveLength(1)
  })

  it('rotation: several signatures in the header, several secrets configured', async () => {
    srv = await startServer({ incidentio: { webhookSecrets: [OLD, SECRET] } })
    const other = new Webhook('whsec_' + Buffer.from('unrelated').toString('base64')).sign('msg_2', new Date(), created.toString())
    expect((await post(url(), created, signed(created, { id: 'msg_2', extraSignature: other }))).status).toBe(202)
  })

  it('401 for a stale timestamp, a wrong secret, missing headers; nothing stored', async () => {
    srv = await startServer({ incidentio: { webhookSecrets: [SECRET] } })
    const stale = await post(url(), created, signed(created, { at: new Date(Date.now() - 6 * 60_000) }))
    expect([stale.status, stale.json.message]).toEqual([401, expect.stringMatching(/webhook-timestamp is \d+ s old \(tolerance 300 s\)/)])
    const future = await post(url(), created, signed(created, { at: new Date(Date.now() + 6 * 60_000) }))
    expect([future.status, future.json.message]).toEqual([401, expect.stringMatching(/in the future/)])
    expect((await post(url(), created, signed(created, { secret: OLD }))).status).toBe(401)
    const none = await post(url(), created, { 'content-type': 'application/json' })
    expect([none.status, none.json.message]).toEqual([401, expect.stringMatching(/missing webhook-id/)])
    expect(srv.log.entries).toHaveLength(0)
  })

  it('202 for signed events the metrics ignore (a private incident); 400 naming event_type; 415; never 500', async () => {
    srv = await startServer({ incidentio: { webhookSecrets: [SECRET] } })
    const priv = readFileSync(path.resolve(import.meta.dirname, '../sources/fixtures/incidentio/private_incident.incident_created_v2.json'))
    expect((await post(url(), priv, signed(priv, { id: 'msg_p' }))).status).toBe(202)
    const noType = '{"public_incident.incident_created_v2": {}}'
    const r = await post(url(), noType, signed(noType, { id: 'msg_3' }))
    expect([r.status, r.json.message]).toEqual([400, expect.stringMatching(/event_type/)])
    expect((await post(url(), 'null', signed('null', { id: 'msg_4' }))).status).toBe(400)
    expect((await post(url(), created, { ...signed(created), 'content-type': 'text/plain' })).status).toBe(415)
    expect(srv.log.entries).toHaveLength(1)
  })

  it('storage outage: 503 (Svix retries with backoff for 24 hours)', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ incidentio: { webhookSecrets: [SECRET] } }, log)
    log.outage()
    expect((await post(url(), created, signed(created))).status).toBe(503)
  })

  it('no secret configured: loopback only, named in the answer', async () => {
    srv = await startServer({})
    expect((await post(url(), created, { 'content-type': 'application/json' })).status).toBe(202)
    if (!srv.externalUrl) return
    const r = await post(`${srv.externalUrl}/webhooks/incidentio`, created, { 'content-type': 'application/json' })
    expect([r.status, r.json.message]).toEqual([403, expect.stringMatching(/incidentio\.webhookSecrets/)])
  })
})
