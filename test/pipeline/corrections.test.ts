import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx, eventually, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'
import { partitionKey } from '../../sources/routing.ts'

/**
 * Corrections (METRICS.md §18) on a live serve holding the signed scenario (test/helpers/scenario.ts):
 * D1 #101 failed by issue #7 (explicit), D2 #102 by its rollback, D4 #104 by PagerDuty Q1 (window).
 * A correction posted before the events it names still applies; the latest one per target wins;
 * the records show who, why and when; a replay keeps them.
 */
const READ = 'read-token-0123456789'
const ADMIN = 'admin-token-9876543210'
const Q = 'from=2026-07-01&to=2026-07-08'
const D1 = 'github:acme/checkout#101'
const D4 = 'github:acme/checkout#104'
const Q1 = 'pagerduty:Q1'

describe('corrections through the API', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const call = (method: string, path: string, o: { token?: string; body?: unknown } = {}) =>
    fetch(`${server.url}${path}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))
  const row = async () => (await call('GET', `/api/v1/metrics?${Q}`, { token: READ })).body.rows[0]
  const deployment = async (id: string) => ((await call('GET', `/api/v1/deployments?${Q}`, { token: READ })).body.deployments as any[]).find((d) => d.id === id)
  const incident = async (id: string) => ((await call('GET', '/api/v1/incidents', { token: READ })).body.incidents as any[]).find((i) => i.id === id)

  beforeAll(async () => {
    config = scenarioConfig()
    config.api.tokens = [READ]
    config.api.adminTokens = [ADMIN]
    server = await startTestServer(config)
  })
  afterAll(async () => server?.stop())

  it('a correction posted before the events it names: accepted (known: false), and it applies once they arrive', async () => {
    const a = await call('POST', '/api/v1/corrections', { token: ADMIN, body: { id: 'q1-aws', incident: Q1, deployment: null, by: 'ana', reason: 'AWS eu-west-1 outage', at: '2026-07-04T09:00:00Z' } })
    expect(a.status).toBe(202)
    expect(a.body).toMatchObject({ accepted: true, duplicate: false, correction: { id: 'q1-aws', incident: Q1, deployment: null, failed: null, known: { incident: false, deployment: null } } })
    for (const d of scenarioDeliveries()) expect((await send(server.url, d)).status).toBe(202)
    await processedAll(server.url)
    // D4 is no longer failed: failed D1, D2 → 2/4; recovery [3600, 345600]: median 174600,
    // p90 3600 + 0.9 × 342000 = 311400, mean 174600. Q1 still counts in time to restore.
    expect(await row()).toMatchObject(approx({ failedDeployments: 2, changeFailureRate: 0.5, failedDeploymentRecoverySeconds: { count: 2, median: 174600, p90: 311400, mean: 174600 }, incidents: 2, timeToRestoreSeconds: EXPECTED_CHECKOUT_ROW.timeToRestoreSeconds }))
    expect(await deployment(D4)).toMatchObject({ failed: false, failureCauses: [], incidentIds: [], correction: null })
    expect(await incident(Q1)).toMatchObject({ linkKind: 'none', deploymentIds: [], restoreSeconds: 5400, correction: { id: 'q1-aws', kind: 'not_caused_by_change', by: 'ana', reason: 'AWS eu-west-1 outage', at: '2026-07-04T09:00:00Z' } })
  })

  it('a deployment corrected to not failed; the record keeps what was overruled; GET lists them newest first', async () => {
    const a = await call('POST', '/api/v1/corrections', { token: ADMIN, body: { id: 'd1-ok', deployment: D1, failed: false, by: 'ben', reason: 'issue 7 was a customer-side bug', at: '2026-07-06T09:00:00Z' } })
    expect(a.status).toBe(202)
    expect(a.body.correction.known).toEqual({ incident: null, deployment: true })
    await processedAll(server.url)
    // failed: D2 only → 1/4; recovery [3600]
    expect(await row()).toMatchObject({ failedDeployments: 1, changeFailureRate: 0.25, failedDeploymentRecoverySeconds: { count: 1, median: 3600, p90: 3600, mean: 3600 } })
    expect((await deployment(D1)).correction).toEqual({ id: 'd1-ok', kind: 'not_failed', by: 'ben', reason: 'issue 7 was a customer-side bug', at: '2026-07-06T09:00:00Z', overruled: ['incident:github:acme/checkout#7'] })
    const list = (await call('GET', '/api/v1/corrections', { token: READ })).body.corrections as any[]
    expect(list.map((c) => [c.id, c.effective])).toEqual([['d1-ok', true], ['q1-aws', true]])
  })

  it('the latest correction of a target wins: Q1 is then linked to D4 after all', async () => {
    expect((await call('POST', '/api/v1/corrections', { token: ADMIN, body: { id: 'q1-d4', incident: Q1, deployment: D4, by: 'ana', reason: 'the outage was ours after all', at: '2026-07-07T09:00:00Z' } })).status).toBe(202)
    await processedAll(server.url)
    // failed D2, D4 → 2/4; recovery [3600, 9000]: median 6300, p90 3600 + 0.9 × 5400 = 8460
    expect(await row()).toMatchObject(approx({ failedDeployments: 2, changeFailureRate: 0.5, failedDeploymentRecoverySeconds: { count: 2, median: 6300, p90: 8460, mean: 6300 } }))
    expect(await deployment(D4)).toMatchObject({ failed: true, failureCauses: [`incident:${Q1}`], recoverySeconds: 9000 })
    expect((await incident(Q1)).correction).toMatchObject({ id: 'q1-d4', kind: 'linked' })
    const list = (await call('GET', `/api/v1/corrections?incident=${encodeURIComponent(Q1)}`, { token: READ })).body.corrections as any[]
    expect(list.map((c) => [c.id, c.effective])).toEqual([['q1-d4', true], ['q1-aws', false]])
  })

  it('a replay keeps them: the same tables and figures', async () => {
    const before = await dumpTables(server.db!)
    expect((await call('POST', '/api/v1/replay', { token: ADMIN })).status).toBe(202)
    await eventually(async () => ((await call('GET', '/api/v1/replay', { token: READ })).body.status === 'succeeded' ? true : undefined), 60_000, 'the replay to finish')
    expect(await dumpTables(server.db!)).toEqual(before)
    expect((await row()).failedDeployments).toBe(2)
  })

  it('bad input: 400 naming the field, 415, 403 for a read token; the same id twice is stored once', async () => {
    const bad = async (body: unknown) => call('POST', '/api/v1/corrections', { token: ADMIN, body })
    expect((await bad({ incident: Q1, by: 'x', reason: 'r' })).body.message).toMatch(/deployment: with incident, give deployment/)
    expect((await bad({ incident: Q1, deployment: null, failed: true, by: 'x', reason: 'r' })).body.message).toMatch(/failed: failed goes with deployment alone/)
    expect((await bad({ deployment: D1, by: 'x', reason: 'r' })).body.message).toMatch(/failed: with deployment alone, give failed/)
    const noReason = await bad({ deployment: D1, failed: true, by: 'x', reason: ' ' })
    expect([noReason.status, noReason.body.message]).toEqual([400, expect.stringMatching(/reason: say why/)])
    expect((await bad({ deployment: D1, failed: 'yes', by: 'x', reason: 'r' })).status).toBe(400)
    expect((await bad('[1]')).status).toBe(400)
    // The envelope is keyed by its target's routing once that is known (Kafka: the service's partition); before, by `corrections`.
    const subjects = (await server.log.read(0, 10_000)).filter((e) => e.envelope.doraflowsource === 'correction').map((e) => [e.envelope.id, e.envelope.subject])
    expect(subjects).toEqual([['correction:q1-aws', 'corrections'], ['correction:d1-ok', 'github:acme/checkout'], ['correction:q1-d4', 'pagerduty:PCHECK']])
    expect(partitionKey({ doraflowsource: 'correction', subject: 'pagerduty:PCHECK' }, config)).toBe('service:checkout')
    expect(partitionKey({ doraflowsource: 'correction', subject: 'corrections' }, config)).toBe('corrections')
    const wrongType = await fetch(`${server.url}/api/v1/corrections`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'text/plain' }, body: '{}' })
    expect(wrongType.status).toBe(415)
    expect((await call('POST', '/api/v1/corrections', { token: READ, body: { deployment: D1, failed: true, by: 'x', reason: 'r' } })).status).toBe(403)
    const again = await bad({ id: 'd1-ok', deployment: D1, failed: false, by: 'ben', reason: 'issue 7 was a customer-side bug', at: '2026-07-06T09:00:00Z' })
    expect([again.status, again.body.duplicate]).toEqual([202, true])
  })
})
