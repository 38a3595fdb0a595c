import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../clickhouse/client.ts'
import { tierThresholdsOf, type Config } from '../config/schema.ts'
import { bucketSpans, chInstant, resolveQuery, type Bucket, type BucketSpan, type GroupBy, type MetricsQuery, type ResolvedQuery } from './periods.ts'
import type { AuthorClass } from '../contracts/records.ts'
import { chosenBenchmarks, scoresOf, type BenchmarkComparison, type Scores } from './scores.ts'
import { tiersOf, type Tiers } from './tiers.ts'
import { num, statsOf as stats, type Stats } from './stats.ts'
import { RELEASE_SQL_NAMES, releaseFields, staleFlags, type ReleaseFields } from './release-metrics.ts'

export { metricsQuerySchema, type MetricsQuery } from './periods.ts'

/**
 * The metrics answer (METRICS.md §8) computed from the derived tables. Four
 * aggregate queries (queries/metrics/*.sql), one per source table, grouped by
 * (group, bucket); merged here, gaps filled with zeros, tiers added.
 */

export type { Stats } from './stats.ts'

export interface MetricsRow {
  service?: string
  team?: string
  /** groupBy=authorClass only (§16): the class, its changes and their share of all changes in the bucket. */
  authorClass?: AuthorClass
  changes?: number
  changeShare?: number | null
  bucketStart: string | null
  deployments: number
  deploymentsPerDay: number
  failedAttempts: number
  leadTimeSeconds: Stats
  failedDeployments: number
  changeFailureRate: number | null
  incidents: number
  timeToRestoreSeconds: Stats
  failedDeploymentRecoverySeconds: Stats
  reworkDeployments: number
  reworkRate: number | null
  tiers: Tiers
  scores: Scores
}

/** A row of the answer: the §8 figures, and the release figures of METRICS.md §12–§15. */
export type MetricsAnswerRow = MetricsRow & ReleaseFields

export interface MetricsAnswer {
  from: string
  to: string
  tz: string
  groupBy: GroupBy
  bucket: Bucket | null
  rows: MetricsAnswerRow[]
  /** METRICS.md §17: the published Quick Check benchmarks `metrics.benchmark` chooses, on the scores' scale. */
  benchmark: BenchmarkComparison
}

const SQL_DIR = join(import.meta.dirname, 'metrics')
const SQL_NAMES = ['deployments', 'changes', 'failed_attempts', 'incidents', ...RELEASE_SQL_NAMES] as const
type SqlName = (typeof SQL_NAMES)[number]
type SqlFile = SqlName | 'author_deployments'
/**
 * The file each figure reads per grouping. groupBy=authorClass (§16) splits what has an author:
 * changes by their class, deployments by the classes of their changes; failed attempts and
 * incidents have no author, so those rows carry none (docs/DECISIONS.md).
 */
const SQL_FILES: Record<GroupBy, Partial<Record<SqlName, SqlFile>>> = {
  service: { deployments: 'deployments', changes: 'changes', failed_attempts: 'failed_attempts', incidents: 'incidents', releases: 'releases', recovery_paths: 'recovery_paths', freezes: 'freezes', canary: 'canary' },
  team: { deployments: 'deployments', changes: 'changes', failed_attempts: 'failed_attempts', incidents: 'incidents', releases: 'releases', recovery_paths: 'recovery_paths', freezes: 'freezes', canary: 'canary' },
  none: { deployments: 'deployments', changes: 'changes', failed_attempts: 'failed_attempts', incidents: 'incidents', releases: 'releases', recovery_paths: 'recovery_paths', freezes: 'freezes', canary: 'canary' },
  authorClass: { deployments: 'author_deployments', changes: 'changes' },
}
const sqlCache = new Map<SqlFile, string>()

function sqlText(name: SqlFile): string {
  let s = sqlCache.get(name)
  if (s === undefined) {
    s = readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8')
    sqlCache.set(name, s)
  }
  return s
}

