import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Db } from '../../clickhouse/client.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { seedFromEvents } from '../helpers/seed.ts'
import { CHECKOUT, config, deploy, pd, sha } from '../project/builders.ts'
import { openTestDb } from '../helpers/clickhouse.ts'

/**
 * METRICS.md §9: failure, rollback, rework and recovery are properties of the
 * whole event set, not of the query period.
 */
describe('§9 figures over periods: properties of the whole event set', () => {
  const cfg = config(CHECKOUT)
  let db: Db
  beforeAll(async () => {
    db = await openTestDb({ prefix: 'whole-' })
    await seedFromEvents(db, cfg, [
      deploy({ id: 1, sha: sha(1), at: '2026-01-20T10:00:00' }),
      deploy({ id: 2, sha: sha(2), at: '2026-01-31T22:00:00' }),
      // Rolled back on 1 February: the January deployment is failed, recovered after 3 h.
      deploy({ id: 3, sha: sha(1), at: '2026-02-01T01:00:00' }),
      // An incident in February attributed (window) to the rollback deployment of February.
      pd({ id: 'Q1', transition: 'triggered', at: '2026-02-01T05:00:00' }),
      pd({ id: 'Q1', transition: 'resolved', at: '2026-02-01T06:00:00' }),
    ])
  })
  afterAll(async () => db?.close())

  it('a deployment on 31 January rolled back on 1 February is a failed deployment of January', async () => {
    const jan = await computeMetrics(db, cfg, { from: '2026-01-01', to: '2026-02-01' })
    expect(jan.rows[0]).toMatchObject({ deployments: 2, failedDeployments: 1, changeFailureRate: 0.5, reworkDeployments: 0, incidents: 0 })
    expect(jan.rows[0]!.failedDeploymentRecoverySeconds).toEqual({ count: 1, median: 10800, p90: 10800, mean: 10800 })
    const feb = await computeMetrics(db, cfg, { from: '2026-02-01', to: '2026-03-01' })
    // February: the rollback (rework) is failed itself by the window incident 4 h later, recovered at its resolve (5 h).
    expect(feb.rows[0]).toMatchObject({ deployments: 1, failedDeployments: 1, reworkDeployments: 1, reworkRate: 1, incidents: 1 })
    expect(feb.rows[0]!.failedDeploymentRecoverySeconds).toEqual({ count: 1, median: 18000, p90: 18000, mean: 18000 })
  })

  it('a period with no deployments has null change failure and rework rates', async () => {
    const mar = await computeMetrics(db, cfg, { from: '2026-02-02', to: '2026-03-01' })
    expect(mar.rows).toEqual([])
    const withIncident = await computeMetrics(db, cfg, { from: '2026-02-01T04:00:00Z', to: '2026-02-02' })
    expect(withIncident.rows[0]).toMatchObject({ deployments: 0, changeFailureRate: null, reworkRate: null, incidents: 1 })
  })
})
