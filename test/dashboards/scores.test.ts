import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import { scoreSql, scoresSelect } from '../../dashboards/src/scores.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { openReportsDb, PERIOD, REALISTIC_CONFIG, seedRealistic } from '../sql-reports/seed.ts'
import { expandPanelSql } from './expand.ts'

/** The score SQL of the dashboard panel (§17): by hand at the bounds, and equal to the metrics answer's scores. */
let db: Db
beforeAll(async () => {
  db = await openReportsDb()
  await seedRealistic(db)
})
afterAll(async () => {
  await db?.close()
})

const one = async (sql: string, x: number | null) => (await db.query<{ s: number | null }>(`SELECT ${sql} AS s FROM (SELECT CAST(${x === null ? 'NULL' : x}, 'Nullable(Float64)') AS x)`))[0]!.s

describe('dashboard scores', () => {
  it('scoreSql by hand: a bound is the better answer; shares are 10 − 10 × rate; null stays null', async () => {
    expect(await Promise.all([3600, 3601, 86400, 86401, 15768001].map((x) => one(scoreSql('leadTime', 'x'), x)))).toEqual([10, 8, 8, 6, 0])
    expect(await Promise.all([0, 1 / 7, 1, 24].map((x) => one(scoreSql('deploymentFrequency', 'x'), x)))).toEqual([0, 6, 8, 10])
    expect(await one(scoreSql('changeFailure', 'x'), 0.25)).toBe(7.5)
    expect(await one(scoreSql('failedDeploymentRecovery', 'x'), null)).toBeNull()
  })

  it('the panel SQL gives the scores of GET /api/v1/metrics?groupBy=service on the seeded data', async () => {
    const variables = { team: { value: ['$__all'], options: ['core', 'payments', 'unassigned'] }, service: { value: ['$__all'], options: ['api-eu', 'api-us', 'checkout', 'ledger'] }, tz: { value: 'UTC', options: [] } }
    const sql = expandPanelSql(scoresSelect({ group_by: "'service'" }, ['service']), { fromMs: Date.parse(PERIOD.from), toMs: Date.parse(PERIOD.to), intervalMs: 6 * 3600_000, variables })
    const rows = await db.query<Record<string, number | string | null>>(`${sql} ORDER BY service`)
    const answer = await computeMetrics(db, REALISTIC_CONFIG, { ...PERIOD, tz: 'UTC', groupBy: 'service' })
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) {
      const m = answer.rows.find((x) => x.service === r.service)!
      for (const k of Object.keys(m.scores) as (keyof typeof m.scores)[]) {
        const v = r[k] === null ? null : Number(r[k])
        if (m.scores[k] === null) expect(v, `${r.service} ${k}`).toBeNull()
        else expect(v, `${r.service} ${k}`).toBeCloseTo(m.scores[k]!, 9)
      }
    }
  })
})
