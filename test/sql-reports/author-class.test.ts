import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { runReport } from '../../queries/library.ts'
import { change, config, deployment, openTestDb } from '../queries/helpers.ts'

/** The SQL report lead_time_by_author_class (§16), by hand, and its agreement with groupBy=authorClass. */
let db: Db
beforeAll(async () => {
  db = await openTestDb()
  await db.insert('deployments', [deployment({ id: 'D1', at: '2026-07-01T01:00Z', failed: true }), deployment({ id: 'D2', at: '2026-07-01T02:00Z' })])
  await db.insert('changes', [
    change({ deploymentId: 'D1', deployedAt: '2026-07-01T01:00Z', leadTimeSeconds: 3600, authorClass: 'human' }),
    change({ deploymentId: 'D1', deployedAt: '2026-07-01T01:00Z', leadTimeSeconds: 7200, authorClass: 'ai_assisted' }),
    change({ deploymentId: 'D1', deployedAt: '2026-07-01T01:00Z', leadTimeSeconds: 9000, authorClass: 'ai_assisted' }),
    change({ deploymentId: 'D2', deployedAt: '2026-07-01T02:00Z', leadTimeSeconds: 10800, authorClass: 'human' }),
    change({ deploymentId: 'D2', deployedAt: '2026-07-01T02:00Z', leadTimeSeconds: 600, authorClass: 'bot', inLeadTime: false }),
  ])
})
afterAll(async () => {
  await db?.close()
})

const PERIOD = { from: '2026-07-01T00:00:00Z', to: '2026-07-02T00:00:00Z' }

describe('lead_time_by_author_class', () => {
  it('shares, lead times and their deployments\' failure rate by hand', async () => {
    const res = await runReport(db, 'lead_time_by_author_class', PERIOD, { config: config() })
    expect(res.rows.map((r) => [r.author_class, r.changes, r.change_share, r.lead_time_count, r.lead_time_median_seconds, r.deployments, r.failed_deployments, r.change_failure_rate])).toEqual([
      ['ai_assisted', 2, 2 / 5, 2, 8100, 1, 1, 1], // median of 7200 and 9000; both in D1 (failed)
      ['bot', 1, 1 / 5, 0, null, 1, 0, 0], // excluded from lead time; D2
      ['human', 2, 2 / 5, 2, 7200, 2, 1, 0.5], // 3600 and 10800; D1 and D2
    ])
  })

  it('agrees with GET /api/v1/metrics?groupBy=authorClass', async () => {
    const a = await computeMetrics(db, config(), { ...PERIOD, groupBy: 'authorClass' })
    const res = await runReport(db, 'lead_time_by_author_class', PERIOD, { config: config() })
    expect(a.rows.map((r) => [r.authorClass, r.changes, r.changeShare, r.leadTimeSeconds.median, r.deployments, r.changeFailureRate])).toEqual(
      res.rows.map((r) => [r.author_class, r.changes, r.change_share, r.lead_time_median_seconds, r.deployments, r.change_failure_rate]),
    )
  })
})