// The only SQL chosen at runtime: fixed fragments picked by validated enum values.
// Empty strings stand for "no service/team/bucket" so every query has the same columns.
const GROUP_SQL: Record<GroupBy, string> = {
  service: "service AS g_service, team AS g_team, '' AS g_class",
  team: "'' AS g_service, team AS g_team, '' AS g_class",
  none: "'' AS g_service, '' AS g_team, '' AS g_class",
  // Only the changes table has author_class; author_deployments.sql writes its own group columns.
  authorClass: "'' AS g_service, '' AS g_team, author_class AS g_class",
}
// ClickHouse returns the local date the bucket begins on (tz is a server-side parameter;
// these functions take the timezone as their last argument and return a Date).
const BUCKET_SQL: Record<Bucket | 'none', (col: string) => string> = {
  none: () => "''",
  day: (c) => `toString(toDate(${c}, {tz:String}))`,
  week: (c) => `toString(toMonday(${c}, {tz:String}))`,
  month: (c) => `toString(toStartOfMonth(${c}, {tz:String}))`,
  quarter: (c) => `toString(toStartOfQuarter(${c}, {tz:String}))`,
}

export function renderSql(name: SqlFile, groupBy: GroupBy, bucket: Bucket | null): string {
  const sql = sqlText(name)
    .replaceAll('{{group}}', GROUP_SQL[groupBy])
    // The column name comes from our own SQL file, never from a request.
    .replace(/\{\{bucket\(([a-z_.]+)\)\}\}/g, (_, col: string) => BUCKET_SQL[bucket ?? 'none'](col))
  if (sql.includes('{{')) throw new Error(`queries/metrics/${name}.sql: unknown placeholder`)
  return sql
}

type Raw = Record<string, unknown> & { g_service: string; g_team: string; g_class: string; bucket: string }

interface Group {
  service: string
  team: string
  authorClass: string
  cells: Map<string, Partial<Record<SqlName, Raw>>>
}

/**
 * Throws the schema's ZodError for an invalid query (the HTTP layer answers 400),
 * DbError when ClickHouse fails. `now` is for tests (default period).
 */
