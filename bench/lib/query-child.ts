/**
 * Query benchmark: the derived tables seeded directly (INSERT … SELECT over
 * numbers(), through the client) with a year of data for `services` services,
 * then GET /api/v1/metrics (groupBy=service, bucket=month, over the year) via
 * the real API router, vs one hand-written SQL aggregation on the same tables;
 * and the quarterly report when the reports module is there.
 */
import express from 'express'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApiRouter } from '../../api/router.ts'
import { openClickHouse } from '../../clickhouse/client.ts'
import { migrate } from '../../clickhouse/migrations.ts'
import { parseConfig } from '../../config/load.ts'

const o = JSON.parse(process.argv[2]!) as { services: number; deployments: number; changes: number; incidents: number; failedAttempts: number; runs: number }
const dir = mkdtempSync(join(tmpdir(), 'doraflow-bench-query-'))
const config = parseConfig({ clickhouse: { path: dir }, metrics: { timezone: 'UTC' } })
const db = await openClickHouse(config.clickhouse)
await migrate(db)

const S = o.services
const start = "toDateTime64('2025-01-01 00:00:00', 3, 'UTC')"
const inYear = (salt: number) => `${start} + toIntervalMillisecond(cityHash64(number, ${salt}) % ${365 * 86_400_000})`
const svc = `concat('svc-', leftPad(toString(number % ${S}), 5, '0'))`
const team = `concat('team-', leftPad(toString((number % ${S}) % 60), 2, '0'))`
const t0 = performance.now()
await db.command(`INSERT INTO deployments
  SELECT concat('github:dep#', toString(number)) AS id, ${svc} AS service, ${team} AS team, 'github' AS origin, 'org/repo' AS repo,
    'production' AS environment, substring(hex(cityHash64(number)), 1, 12) AS version, lower(hex(cityHash64(number, 2))) AS sha, NULL AS artifact,
    ${inYear(3)} AS deployed_at, NULL AS url, NULL AS previous_id,
    cityHash64(number, 4) % 25 = 0 AS is_rollback, cityHash64(number, 5) % 7 = 0 AS failed, [] AS failure_causes,
    cityHash64(number, 6) % 11 = 0 AS rework, [] AS rework_causes, NULL AS recovered_at,
    if(cityHash64(number, 5) % 7 = 0 AND cityHash64(number, 7) % 4 != 0, toFloat64(cityHash64(number, 8) % 200000), NULL) AS recovery_seconds,
    10 AS change_count, [] AS incident_ids
  FROM numbers(${o.deployments})`)
await db.command(`INSERT INTO changes
  SELECT ${svc} AS service, ${team} AS team, concat('github:dep#', toString(number % ${o.deployments})) AS deployment_id, ${inYear(9)} AS deployed_at,
    'org/repo' AS repo, lower(hex(cityHash64(number, 10))) AS sha, deployed_at - toIntervalSecond(cityHash64(number, 11) % 1000000) AS committed_at,
    toFloat64(cityHash64(number, 11) % 1000000) - if(cityHash64(number, 12) % 500 = 0, 2000000, 0) AS lead_time_seconds,
    'feat: change' AS message, NULL AS url, 'dev' AS author
  FROM numbers(${o.changes})`)
await db.command(`INSERT INTO incidents
  SELECT concat('pagerduty:INC', toString(number)) AS id, ${svc} AS service, ${team} AS team, 'pagerduty' AS origin, 'Latency' AS title, NULL AS url,
    ${inYear(13)} AS started_at, NULL AS acknowledged_at, NULL AS resolved_at,
    if(cityHash64(number, 14) % 10 = 0, NULL, toFloat64(cityHash64(number, 15) % 50000)) AS restore_seconds, 120 AS acknowledge_seconds,
    'high' AS urgency, NULL AS priority, if(restore_seconds IS NULL, 'open', 'resolved') AS status, 0 AS reopen_count, 'none' AS link_kind, [] AS deployment_ids
  FROM numbers(${o.incidents})`)
await db.command(`INSERT INTO failed_attempts
  SELECT concat('fa', toString(number)) AS id, ${svc} AS service, ${team} AS team, 'github:dep#0' AS deployment_id, 'production' AS environment, 'failure' AS state, ${inYear(16)} AS at
  FROM numbers(${o.failedAttempts})`)
for (const t of ['deployments', 'changes', 'incidents', 'failed_attempts']) await db.command(`OPTIMIZE TABLE ${t} FINAL`)
const seedSeconds = (performance.now() - t0) / 1000

const app = express()
app.use(createApiRouter({ config, db }))
const server = await new Promise<import('node:http').Server>((ok) => {
  const s = app.listen(0, '127.0.0.1', () => ok(s))
})
const port = (server.address() as { port: number }).port
const url = `http://127.0.0.1:${port}/api/v1/metrics?from=2025-01-01&to=2026-01-01&groupBy=service&bucket=month`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function timed<T>(f: () => Promise<T>): Promise<{ ms: number[]; last: T }> {
  await f() // warm-up (file cache, SQL cache)
  const ms: number[] = []
  let last!: T
  for (let i = 0; i < o.runs; i++) {
    const t = performance.now()
    last = await f()
    ms.push(performance.now() - t)
  }
  return { ms, last }
}

