import { createHash, createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { fixture, ghSign, post, startServer, type TestServer } from './helpers.ts'

/** What Four Keys' data generator and other non-GitHub senders showed (issue 9 §2). */
const SECRET = 'four-keys-secret'
const push = fixture('github/push.json')

let srv: TestServer
afterEach(async () => srv?.close())

describe('POST /webhooks/github from senders other than GitHub', () => {
  it('no X-GitHub-Delivery: the id is derived from the event name and the SHA-256 of the raw body', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': ghSign(push, SECRET) }
    const first = await post(`${srv.url}/webhooks/github`, push, headers)
    const expectedId = `github:derived:push:${createHash('sha256').update(push).digest('hex')}`
    expect(first).toMatchObject({ status: 202, json: { accepted: true, id: expectedId, duplicate: false } })
    // A byte-identical repeat collapses, as a GitHub redelivery does.
    expect(await post(`${srv.url}/webhooks/github`, push, headers)).toMatchObject({ status: 202, json: { id: expectedId, duplicate: true } })
    // The same body under another event name, or one byte changed, is another delivery.
    const other = await post(`${srv.url}/webhooks/github`, push, { ...headers, 'x-github-event': 'ping' })
    expect(other.json.id).toBe(`github:derived:ping:${createHash('sha256').update(push).digest('hex')}`)
    const changed = Buffer.concat([push, Buffer.from(' ')])
    const third = await post(`${srv.url}/webhooks/github`, changed, { ...headers, 'x-hub-signature-256': ghSign(changed, SECRET) })
    expect(third.json).toMatchObject({ duplicate: false })
    expect(third.json.id).not.toBe(expectedId)
    expect(srv.log.entries).toHaveLength(3)
    // The envelope says the sender gave no delivery id (no made-up header).
    expect(srv.log.entries[0]!.envelope.doraflowheaders['x-github-delivery']).toBeUndefined()
  })

  it('signed with the old X-Hub-Signature (SHA-1) only: 401 that says why and how to fix the sender', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(push).digest('hex')}`
    const r = await post(`${srv.url}/webhooks/github`, push, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd-sha1', 'x-hub-signature': sha1 })
    expect(r.status).toBe(401)
    expect(r.json.error).toBe('unauthorized')
    expect(r.json.message).toContain('SHA-1 signatures alone are not accepted')
    expect(r.json.message).toContain('X-Hub-Signature-256')
    expect(srv.log.entries).toHaveLength(0)
    // Without any signature header the message stays the plain one.
    const none = await post(`${srv.url}/webhooks/github`, push, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': 'd-none' })
    expect(none.json.message).toBe('missing X-Hub-Signature-256 header')
  })
})
