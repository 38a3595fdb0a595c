import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx, eventually, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'

/**
 * The admin routes (issue 6 §5: "replay and annotations need admin"), on a live
 * serve holding the signed scenario: annotations go through the event log and
 * come back in the API; a replay started from the API rebuilds the same tables,
 * keeps the annotations, and hands over to the live processor again.
 */
const READ = 'read-token-0123456789'
const ADMIN = 'admin-token-9876543210'
const Q = 'from=2026-07-01&to=2026-07-08'

describe('annotations and replay through the API', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const call = (method: string, path: string, o: { token?: string; body?: unknown; type?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': o.type ?? 'application/json' } : {}) },
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    }).then(async (r) => ({ status: r.status, headers: r.headers, body: (await r.json()) as any }))
  const list = async (query = Q) => (await call('GET', `/api/v1/annotations?${query}`, { token: READ })).body.annotations as any[]

  beforeAll(async () => {
    config = scenarioConfig()
    config.api.tokens = [READ]
    config.api.adminTokens = [ADMIN]
    server = await startTestServer(config)
    for (const d of scenarioDeliveries()) expect((await send(server.url, d)).status).toBe(202)
    await processedAll(server.url)
  })
  afterAll(async () => server?.stop())

  it('POST (admin) appends to the log, answers 202 once durable; the annotation shows once processed', async () => {
    const head = await server.log.headOffset()
    const a = await call('POST', '/api/v1/annotations', { token: ADMIN, body: { id: 'freeze-1', at: '2026-07-03T00:00:00Z', endAt: '2026-07-05T00:00:00Z', text: 'code freeze', tags: ['freeze'] } })
    expect(a.status).toBe(202)
    expect(a.body).toMatchObject({ accepted: true, id: 'annotation:freeze-1:added', duplicate: false, annotation: { id: 'freeze-1', endAt: '2026-07-05T00:00:00Z', service: null } })
    expect(await server.log.headOffset()).toBe(head + 1)
    const b = await call('POST', '/api/v1/annotations', { token: ADMIN, body: { text: 'checkout moved to the new CI', at: '2026-07-02T09:30:00.250Z', service: 'checkout', team: 'payments' } })
    expect(b.status).toBe(202)
    expect(b.body.annotation.id).toMatch(/^[0-9a-f-]{36}$/) // the server chose a UUID
    await processedAll(server.url)
    expect(await list()).toEqual([
      { id: b.body.annotation.id, at: '2026-07-02T09:30:00.250Z', endAt: null, text: 'checkout moved to the new CI', tags: [], service: 'checkout', team: 'payments' },
      { id: 'freeze-1', at: '2026-07-03T00:00:00.000Z', endAt: '2026-07-05T00:00:00.000Z', text: 'code freeze', tags: ['freeze'], service: null, team: null },
    ])
    // A service's view keeps the annotations about no service; a tag filter; a period that only overlaps the freeze.
    expect((await list(`${Q}&service=ledger`)).map((x) => x.id)).toEqual(['freeze-1'])
    expect((await list(`${Q}&tag=freeze`)).map((x) => x.id)).toEqual(['freeze-1'])
    expect((await list('from=2026-07-04&to=2026-07-06')).map((x) => x.id)).toEqual(['freeze-1'])
  })

  it('the same id posted again is stored once (a safe retry); the first text stays', async () => {
    const again = await call('POST', '/api/v1/annotations', { token: ADMIN, body: { id: 'freeze-1', at: '2026-07-03T00:00:00Z', text: 'something else' } })
    expect(again).toMatchObject({ status: 202, body: { duplicate: true } })
    await processedAll(server.url)
    expect((await list()).filter((x) => x.id === 'freeze-1').map((x) => x.text)).toEqual(['code freeze'])
  })

  it('bad input: a 4xx naming the problem, nothing appended', async () => {
    const head = await server.log.headOffset()
    const cases: [unknown, string | undefined, number, RegExp][] = [
      [{ at: '2026-07-03T00:00:00Z' }, undefined, 400, /text/],
      [{ text: 'x', at: 'yesterday' }, undefined, 400, /at/],
      [{ text: 'x', at: '2026-07-03T00:00:00Z', endAt: '2026-07-02T00:00:00Z' }, undefined, 400, /endAt/],
      [{ text: 'x', colour: 'red' }, undefined, 400, /colour/],
      [{ text: 'x', id: 'no spaces please' }, undefined, 400, /id/],
      [{ text: 'x', tags: 'one' }, undefined, 400, /tags/],
      ['{"text": "x"', undefined, 400, /JSON/],
      ['[1,2]', undefined, 400, /object/],
      [{ text: 'x' }, 'text/plain', 415, /application\/json/],
      [{ text: 'x'.repeat(70_000) }, undefined, 413, /64 KiB/],
    ]
    for (const [body, type, status, message] of cases) {
      const r = await call('POST', '/api/v1/annotations', { token: ADMIN, body, type })
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(status)
      expect(r.body.message).toMatch(message)
    }
    expect((await call('DELETE', '/api/v1/annotations/bad%20id', { token: ADMIN })).status).toBe(400)
    expect(await server.log.headOffset()).toBe(head)
  })

  it('DELETE (admin) takes one off the timeline through the log, also right after the POST (not processed yet)', async () => {
    const note = await call('POST', '/api/v1/annotations', { token: ADMIN, body: { id: 'oops', at: '2026-07-04T00:00:00Z', text: 'posted by mistake' } })
    expect(note.status).toBe(202)
    await processedAll(server.url)
    expect((await list()).map((x) => x.id)).toContain('oops')
    expect((await call('DELETE', '/api/v1/annotations/oops', { token: READ })).status).toBe(403)
    const del = await call('DELETE', '/api/v1/annotations/oops', { token: ADMIN })
    expect(del).toMatchObject({ status: 202, body: { id: 'annotation:oops:removed', duplicate: false, annotation: { id: 'oops', onTimeline: true } } })
    await processedAll(server.url)
    expect((await list()).map((x) => x.id)).not.toContain('oops')
    expect(await call('DELETE', '/api/v1/annotations/oops', { token: ADMIN })).toMatchObject({ status: 202, body: { duplicate: true } })
    expect(await call('DELETE', '/api/v1/annotations/never-was', { token: ADMIN })).toMatchObject({ status: 202, body: { annotation: { onTimeline: false } } })
    // Removed right after it was posted, before the processor saw either: still gone once both are processed.
    expect((await call('POST', '/api/v1/annotations', { token: ADMIN, body: { id: 'quick', at: '2026-07-04T00:00:00Z', text: 'quick' } })).status).toBe(202)
    expect((await call('DELETE', '/api/v1/annotations/quick', { token: ADMIN })).status).toBe(202)
    await processedAll(server.url)
    expect((await list()).map((x) => x.id)).not.toContain('quick')
  })

  it('POST /api/v1/replay (admin): one at a time, rebuilds the same tables and annotations, then the live processor goes on', async () => {
    const before = await dumpTables(server.db!)
    const annotations = await list()
    expect((await call('GET', '/api/v1/replay', { token: READ })).body).toMatchObject({ available: true, status: 'idle' })
    const [first, second] = await Promise.all([call('POST', '/api/v1/replay', { token: ADMIN }), call('POST', '/api/v1/replay', { token: ADMIN })])
    const statuses = [first.status, second.status].sort()
    expect(statuses).toEqual([202, 409])
    const started = first.status === 202 ? first : second
    expect(started.headers.get('location')).toBe('/api/v1/replay')
    expect(started.body.replay).toMatchObject({ status: 'running' })
    const done = await eventually(async () => {
      const s = (await call('GET', '/api/v1/replay', { token: READ })).body
      return s.status === 'running' ? undefined : s
    }, 60_000, 'the replay to finish')
    const events = (await server.log.read(0, 10_000)).length // offsets may have gaps (a conflicting insert takes one)
    expect(done).toMatchObject({ status: 'succeeded', error: null, result: { events } })
    expect(await dumpTables(server.db!)).toEqual(before)
    expect(await list()).toEqual(annotations)
    // freeze-1 (07-03 → 07-05, every service) holds D4 (07-03 12:00), a failed one (METRICS.md §14).
    expect((await call('GET', `/api/v1/metrics?${Q}`, { token: READ })).body.rows).toEqual([approx({ ...EXPECTED_CHECKOUT_ROW, freezeDeployments: 1, freezeFailedDeployments: 1 })])
    // The live processor resumed from the replay's offset: a new annotation is processed.
    expect((await call('POST', '/api/v1/annotations', { token: ADMIN, body: { id: 'after-replay', at: '2026-07-06T00:00:00Z', text: 'after' } })).status).toBe(202)
    await processedAll(server.url)
    expect((await list()).map((x) => x.id)).toContain('after-replay')
  })
})

describe('a replay from the API interrupted by a stop', () => {
  it('stops promptly (SIGTERM must not wait for a replay); the next start rebuilds the same tables from offset 0', async () => {
    const config = scenarioConfig()
    let server = await startTestServer(config)
    try {
      for (const d of scenarioDeliveries()) expect((await send(server.url, d)).status).toBe(202)
      await processedAll(server.url)
      const before = await dumpTables(server.db!)
      // No token configured: admin routes from loopback only, which this is.
      expect((await fetch(`${server.url}/api/v1/replay`, { method: 'POST' })).status).toBe(202)
      await server.stop()
      server = await startTestServer(config)
      await processedAll(server.url)
      expect(await dumpTables(server.db!)).toEqual(before)
      expect((await (await fetch(`${server.url}/api/v1/metrics?${Q}`)).json()).rows).toEqual([approx(EXPECTED_CHECKOUT_ROW)])
    } finally {
      await server.stop()
    }
  })
})