const api = await timed(async () => {
  const r = await fetch(url)
  if (!r.ok) throw new Error(`metrics answered ${r.status}: ${await r.text()}`)
  return (await r.json()) as { rows: { deployments: number; leadTimeSeconds: { count: number }; incidents: number }[] }
})

// The ceiling: the same figures per (service, team, month) as ONE statement, no Node-side merging.
const P = { from: '2025-01-01 00:00:00.000', to: '2026-01-01 00:00:00.000', tz: 'UTC' }
const W = (col: string) => `${col} >= {from:DateTime64(3, 'UTC')} AND ${col} < {to:DateTime64(3, 'UTC')}`
const CEILING = `
SELECT service, team, bucket,
  d.deployments, d.failed_deployments, d.rework_deployments, d.recovery_count, d.recovery_median, d.recovery_p90, d.recovery_mean,
  c.lead_count, c.lead_median, c.lead_p90, c.lead_mean, f.failed_attempts,
  i.incidents, i.restore_count, i.restore_median, i.restore_p90, i.restore_mean
FROM (
  SELECT service, team, toStartOfMonth(deployed_at, {tz:String}) AS bucket, count() AS deployments, countIf(failed = 1) AS failed_deployments,
    countIf(rework = 1) AS rework_deployments, countIf(failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_count,
    quantileExactInclusiveIf(0.5)(recovery_seconds, failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_median,
    quantileExactInclusiveIf(0.9)(recovery_seconds, failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_p90,
    avgIf(recovery_seconds, failed = 1 AND recovery_seconds IS NOT NULL) AS recovery_mean
  FROM deployments WHERE ${W('deployed_at')} GROUP BY service, team, bucket) AS d
FULL OUTER JOIN (
  SELECT service, team, toStartOfMonth(deployed_at, {tz:String}) AS bucket, count() AS lead_count,
    quantileExactInclusive(0.5)(greatest(lead_time_seconds, 0)) AS lead_median, quantileExactInclusive(0.9)(greatest(lead_time_seconds, 0)) AS lead_p90,
    avg(greatest(lead_time_seconds, 0)) AS lead_mean
  FROM changes WHERE ${W('deployed_at')} GROUP BY service, team, bucket) AS c USING (service, team, bucket)
FULL OUTER JOIN (
  SELECT service, team, toStartOfMonth(at, {tz:String}) AS bucket, count() AS failed_attempts
  FROM failed_attempts WHERE ${W('at')} GROUP BY service, team, bucket) AS f USING (service, team, bucket)
FULL OUTER JOIN (
  SELECT service, team, toStartOfMonth(started_at, {tz:String}) AS bucket, count() AS incidents, countIf(restore_seconds IS NOT NULL) AS restore_count,
    quantileExactInclusive(0.5)(restore_seconds) AS restore_median, quantileExactInclusive(0.9)(restore_seconds) AS restore_p90, avg(restore_seconds) AS restore_mean
  FROM incidents WHERE ${W('started_at')} GROUP BY service, team, bucket) AS i USING (service, team, bucket)
ORDER BY service, team, bucket`
const ceiling = await timed(() => db.query<Record<string, unknown>>(CEILING, P))

// Same figures both ways (sanity): totals over all rows.
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const apiTotals = { deployments: sum(api.last.rows.map((r) => r.deployments)), changes: sum(api.last.rows.map((r) => r.leadTimeSeconds.count)), incidents: sum(api.last.rows.map((r) => r.incidents)) }
const ceilTotals = { deployments: sum(ceiling.last.map((r) => Number(r.deployments ?? 0))), changes: sum(ceiling.last.map((r) => Number(r.lead_count ?? 0))), incidents: sum(ceiling.last.map((r) => Number(r.incidents ?? 0))) }

let quarterly: { ms: number[]; bytes: number } | { unavailable: string }
try {
  const reportModule = '../../reports/quarterly/index.ts' // resolved at run time: the reports may not exist in every checkout
  const mod = (await import(reportModule)) as { quarterlyReport?: (db: unknown, config: unknown, opts: Record<string, unknown>) => Promise<string> }
  if (!mod.quarterlyReport) throw new Error('reports/quarterly has no quarterlyReport()')
  const q = await timed(() => mod.quarterlyReport!(db, config, { quarter: '2025-Q3', format: 'html' }))
  quarterly = { ms: q.ms, bytes: q.last.length }
} catch (e) {
  quarterly = { unavailable: (e as Error).message.split('\n')[0]! }
}

server.close()
await db.close()
rmSync(dir, { recursive: true, force: true })
process.stdout.write(
  `${JSON.stringify({
    seed: { ...o, seconds: seedSeconds },
    api: { medianMs: median(api.ms), ms: api.ms, rows: api.last.rows.length, totals: apiTotals },
    ceiling: { medianMs: median(ceiling.ms), ms: ceiling.ms, rows: ceiling.last.length, totals: ceilTotals },
    same: JSON.stringify(apiTotals) === JSON.stringify(ceilTotals),
    quarterly: 'ms' in quarterly ? { medianMs: median(quarterly.ms), ms: quarterly.ms, bytes: quarterly.bytes } : quarterly,
  })}\n`,
)
