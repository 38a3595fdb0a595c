import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { fixture, ghSign, post, startServer, type TestServer } from './helpers.ts'

const SECRET = 'jira-secret'
const updated = fixture('jira/issue_updated.status.json')

let srv: TestServer
afterEach(async () => srv?.close())

const url = () => `${srv.url}/webhooks/jira`
const jira = (body: Buffer | string, signature = ghSign(body, SECRET), id = 'e1b7a6f0-1') => ({ 'content-type': 'application/json', 'x-hub-signature': signature, 'x-atlassian-webhook-identifier': id })

describe('POST /webhooks/jira', () => {
  it('a signed admin webhook: 202, stored under X-Atlassian-Webhook-Identifier, subject the project key; a retry collapses', async () => {
    srv = await startServer({ jira: { webhookSecrets: ['old', SECRET] } })
    const r = await post(url(), updated, jira(updated))
    expect([r.status, r.json]).toEqual([202, { accepted: true, id: 'jira:e1b7a6f0-1', duplicate: false }])
    expect(srv.log.entries[0]!.envelope).toMatchObject({ type: 'com.atlassian.jira:issue_updated', subject: 'ABC', doraflowsource: 'jira' })
    const retry = await post(url(), updated, { ...jira(updated), 'x-atlassian-webhook-retry': '1' })
    expect(retry.json.duplicate).toBe(true)
    expect(srv.log.entries).toHaveLength(1)
  })

  it('401: wrong secret, the sha1 form, no header, a re-serialized body; nothing stored', async () => {
    srv = await startServer({ jira: { webhookSecrets: [SECRET] } })
    expect((await post(url(), updated, jira(updated, ghSign(updated, 'wrong')))).status).toBe(401)
    const sha1 = await post(url(), updated, jira(updated, `sha1=${createHmac('sha1', SECRET).update(updated).digest('hex')}`))
    expect([sha1.status, sha1.json.message]).toEqual([401, 'X-Hub-Signature must be "sha256=<hex HMAC-SHA256 of the body>"'])
    const none = await post(url(), updated, { 'content-type': 'application/json' })
    expect([none.status, none.json.message]).toEqual([401, expect.stringMatching(/missing X-Hub-Signature/)])
    const compact = JSON.stringify(JSON.parse(updated.toString()))
    expect((await post(url(), compact, jira(updated))).status).toBe(401)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('202 for signed events the metrics ignore; 400 naming webhookEvent; 415; 503 on a storage outage', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ jira: { webhookSecrets: [SECRET] } }, log)
    const comment = JSON.stringify({ webhookEvent: 'comment_created', timestamp: 1 })
    expect((await post(url(), comment, jira(comment, undefined, 'c-1'))).status).toBe(202)
    const noEvent = '{"issue": {}}'
    const r = await post(url(), noEvent, jira(noEvent, undefined, 'c-2'))
    expect([r.status, r.json.message]).toEqual([400, expect.stringMatching(/webhookEvent/)])
    expect((await post(url(), updated, { ...jira(updated), 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415)
    log.outage()
    expect((await post(url(), updated, jira(updated, undefined, 'c-3'))).status).toBe(503)
    expect(log.entries).toHaveLength(1)
  })
})
