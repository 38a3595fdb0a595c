import { afterEach, describe, expect, it } from 'vitest'
import { githubPayloadText } from '../../sources/github/body.ts'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { LogError } from '../../log/types.ts'
import { fixture, ghSign, post, postChunkedUntilAnswered, startServer, type TestServer } from './helpers.ts'

const SECRET = 'It\'s a Secret to Everybody'
const push = fixture('github/push.json')

let srv: TestServer
afterEach(async () => srv?.close())

const gh = (event: string, delivery: string, body: Buffer | string, extra: Record<string, string> = {}, secret = SECRET) => ({
  'content-type': 'application/json',
  'x-github-event': event,
  'x-github-delivery': delivery,
  'x-hub-signature-256': ghSign(body, secret),
  ...extra,
})

describe('POST /webhooks/github', () => {
  it('stores a signed push as an envelope over the raw body and answers 202', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const r = await post(`${srv.url}/webhooks/github`, push, gh('push', 'd-1', push, { 'x-github-hook-id': '42' }))
    expect(r.status).toBe(202)
    expect(r.json).toEqual({ accepted: true, id: 'github:d-1', duplicate: false })
    const env = srv.log.entries[0]!.envelope
    expect(env).toMatchObject({
      specversion: '1.0',
      id: 'github:d-1',
      type: 'com.github.push',
      source: '/webhooks/github/hooks/42',
      subject: 'codertocat/hello-world',
      doraflowsource: 'github',
      datacontenttype: 'application/json',
      doraflowheaders: { 'x-github-event': 'push', 'x-github-delivery': 'd-1', 'x-github-hook-id': '42', 'content-type': 'application/json' },
    })
    expect(env.data).toBe(push.toString('utf8'))
  })

  it('answers 202 to ping (org hook without repository: subject github) and stores event types the processors ignore', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const { repository: _, ...orgPing } = JSON.parse(fixture('github/ping.json').toString('utf8'))
    const ping = JSON.stringify(orgPing)
    const release = fixture('github/release.published.json')
    expect((await post(`${srv.url}/webhooks/github`, ping, gh('ping', 'p-1', ping))).status).toBe(202)
    expect((await post(`${srv.url}/webhooks/github`, release, gh('release', 'r-1', release))).status).toBe(202)
    expect(srv.log.entries.map((e) => [e.envelope.type, e.envelope.subject, e.envelope.source])).toEqual([
      ['com.github.ping', 'github', '/webhooks/github'],
      ['com.github.release', 'codertocat/hello-world', '/webhooks/github'],
    ])
  })

  it('checks the signature on the raw bytes: the same JSON re-serialized fails with 401', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const reserialized = JSON.stringify(JSON.parse(push.toString('utf8')))
    const r = await post(`${srv.url}/webhooks/github`, reserialized, gh('push', 'd-1', push))
    expect(r.status).toBe(401)
    expect(r.json.error).toBe('unauthorized')
    expect(srv.log.entries).toHaveLength(0)
  })

  it('401 on missing signature or a wrong secret; nothing stored', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const { ['x-hub-signature-256']: _, ...noSig } = gh('push', 'd-1', push)
    expect((await post(`${srv.url}/webhooks/github`, push, noSig)).status).toBe(401)
    expect((await post(`${srv.url}/webhooks/github`, push, gh('push', 'd-1', push, {}, 'wrong'))).status).toBe(401)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('rotation: a delivery signed with the second configured secret is accepted', async () => {
    srv = await startServer({ github: { webhookSecrets: ['old-secret', 'new-secret'] } })
    expect((await post(`${srv.url}/webhooks/github`, push, gh('push', 'd-1', push, {}, 'new-secret'))).status).toBe(202)
  })

  it('a non-UTF-8 body cannot borrow the signature of the string it decodes to', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    // 0xff decodes to U+FFFD, whose UTF-8 bytes are ef bf bd: sign those, send 0xff.
    const signed = Buffer.from('{"a":"\uFFFD"}', 'utf8')
    const sent = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff]), Buffer.from('"}')])
    expect(sent.toString('utf8')).toBe(signed.toString('utf8'))
    expect((await post(`${srv.url}/webhooks/github`, sent, gh('push', 'd-1', signed))).status).toBe(401)
    // Signed over its own bytes it passes the signature but is rejected as not UTF-8.
    const r = await post(`${srv.url}/webhooks/github`, sent, gh('push', 'd-1', sent))
    expect(r.status).toBe(400)
    expect(r.json.message).toMatch(/UTF-8/)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('a redelivery (same X-GitHub-Delivery) is stored once and answered duplicate: true', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const a = await post(`${srv.url}/webhooks/github`, push, gh('push', 'same', push))
    const b = await post(`${srv.url}/webhooks/github`, push, gh('push', 'same', push))
    expect([a.status, b.status]).toEqual([202, 202])
    expect(a.json).toEqual({ accepted: true, id: 'github:same', duplicate: false })
    expect(b.json).toEqual({ accepted: true, id: 'github:same', duplicate: true })
    expect(srv.log.entries).toHaveLength(1)
  })

  it('accepts a form-encoded body (JSON in the payload field), keeping the raw form as data', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const form = new URLSearchParams({ payload: push.toString('utf8') }).toString()
    const r = await post(`${srv.url}/webhooks/github`, form, gh('push', 'f-1', form, { 'content-type': 'application/x-www-form-urlencoded' }))
    expect(r.status).toBe(202)
    const env = srv.log.entries[0]!.envelope
    expect(env.data).toBe(form)
    expect(env.subject).toBe('codertocat/hello-world')
    expect(JSON.parse(githubPayloadText(env.data, env.doraflowheaders['content-type'])!)).toEqual(JSON.parse(push.toString('utf8')))
  })

  it('400 for a form body without payload, bad JSON, a JSON array, or missing headers', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const url = `${srv.url}/webhooks/github`
    const form = 'other=1'
    const r1 = await post(url, form, gh('push', 'x', form, { 'content-type': 'application/x-www-form-urlencoded' }))
    expect([r1.status, r1.json.error]).toEqual([400, 'bad_request'])
    expect(r1.json.message).toMatch(/payload/)
    const bad = '{"oops": '
    const r2 = await post(url, bad, gh('push', 'x', bad))
    expect(r2.status).toBe(400)
    expect(r2.json.message).toMatch(/not valid JSON/)
    const arr = '[1,2]'
    expect((await post(url, arr, gh('push', 'x', arr))).json.message).toMatch(/JSON object/)
    const { ['x-github-event']: _, ...noEvent } = gh('push', 'x', push)
    const r4 = await post(url, push, noEvent)
    expect(r4.status).toBe(400)
    expect(r4.json.message).toMatch(/X-GitHub-Event/)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('415 for an unsupported content type', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    const r = await post(`${srv.url}/webhooks/github`, push, gh('push', 'x', push, { 'content-type': 'text/plain' }))
    expect(r.status).toBe(415)
    expect(r.json.error).toBe('unsupported_media_type')
  })

  it('413 from Content-Length up front', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] }, ingest: { maxBodyBytes: 1024 } })
    const r = await post(`${srv.url}/webhooks/github`, push, gh('push', 'x', push))
    expect(push.length).toBeGreaterThan(1024)
    expect(r.status).toBe(413)
    expect(r.json.error).toBe('payload_too_large')
  })

  it('413 while streaming a chunked body without Content-Length, before the body ends', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] }, ingest: { maxBodyBytes: 4096 } })
    const r = await postChunkedUntilAnswered(`${srv.url}/webhooks/github`, gh('push', 'x', 'irrelevant'), Buffer.alloc(1024, 0x20), 1000)
    expect(r.status).toBe(413)
    expect(r.ended).toBe(false)
    expect(r.bytesSent).toBeLessThan(1000 * 1024)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('503 with Retry-After when the log is down (never 4xx), nothing stored; 202 once it is back', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ github: { webhookSecrets: [SECRET] } }, log)
    log.outage()
    const r = await post(`${srv.url}/webhooks/github`, push, gh('push', 'o-1', push))
    expect(r.status).toBe(503)
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(r.json.error).toBe('unavailable')
    expect(log.entries).toHaveLength(0)
    log.failWith = undefined
    expect((await post(`${srv.url}/webhooks/github`, push, gh('push', 'o-1', push))).status).toBe(202)
  })

  it('500 as JSON without a stack for an unexpected error; non-retriable LogError is a 5xx too', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ github: { webhookSecrets: [SECRET] } }, log)
    log.append = async () => {
      throw new Error('boom at secret/path.ts:1')
    }
    const r = await post(`${srv.url}/webhooks/github`, push, gh('push', 'e-1', push))
    expect(r.status).toBe(500)
    expect(r.json.error).toBe('internal')
    expect(r.text).not.toMatch(/boom|path\.ts/)
    log.append = async () => {
      throw new LogError('message too large', false)
    }
    expect((await post(`${srv.url}/webhooks/github`, push, gh('push', 'e-1', push))).status).toBe(500)
  })

  it('counts requests by source and status in Prometheus', async () => {
    srv = await startServer({ github: { webhookSecrets: [SECRET] } })
    await post(`${srv.url}/webhooks/github`, push, gh('push', 'm-1', push))
    await post(`${srv.url}/webhooks/github`, push, gh('push', 'm-2', push, {}, 'wrong'))
    const text = await srv.register.metrics()
    expect(text).toContain('doraflow_ingest_requests_total{source="github",status="202"} 1')
    expect(text).toContain('doraflow_ingest_requests_total{source="github",status="401"} 1')
    expect(text).toMatch(/doraflow_ingest_append_seconds_count\{source="github",outcome="ok"\} 1/)
  })

  it('with no secret configured: accepted from loopback without a signature, 403 from elsewhere', async () => {
    srv = await startServer({})
    const { ['x-hub-signature-256']: _, ...headers } = gh('push', 'l-1', push)
    expect((await post(`${srv.url}/webhooks/github`, push, headers)).status).toBe(202)
    if (!srv.externalUrl) return // no non-loopback interface on this machine
    const r = await post(`${srv.externalUrl}/webhooks/github`, push, headers)
    expect(r.status).toBe(403)
    expect(r.json.message).toMatch(/github\.webhookSecrets/)
    expect(srv.log.entries).toHaveLength(1)
  })
})
