import { afterEach, describe, expect, it } from 'vitest'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { fixture, post, startServer, type TestServer } from './helpers.ts'

const TOKEN = 'events-token'
const auth = { authorization: `Bearer ${TOKEN}` }
const json = { 'content-type': 'application/json', ...auth }

let srv: TestServer
afterEach(async () => srv?.close())

const deployment = {
  kind: 'deployment',
  id: 'dep-17',
  service: 'checkout',
  environment: 'production',
  sha: 'a1b2c3d4e5f6',
  deployedAt: '2026-07-01T12:00:00Z',
}

describe('POST /events', () => {
  it('accepts our JSON: id generic:<delivery id>, subject = service; a repeat is a duplicate', async () => {
    srv = await startServer({ events: { tokens: [TOKEN] } })
    const body = JSON.stringify(deployment)
    const r = await post(`${srv.url}/events`, body, json)
    expect(r.status).toBe(202)
    expect(r.json).toEqual({ accepted: true, id: 'generic:deployment:dep-17:success', duplicate: false })
    expect(srv.log.entries[0]!.envelope).toMatchObject({
      type: 'dev.doraflow.generic.deployment',
      source: '/events',
      subject: 'checkout',
      doraflowsource: 'generic',
      data: body,
    })
    expect((await post(`${srv.url}/events`, body, json)).json.duplicate).toBe(true)
    expect(srv.log.entries).toHaveLength(1)
  })

  it('400 naming the bad field, with the issues as [{path, message}]', async () => {
    srv = await startServer({ events: { tokens: [TOKEN] } })
    const r = await post(`${srv.url}/events`, JSON.stringify({ ...deployment, deployedAt: 'yesterday' }), json)
    expect(r.status).toBe(400)
    expect(r.json.error).toBe('bad_request')
    expect(r.json.message).toMatch(/deployedAt/)
    expect(r.json.issues).toEqual([{ path: 'deployedAt', message: expect.stringMatching(/ISO 8601/) }])
    const { sha: _, ...noSha } = deployment
    const r2 = await post(`${srv.url}/events`, JSON.stringify(noSha), json)
    expect(r2.json.issues[0].path).toBe('sha')
    const r3 = await post(`${srv.url}/events`, '{"kind": "deployment", ', json)
    expect(r3.status).toBe(400)
    expect(r3.json.message).toMatch(/not valid JSON/)
    expect(srv.log.entries).toHaveLength(0)
  })

  it('CDEvent in CloudEvents binary mode: id cdevents:<ce-id>:<ce-type>, type = ce-type, ce-* headers kept', async () => {
    srv = await startServer({ events: { tokens: [TOKEN] } })
    const body = fixture('cdevents/service.deployed.json')
    const ce = {
      'ce-specversion': '1.0',
      'ce-id': '271069a8-fc18-44f1-b38f-9d70a1695819',
      'ce-source': '/event/source/123',
      'ce-type': 'dev.cdevents.service.deployed.0.3.0',
      'ce-subject': 'mySubject123',
    }
    const r = await post(`${srv.url}/events`, body, { ...json, ...ce })
    expect(r.status).toBe(202)
    expect(r.json.id).toBe('cdevents:271069a8-fc18-44f1-b38f-9d70a1695819:dev.cdevents.service.deployed.0.3.0')
    const env = srv.log.entries[0]!.envelope
    expect(env).toMatchObject({ type: 'dev.cdevents.service.deployed.0.3.0', subject: 'mySubject123', doraflowsource: 'cdevents', data: body.toString('utf8') })
    expect(env.doraflowheaders).toMatchObject(ce)
    const { ['ce-id']: _, ...noId } = ce
    const bad = await post(`${srv.url}/events`, body, { ...json, ...noId })
    expect(bad.status).toBe(400)
    expect(bad.json.message).toMatch(/ce-id/)
  })

  it('CloudEvents structured mode: id cdevents:<id>:<type>, subject = the CDEvent service', async () => {
    srv = await startServer({ events: { tokens: [TOKEN] } })
    const cdevent = JSON.parse(fixture('cdevents/incident.detected.json').toString('utf8'))
    const body = JSON.stringify({ specversion: '1.0', id: 'ce-42', type: cdevent.context.type, source: cdevent.context.source, data: cdevent })
    const r = await post(`${srv.url}/events`, body, { 'content-type': 'application/cloudevents+json', ...auth })
    expect(r.status).toBe(202)
    expect(r.json.id).toBe('cdevents:ce-42:dev.cdevents.incident.detected.0.3.0')
    expect(srv.log.entries[0]!.envelope).toMatchObject({ type: 'dev.cdevents.incident.detected.0.3.0', subject: 'myApp', data: body })
    const noData = JSON.stringify({ specversion: '1.0', id: 'ce-43', type: 't', source: 's' })
    expect((await post(`${srv.url}/events`, noData, { 'content-type': 'application/cloudevents+json', ...auth })).status).toBe(400)
  })

  it('a bare CDEvent: id cdevents:<context.id>:<context.type>', async () => {
    srv = await startServer({ events: { tokens: [TOKEN] } })
    const body = fixture('cdevents/incident.resolved.json')
    const r = await post(`${srv.url}/events`, body, json)
    expect(r.status).toBe(202)
    expect(r.json.id).toBe('cdevents:F4BD2B55-B6F6-4F44-AF72-BD2D0E7A8708:dev.cdevents.incident.resolved.0.3.0')
    expect(srv.log.entries[0]!.envelope).toMatchObject({ type: 'dev.cdevents.incident.resolved.0.3.0', subject: 'myApp', doraflowsource: 'cdevents' })
  })

  it('401 without or with a wrong bearer token; 415 for other content types', async () => {
    srv = await startServer({ events: { tokens: ['other', TOKEN] } })
    const body = JSON.stringify(deployment)
    expect((await post(`${srv.url}/events`, body, { 'content-type': 'application/json' })).status).toBe(401)
    expect((await post(`${srv.url}/events`, body, { 'content-type': 'application/json', authorization: 'Bearer nope' })).status).toBe(401)
    expect((await post(`${srv.url}/events`, body, { 'content-type': 'application/json', authorization: 'Basic eDp5' })).status).toBe(401)
    const r = await post(`${srv.url}/events`, body, { ...auth, 'content-type': 'text/plain' })
    expect([r.status, r.json.error]).toEqual([415, 'unsupported_media_type'])
    expect(srv.log.entries).toHaveLength(0)
  })

  it('413 over the limit; 503 + Retry-After on a storage outage', async () => {
    const log = new MemoryEventLog()
    srv = await startServer({ events: { tokens: [TOKEN] }, ingest: { maxBodyBytes: 400 } }, log)
    expect((await post(`${srv.url}/events`, fixture('cdevents/incident.resolved.json'), json)).status).toBe(413)
    log.outage()
    const r = await post(`${srv.url}/events`, JSON.stringify({ ...deployment, id: 'd' }), json)
    expect(r.status).toBe(503)
    expect(r.headers.get('retry-after')).toBeTruthy()
    expect(log.entries).toHaveLength(0)
  })

  it('with no token configured: loopback only', async () => {
    srv = await startServer({})
    const body = JSON.stringify(deployment)
    expect((await post(`${srv.url}/events`, body, { 'content-type': 'application/json' })).status).toBe(202)
    if (!srv.externalUrl) return
    const r = await post(`${srv.externalUrl}/events`, body, { 'content-type': 'application/json' })
    expect(r.status).toBe(403)
    expect(r.json.message).toMatch(/events\.tokens/)
  })
})