export async function computeMetrics(db: Db, config: Config, q: MetricsQuery, now: number = Date.now()): Promise<MetricsAnswer> {
  const rq = resolveQuery(q, config.metrics.timezone, now)
  const params = {
    from: chInstant(rq.fromMs),
    to: chInstant(rq.toMs),
    tz: rq.tz,
    services: rq.service === null ? [] : [rq.service],
    teams: rq.team === null ? [] : [rq.team],
  }
  const files = SQL_FILES[rq.groupBy]
  const names = SQL_NAMES.filter((n) => files[n] !== undefined)
  const results = await Promise.all(names.map((name) => db.query<Raw>(renderSql(files[name]!, rq.groupBy, rq.bucket), params)))
  const spans: BucketSpan[] = rq.bucket === null ? [{ key: '', startMs: rq.fromMs, endMs: rq.toMs }] : bucketSpans(rq.fromMs, rq.toMs, rq.tz, rq.bucket)
  // Flags have no author: the authorClass grouping carries no stale flags (METRICS.md §12, §16).
  const stale = rq.groupBy === 'authorClass' ? new Map<string, Map<string, number>>() : await staleFlags(db, config, rq, spans)

  const groups = new Map<string, Group>()
  names.forEach((name, i) => {
    for (const r of results[i] ?? []) {
      const gk = JSON.stringify([r.g_service, r.g_team, r.g_class])
      let g = groups.get(gk)
      if (!g) groups.set(gk, (g = { service: r.g_service, team: r.g_team, authorClass: r.g_class, cells: new Map() }))
      const cell = g.cells.get(r.bucket) ?? {}
      cell[name] = r
      g.cells.set(r.bucket, cell)
    }
  })

  // A group whose only figure is a stale flag still gets its row.
  for (const gk of stale.keys()) {
    if (!groups.has(gk)) {
      const [service, team] = JSON.parse(gk) as [string, string, string]
      groups.set(gk, { service, team, authorClass: '', cells: new Map() })
    }
  }
  // Every bucket of the period for each group that has any data in it, so charts have no gaps.
  const thresholds = tierThresholdsOf(config)
  const sorted = [...groups.values()].sort((a, b) => cmp(a.service, b.service) || cmp(a.team, b.team) || cmp(a.authorClass, b.authorClass))
  const rows: MetricsAnswerRow[] = []
  for (const g of sorted) {
    const staleOf = stale.get(JSON.stringify([g.service, g.team, g.authorClass]))
    for (const span of spans) {
      const cell = g.cells.get(span.key) ?? {}
      rows.push({ ...row(rq, g, span, cell, thresholds), ...releaseFields(cell, staleOf?.get(span.key) ?? 0) })
    }
  }
  if (rq.groupBy === 'authorClass') addChangeShares(rows)
  return {
    from: new Date(rq.fromMs).toISOString(),
    to: new Date(rq.toMs).toISOString(),
    tz: rq.tz,
    groupBy: rq.groupBy,
    bucket: rq.bucket,
    rows,
    benchmark: chosenBenchmarks(config.metrics.benchmark),
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

function row(rq: ResolvedQuery, g: Group, span: BucketSpan, cell: Partial<Record<SqlName, Raw>>, thresholds: ReturnType<typeof tierThresholdsOf>): MetricsRow {
  const d = cell.deployments
  const deployments = num(d?.deployments)
  const failedDeployments = num(d?.failed_deployments)
  const reworkDeployments = num(d?.rework_deployments)
  // deployments·86400000 / ms: one correctly rounded division, so 7 deployments in
  // 7 days is exactly 1 and 1 in 7 days exactly equals the 1/7 threshold.
  const deploymentsPerDay = (deployments * 86_400_000) / (span.endMs - span.startMs)
  const changeFailureRate = deployments === 0 ? null : failedDeployments / deployments
  const leadTimeSeconds = stats(cell.changes, 'lead')
  const timeToRestoreSeconds = stats(cell.incidents, 'restore')
  const failedDeploymentRecoverySeconds = stats(d, 'recovery')
  const reworkRate = deployments === 0 ? null : reworkDeployments / deployments
  // Key order as in METRICS.md §8; service/team keys only where the grouping has them.
  const keys =
    rq.groupBy === 'service' ? { service: g.service, team: g.team }
    : rq.groupBy === 'team' ? { team: g.team }
    : rq.groupBy === 'authorClass' ? { authorClass: g.authorClass as AuthorClass, changes: num(cell.changes?.changes), changeShare: null }
    : {}
  return {
    ...keys,
    bucketStart: rq.bucket === null ? null : new Date(span.startMs).toISOString(),
    deployments,
    deploymentsPerDay,
    failedAttempts: num(cell.failed_attempts?.failed_attempts),
    leadTimeSeconds,
    failedDeployments,
    changeFailureRate,
    incidents: num(cell.incidents?.incidents),
    timeToRestoreSeconds,
    failedDeploymentRecoverySeconds,
    reworkDeployments,
    reworkRate,
    // Rows exist only for groups with some data in the period, so a row (or a
    // zero-filled bucket) with no deployment measured a frequency of 0 → 'low',
    // never "no data". The other keys are null without their own data.
    tiers: tiersOf(
      {
        deploymentsPerDay,
        leadTimeMedian: leadTimeSeconds.median,
        timeToRestoreMedian: timeToRestoreSeconds.median,
        changeFailureRate,
      },
      thresholds,
    ),
    scores: scoresOf({ leadTimeMedian: leadTimeSeconds.median, deploymentsPerDay, recoveryMedian: failedDeploymentRecoverySeconds.median, changeFailureRate, reworkRate }),
  }
}

/** Each author-class row's share of the changes of its bucket (null when the bucket has none). */
function addChangeShares(rows: MetricsRow[]): void {
  const total = new Map<string | null, number>()
  for (const r of rows) total.set(r.bucketStart, (total.get(r.bucketStart) ?? 0) + (r.changes ?? 0))
  for (const r of rows) {
    const t = total.get(r.bucketStart) ?? 0
    r.changeShare = t === 0 ? null : (r.changes ?? 0) / t
  }
}
