import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db } from '../../clickhouse/client.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'
import { parseConfigText } from '../../config/load.ts'
import type { LoggedEnvelope } from '../../contracts/envelope.ts'
import { processEnvelopes } from '../../processors/processor.ts'
import { dumpTables } from '../helpers/dump.ts'
import { githubEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'
import { deploymentStatusPayload, githubDelivery, pagerdutyDelivery, pagerdutyPayload, type Delivery } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET, REPO, SCENARIO_CONFIG_YAML, SHA, scenarioDeliveries } from '../helpers/scenario.ts'
import { openTestDb, truncateTables } from '../helpers/clickhouse.ts'

function envelopeOf(d: Delivery) {
  const body = JSON.parse(d.body)
  return d.path === '/webhooks/github' ? githubEnvelope(d.headers['x-github-event']!, body, d.headers['x-github-delivery']) : pagerdutyEnvelope(body)
}

/** Counts what reaches ClickHouse: DELETE statements and rows inserted into derived tables. */
function counting(db: Db) {
  const c = { deletes: 0, inserted: 0 }
  const derived = new Set<string>(DERIVED_TABLES)
  const wrapped: Db = {
    ...db,
    command: (sql, params) => {
      if (/^\s*DELETE/i.test(sql)) c.deletes++
      return db.command(sql, params)
    },
    insert: (table, rows) => {
      if (derived.has(table)) c.inserted += rows.length
      return db.insert(table, rows)
    },
  }
  return { c, db: wrapped }
}

/**
 * The live sink writes only what changed (replaceServices compares the
 * services' current rows with the new projection). Its end state must be the
 * one a full replacement gives: after every batch of a sequence that makes a
 * deployment failed later, reopens an incident, and moves an incident to
 * another service (its rows vanish from the first), the tables equal those of
 * processing the same prefix in one batch on empty tables.
 */
describe('the diffing sink equals a full replacement after every batch', () => {
  const config = parseConfigText(`${SCENARIO_CONFIG_YAML}
  - name: billing
    team: payments
    pagerdutyServices: [PBILL]
`, { GH_SECRET: GITHUB_SECRET, PD_SECRET: PAGERDUTY_SECRET })
  const dir = mkdtempSync(join(tmpdir(), 'sink-diff-'))
  config.clickhouse.path = join(dir, 'ch')
  const gh = (event: string, payload: unknown) => githubDelivery(event, payload, GITHUB_SECRET)
  const pdd = (p: Parameters<typeof pagerdutyPayload>[0]) => pagerdutyDelivery(pagerdutyPayload(p), PAGERDUTY_SECRET)
  const deliveries = [
    ...scenarioDeliveries(),
    // A new production deployment…
    gh('deployment_status', deploymentStatusPayload({ repo: REPO, deploymentId: 107, statusId: 1009, state: 'success', environment: 'production', sha: SHA.D, at: '2026-07-06T09:00:00Z' })),
    // …that becomes failed later, when an incident starts within the window,
    pdd({ eventId: 'F1', type: 'incident.triggered', incidentId: 'Q2', service: 'PCHECK', occurredAt: '2026-07-06T10:00:00.000Z', createdAt: '2026-07-06T10:00:00Z', title: 'Checkout errors' }),
    pdd({ eventId: 'F2', type: 'incident.resolved', incidentId: 'Q2', service: 'PCHECK', occurredAt: '2026-07-06T11:00:00.000Z' }),
    // is reopened,
    pdd({ eventId: 'F3', type: 'incident.reopened', incidentId: 'Q2', service: 'PCHECK', occurredAt: '2026-07-06T12:00:00.000Z', createdAt: '2026-07-06T10:00:00Z', title: 'Checkout errors' }),
    // and moves to billing: its rows vanish from checkout.
    pdd({ eventId: 'F4', type: 'incident.acknowledged', incidentId: 'Q2', service: 'PBILL', occurredAt: '2026-07-06T12:30:00.000Z' }),
    pdd({ eventId: 'F5', type: 'incident.resolved', incidentId: 'Q2', service: 'PBILL', occurredAt: '2026-07-06T13:00:00.000Z' }),
  ]
  const envelopes: LoggedEnvelope[] = deliveries.map((d, i) => ({ offset: i + 1, envelope: envelopeOf(d) }))
  let db: Db
  const reset = () => truncateTables(db)

  beforeAll(async () => {
    db = await openTestDb({ prefix: 'sink-diff-' })
  })
  afterAll(async () => db?.close())

  it('one envelope per batch, in log order: equal to the full replacement after each', async () => {
    const expected: Record<string, string[]>[] = []
    for (let k = 1; k <= envelopes.length; k++) {
      await reset()
      await processEnvelopes(envelopes.slice(0, k), db, config)
      expected.push(await dumpTables(db))
    }
    // The sequence does what it says: Q2 ends in billing and was reopened; checkout keeps no row of it.
    const last = expected.at(-1)!
    expect(last.incidents!.some((r) => r.includes('"id":"pagerduty:Q2"') && r.includes('"_s":"billing"'))).toBe(true)
    expect(last.incidents!.some((r) => r.includes('"id":"pagerduty:Q2"') && r.includes('"_s":"checkout"'))).toBe(false)
    const failedByQ2 = (t: Record<string, string[]>) => t.deployments!.some((r) => r.includes('"id":"github:acme/checkout#107"') && r.includes('"failed":1') && r.includes('pagerduty:Q2'))
    const reopened = (t: Record<string, string[]>) => t.incidents!.some((r) => r.includes('"id":"pagerduty:Q2"') && r.includes('"reopen_count":1'))
    expect(expected.map((t) => (failedByQ2(t) ? 'F' : '.') + (reopened(t) ? 'R' : '.')).slice(-6)).toEqual(['..', 'F.', 'F.', 'FR', '.R', '.R'])

    await reset()
    const { c, db: counted } = counting(db)
    for (let k = 1; k <= envelopes.length; k++) {
      await processEnvelopes([envelopes[k - 1]!], counted, config)
      expect(await dumpTables(db), `after envelope ${k}`).toEqual(expected[k - 1])
    }
    expect(c.deletes).toBeGreaterThan(0) // the sequence did change rows in place
  }, 300_000)

  it('a batch that changes nothing writes nothing (the rows read back compare equal to the rows built)', async () => {
    await reset()
    await processEnvelopes(envelopes, db, config)
    const before = await dumpTables(db)
    const { c, db: counted } = counting(db)
    await processEnvelopes(envelopes, counted, config)
    await processEnvelopes(envelopes.slice(3, 9), counted, config)
    expect(c).toEqual({ deletes: 0, inserted: 0 })
    expect(await dumpTables(db)).toEqual(before)
  }, 120_000)

  it('a new deployment inserts its rows and rewrites only the groups it changes', async () => {
    await reset()
    const upTo = envelopes.findIndex((e) => e.envelope.id.includes('github') && JSON.stringify(e.envelope).includes('"id\\":1009'))
    expect(upTo).toBeGreaterThan(0)
    await processEnvelopes(envelopes.slice(0, upTo), db, config)
    const rowsBefore = Object.values(await dumpTables(db)).reduce((n, r) => n + r.length, 0)
    const { c, db: counted } = counting(db)
    await processEnvelopes([envelopes[upTo]!], counted, config)
    // Far fewer rows written than a replacement of the service would write.
    expect(c.inserted).toBeGreaterThan(0)
    expect(c.inserted).toBeLessThan(rowsBefore / 2)
  }, 120_000)
})
