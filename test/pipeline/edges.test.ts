import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS, migrate } from '../../clickhouse/migrations.ts'
import type { Config } from '../../config/schema.ts'
import { eventually, githubDelivery, pagerdutyDelivery, pagerdutyPayload, processedAll, pullRequestMergedPayload, pushPayload, send } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET, REPO, SHA } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'

describe('pipeline edges: dead letters, API tokens, migrations', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const TOKEN = 'api-token-for-tests'

  beforeAll(async () => {
    config = scenarioConfig()
    config.api.tokens = ['old-token', TOKEN]
    server = await startTestServer(config)
  })
  afterAll(async () => server?.stop())

  it('a well-signed event that cannot be parsed goes to dead_letters with the reason; the stream goes on', async () => {
    const poison = pushPayload({ repo: REPO, before: SHA.A, after: SHA.B, commits: [] }) as Record<string, unknown>
    poison.commits = 'not-an-array'
    expect((await send(server.url, githubDelivery('push', poison, GITHUB_SECRET, 'poison-1'))).status).toBe(202)
    const good = pushPayload({ repo: REPO, before: '0'.repeat(40), after: SHA.A, commits: [{ id: 'c1'.padEnd(40, '1'), timestamp: '2026-07-01T08:00:00Z' }] })
    expect((await send(server.url, githubDelivery('push', good, GITHUB_SECRET, 'good-1'))).status).toBe(202)
    const dead = await eventually(async () => {
      const rows = await server.db!.query<{ envelope_id: string; reason: string }>('SELECT envelope_id, reason FROM dead_letters')
      const facts = await server.db!.query<{ n: string }>("SELECT count() AS n FROM facts WHERE envelope_id = 'github:good-1'")
      const committed = await server.log.committedOffset(config.processor.group)
      return rows.length === 1 && Number(facts[0]!.n) === 1 && committed === 2 ? rows : undefined
    }, 30_000, 'the poison event in dead_letters and the good one processed')
    expect(dead[0]!.envelope_id).toBe('github:poison-1')
    expect(dead[0]!.reason).toMatch(/commits/)
  })

  it('dates ClickHouse cannot store (years past 9999, before 0001) are dead letters, not a stalled processor', async () => {
    const far = '+275760-09-13T00:00:00.000Z' // Date.parse accepts it; DateTime64's text form cannot hold it
    const commitFar = pushPayload({ repo: REPO, before: SHA.A, after: SHA.C, commits: [{ id: 'f1'.padEnd(40, 'f'), timestamp: far }] })
    const pushedFar = pushPayload({ repo: REPO, before: SHA.A, after: SHA.D, commits: [] }) as Record<string, any>
    delete pushedFar.head_commit
    pushedFar.repository = { ...pushedFar.repository, pushed_at: 1e13 } // unix seconds, year ≈ 318857
    const pdFar = pagerdutyPayload({ eventId: 'far-1', type: 'incident.triggered', incidentId: 'QFAR', service: 'PCHECK', occurredAt: '-000100-01-01T00:00:00.000Z' })
    expect((await send(server.url, githubDelivery('push', commitFar, GITHUB_SECRET, 'far-commit'))).status).toBe(202)
    expect((await send(server.url, githubDelivery('push', pushedFar, GITHUB_SECRET, 'far-pushed'))).status).toBe(202)
    expect((await send(server.url, pagerdutyDelivery(pdFar, PAGERDUTY_SECRET))).status).toBe(202)
    await processedAll(server.url, 30_000)
    const dead = await server.db!.query<{ envelope_id: string; reason: string }>(
      "SELECT envelope_id, reason FROM dead_letters WHERE envelope_id IN ('github:far-commit', 'github:far-pushed', 'pagerduty:far-1') ORDER BY envelope_id",
    )
    expect(dead.map((d) => d.envelope_id)).toEqual(['github:far-commit', 'github:far-pushed', 'pagerduty:far-1'])
    for (const d of dead) expect(d.reason).toMatch(/out of range/)
  })

  it('numbers a UInt64 column cannot take (PR number -1, 1.5, 1e300) are dead letters, not a stalled processor', async () => {
    const ids: string[] = []
    for (const [i, n] of [-1, 1.5, 1e300].entries()) {
      const pr = pullRequestMergedPayload({ repo: REPO, number: 1, createdAt: '2026-07-01T08:00:00Z', mergedAt: '2026-07-01T09:00:00Z', mergeCommitSha: SHA.C }) as Record<string, any>
      pr.number = n
      pr.pull_request = { ...pr.pull_request, number: n }
      ids.push(`github:bad-number-${i}`)
      expect((await send(server.url, githubDelivery('pull_request', pr, GITHUB_SECRET, `bad-number-${i}`))).status).toBe(202)
    }
    await processedAll(server.url, 30_000)
    const dead = await server.db!.query<{ envelope_id: string; reason: string }>('SELECT envelope_id, reason FROM dead_letters WHERE envelope_id IN {ids:Array(String)} ORDER BY envelope_id', { ids })
    expect(dead.map((d) => d.envelope_id)).toEqual(ids)
    for (const d of dead) expect(d.reason).toMatch(/pull_request.number must be a positive whole number/)
  })

  it('lone surrogates (\\uD800 escapes: valid JSON, not Unicode) are stored as U+FFFD, not a stalled processor', async () => {
    // JSON.stringify writes a lone surrogate as its \\u escape, as a sender's JSON encoder may.
    const body = JSON.stringify({ kind: 'deployment', id: 'lone\ud800', service: 'svc\udfff', environment: 'production', sha: 'abcdef1', deployedAt: '2026-07-09T00:00:00Z' })
    expect(body).toContain('\\ud800')
    const events = await fetch(`${server.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${config.events.tokens[0] ?? ''}` }, body })
    expect(events.status).toBe(202)
    const push = pushPayload({ repo: REPO, before: SHA.C, after: SHA.D, commits: [{ id: 'e1'.padEnd(40, 'e'), timestamp: '2026-07-09T00:00:00Z', message: 'fix \udc00 bug' }] })
    expect((await send(server.url, githubDelivery('push', push, GITHUB_SECRET, 'lone-push'))).status).toBe(202)
    await processedAll(server.url, 30_000)
    const rows = await server.db!.query<{ id: string; service: string }>("SELECT id, service FROM deployments WHERE id LIKE 'generic:lone%'")
    expect(rows).toEqual([{ id: 'generic:lone\ufffd', service: 'svc\ufffd' }])
    const facts = await server.db!.query<{ body: string }>("SELECT body FROM facts WHERE envelope_id = 'github:lone-push'")
    expect(JSON.parse(facts[0]!.body).commits[0].message).toBe('fix \ufffd bug')
  })

  it('operators see the dead letters: GET /api/v1/dead-letters (reasons, no payloads) and a Prometheus counter', async () => {
    await processedAll(server.url, 30_000)
    const inTable = await server.db!.query<{ envelope_id: string }>('SELECT envelope_id FROM dead_letters FINAL')
    expect(inTable.length).toBeGreaterThanOrEqual(7) // the poison push, three far dates, three bad numbers
    const res = await fetch(`${server.url}/api/v1/dead-letters?limit=2`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { total: number; deadLetters: Record<string, unknown>[] }
    expect(body.total).toBe(inTable.length)
    expect(body.deadLetters).toHaveLength(2)
    for (const d of body.deadLetters) {
      expect(Object.keys(d).sort()).toEqual(['envelopeId', 'envelopeType', 'logOffset', 'reason', 'reasonCode', 'recordedAt'])
      expect(d.reason).toEqual(expect.any(String))
    }
    const all = (await (await fetch(`${server.url}/api/v1/dead-letters`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as typeof body
    expect(all.deadLetters.find((d) => d.envelopeId === 'github:poison-1')?.reason).toMatch(/commits/)
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(Number(/^doraflow_processor_envelopes_total\{outcome="dead_letter"\} (\d+)$/m.exec(metrics)?.[1])).toBe(inTable.length)
    expect((await fetch(`${server.url}/api/v1/dead-letters`)).status).toBe(401)
  })

  it('api.tokens: /api needs a bearer token, any of several; a wrong one is 401 with a JSON message', async () => {
    const url = `${server.url}/api/v1/metrics?from=2026-07-01&to=2026-07-08`
    const none = await fetch(url)
    expect(none.status).toBe(401)
    expect(((await none.json()) as { message: string }).message).toMatch(/Bearer/)
    expect((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status).toBe(401)
    expect((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    expect((await fetch(url, { headers: { authorization: 'Bearer old-token' } })).status).toBe(200)
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200) // health stays open for probes
  })

  it('bad query parameters are 400 naming the parameter, never 500', async () => {
    const h = { authorization: `Bearer ${TOKEN}` }
    for (const [q, name] of [
      ['tz=Mars/Base', 'tz'],
      ['from=yesterday', 'from'],
      ['bucket=fortnight', 'bucket'],
      ['groupBy=planet', 'groupBy'],
      ['from=2026-07-08&to=2026-07-01', 'from'],
    ] as const) {
      const res = await fetch(`${server.url}/api/v1/metrics?${q}`, { headers: h })
      expect(res.status, q).toBe(400)
      expect(((await res.json()) as { message: string }).message).toContain(name)
    }
    expect((await fetch(`${server.url}/api/v1/deployments?limit=-1`, { headers: h })).status).toBe(400)
  })

  it('other tools: our JSON and CDEvents deployments and incidents, with an explicit sha link and recovery', async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    const sha = 'e'.repeat(40)
    expect((await post({ kind: 'deployment', id: 'L1', service: 'ledger', team: 'finance', environment: 'PROD', sha, deployedAt: '2026-07-10T10:00:00Z' })).status).toBe(202)
    expect((await post({ kind: 'incident', id: 'INC-9', service: 'ledger', status: 'detected', at: '2026-07-12T10:00:00Z', title: 'ledger drift', sha })).status).toBe(202)
    expect((await post({ kind: 'incident', id: 'INC-9', service: 'ledger', status: 'resolved', at: '2026-07-12T10:30:00.500Z' })).status).toBe(202)
    const cd = (type: string, id: string, timestamp: string, content: Record<string, unknown>, subject = 'payments-api') =>
      post({ context: { specversion: '0.5.0', id, source: '/ci', type, timestamp }, subject: { id: subject, source: '/ci', content } })
    expect((await cd('dev.cdevents.service.deployed.0.3.0', 'cd-1', '2026-07-10T09:00:00Z', { environment: { id: 'production' }, artifactId: 'pkg:oci/pay@sha256:abc' })).status).toBe(202)
    expect((await cd('dev.cdevents.incident.detected.0.3.0', 'cd-2', '2026-07-10T09:30:00Z', { description: 'errors', environment: { id: 'production' }, service: { id: 'payments-api' } }, 'incident-1')).status).toBe(202)
    expect((await cd('dev.cdevents.incident.resolved.0.3.0', 'cd-2', '2026-07-10T10:00:00Z', { environment: { id: 'production' }, service: { id: 'payments-api' } }, 'incident-1')).status).toBe(202)

    const h = { authorization: `Bearer ${TOKEN}` }
    await processedAll(server.url)
    const { deployments } = (await (await fetch(`${server.url}/api/v1/deployments?from=2026-07-10&to=2026-07-11`, { headers: h })).json()) as { deployments: Record<string, any>[] }
    // INC-9 names L1's sha in its own field: explicit link despite being 48 h later; resolved 10:30:00.5 on the 12th.
    expect(deployments.find((d) => d.id === 'generic:L1')).toMatchObject({ service: 'ledger', team: 'finance', failureCauses: ['incident:generic:INC-9'], recoverySeconds: 174600.5 })
    // The CDEvents incident starts 30 min after the CDEvents deployment: inside the 24 h window.
    expect(deployments.find((d) => d.service === 'payments-api')).toMatchObject({ version: 'pkg:oci/pay@sha256:abc', failureCauses: ['window:cdevents:incident-1'], recoverySeconds: 3600 })
  })

  it('migrations are idempotent: applying them again does nothing', async () => {
    expect(await migrate(server.db!)).toEqual([])
  })

  it('every migration has a version of its own, in order (a database that has one "5" would skip the other)', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect(versions).toEqual(versions.map((_, i) => i + 1))
  })
})
