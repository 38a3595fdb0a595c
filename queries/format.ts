import { DateTime } from 'luxon'
import type { MetricsAnswer, MetricsAnswerRow, MetricsRow, Stats } from './metrics.ts'
import { RECOVERY_PATHS } from '../contracts/release-records.ts'
import { csvField } from './csv.ts'
import { SCORE_KEYS } from './scores.ts'

/**
 * Renderings of the metrics answer: `json` is the §8 object itself (full
 * precision); `csv` is flat for spreadsheets (stats split into columns, full
 * precision, empty cell = null); `table` is for people (rounded, humanized).
 */
export const FORMATS = ['table', 'csv', 'json'] as const
export type Format = (typeof FORMATS)[number]

export function formatMetrics(answer: MetricsAnswer, format: Format): string {
  if (format === 'json') return `${JSON.stringify(answer, null, 2)}\n`
  if (format === 'csv') return formatCsv(answer)
  const table = formatTable(answer)
  return table.endsWith('\n') ? table : `${table}\n`
}

/** 5400 → "1h 30m": two units are enough to read a median at a glance. */
export function humanizeSeconds(s: number | null): string {
  if (s === null) return '-'
  if (s < 60) return `${Math.round(s)}s`
  const total = Math.round(s)
  const d = Math.floor(total / 86400)
  const h = Math.floor((total % 86400) / 3600)
  const m = Math.floor((total % 3600) / 60)
  const sec = total % 60
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`
  return sec > 0 ? `${m}m ${sec}s` : `${m}m`
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`)

/** Bucket start as the local date in the query tz (with the time when the period cut it mid-day). */
function bucketLabel(iso: string, tz: string): string {
  const dt = DateTime.fromISO(iso, { zone: tz })
  return dt.equals(dt.startOf('day')) ? (dt.toISODate() ?? iso) : dt.toFormat('yyyy-MM-dd HH:mm')
}

export function formatTable(a: MetricsAnswer): string {
  const cols: { title: string; right: boolean; get: (r: MetricsRow) => string }[] = []
  if (a.groupBy === 'service') cols.push({ title: 'SERVICE', right: false, get: (r) => r.service ?? '' })
  if (a.groupBy === 'service' || a.groupBy === 'team') cols.push({ title: 'TEAM', right: false, get: (r) => r.team ?? '' })
  if (a.groupBy === 'authorClass') {
    cols.push({ title: 'AUTHOR', right: false, get: (r) => r.authorClass ?? '' }, { title: 'CHANGES', right: true, get: (r) => String(r.changes ?? 0) }, { title: 'SHARE', right: true, get: (r) => pct(r.changeShare ?? null) })
  }
  if (a.bucket !== null) cols.push({ title: a.bucket.toUpperCase(), right: false, get: (r) => (r.bucketStart ? bucketLabel(r.bucketStart, a.tz) : '') })
  cols.push(
    { title: 'DEPLOYS', right: true, get: (r) => String(r.deployments) },
    { title: 'DEPLOYS/DAY', right: true, get: (r) => r.deploymentsPerDay.toFixed(2) },
    { title: 'LEAD TIME', right: true, get: (r) => humanizeSeconds(r.leadTimeSeconds.median) },
    { title: 'CFR', right: true, get: (r) => pct(r.changeFailureRate) },
    { title: 'MTTR', right: true, get: (r) => humanizeSeconds(r.timeToRestoreSeconds.median) },
    { title: 'RECOVERY', right: true, get: (r) => humanizeSeconds(r.failedDeploymentRecoverySeconds.median) },
    { title: 'REWORK', right: true, get: (r) => pct(r.reworkRate) },
    { title: 'SCORE', right: true, get: (r) => (r.scores.overall === null ? '-' : r.scores.overall.toFixed(1)) },
    { title: 'TIER', right: false, get: (r) => r.tiers.overall ?? '-' },
  )
  return alignedTable(`DORA metrics ${a.from} .. ${a.to} (${a.tz}); lead time, MTTR and recovery are medians; SCORE is the DORA Quick Check overall score, 0–10`, cols, a.rows)
}

/** The group columns of a table of the answer's rows (service, team, bucket as the grouping has them). */
export function groupColumns<R extends MetricsRow>(a: MetricsAnswer): Column<R>[] {
  const cols: Column<R>[] = []
  if (a.groupBy === 'service') cols.push({ title: 'SERVICE', right: false, get: (r) => r.service ?? '' })
  if (a.groupBy === 'service' || a.groupBy === 'team') cols.push({ title: 'TEAM', right: false, get: (r) => r.team ?? '' })
  if (a.bucket !== null) cols.push({ title: a.bucket.toUpperCase(), right: false, get: (r) => (r.bucketStart ? bucketLabel(r.bucketStart, a.tz) : '') })
  return cols
}

export interface Column<R> {
  title: string
  right: boolean
  get: (r: R) => string
}

/** A heading, then the columns aligned (numbers right, text left). */
export function alignedTable<R>(head: string, cols: Column<R>[], rows: R[]): string {
  const cells = rows.map((r) => cols.map((c) => c.get(r)))
  const widths = cols.map((c, i) => Math.max(c.title.length, ...cells.map((row) => (row[i] ?? '').length)))
  const line = (vals: string[]) =>
    vals
      .map((v, i) => (cols[i]?.right ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  if (rows.length === 0) return `${head}\n(no data in this period)\n`
  return [head, line(cols.map((c) => c.title)), ...cells.map(line)].join('\n') + '\n'
}

const STAT_KEYS = ['count', 'median', 'p90', 'mean'] as const
const statCols = (name: string, get: (r: MetricsRow) => Stats) =>
  STAT_KEYS.map((k) => ({ title: `${name}_${k}`, get: (r: MetricsRow) => get(r)[k] }))

export function formatCsv(a: MetricsAnswer): string {
  const cols: { title: string; get: (r: MetricsAnswerRow) => string | number | null | undefined }[] = []
  if (a.groupBy === 'service') cols.push({ title: 'service', get: (r) => r.service })
  if (a.groupBy === 'service' || a.groupBy === 'team') cols.push({ title: 'team', get: (r) => r.team })
  if (a.groupBy === 'authorClass') cols.push({ title: 'author_class', get: (r) => r.authorClass }, { title: 'changes', get: (r) => r.changes }, { title: 'change_share', get: (r) => r.changeShare })
  cols.push(
    { title: 'bucket_start', get: (r) => r.bucketStart },
    { title: 'deployments', get: (r) => r.deployments },
    { title: 'deployments_per_day', get: (r) => r.deploymentsPerDay },
    { title: 'failed_attempts', get: (r) => r.failedAttempts },
    ...statCols('lead_time_seconds', (r) => r.leadTimeSeconds),
    { title: 'failed_deployments', get: (r) => r.failedDeployments },
    { title: 'change_failure_rate', get: (r) => r.changeFailureRate },
    { title: 'incidents', get: (r) => r.incidents },
    ...statCols('time_to_restore_seconds', (r) => r.timeToRestoreSeconds),
    ...statCols('failed_deployment_recovery_seconds', (r) => r.failedDeploymentRecoverySeconds),
    { title: 'rework_deployments', get: (r) => r.reworkDeployments },
    { title: 'rework_rate', get: (r) => r.reworkRate },
    { title: 'tier_deployment_frequency', get: (r) => r.tiers.deploymentFrequency },
    { title: 'tier_lead_time', get: (r) => r.tiers.leadTime },
    { title: 'tier_time_to_restore', get: (r) => r.tiers.timeToRestore },
    { title: 'tier_change_failure_rate', get: (r) => r.tiers.changeFailureRate },
    { title: 'tier_overall', get: (r) => r.tiers.overall },
    ...SCORE_KEYS.map((k) => ({ title: `score_${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`, get: (r: MetricsRow) => r.scores[k] })),
    // METRICS.md §12–§15, after the §8 columns so that readers of those keep working.
    { title: 'releases', get: (r) => r.release.releases },
    { title: 'full_releases', get: (r) => r.release.fullReleases },
    ...statCols('rollout_seconds', (r) => (r as MetricsAnswerRow).release.rolloutSeconds),
    { title: 'kill_switches', get: (r) => r.release.killSwitches },
    ...statCols('time_to_kill_seconds', (r) => (r as MetricsAnswerRow).release.timeToKillSeconds),
    { title: 'stale_flags', get: (r) => r.release.staleFlags },
    ...RECOVERY_PATHS.flatMap((p) => statCols(`recovery_${p}_seconds`, (r) => (r as MetricsAnswerRow).recoveryByPath[p])),
    { title: 'freeze_deployments', get: (r) => r.freezeDeployments },
    { title: 'freeze_failed_deployments', get: (r) => r.freezeFailedDeployments },
    { title: 'canary_aborts', get: (r) => r.canaryAborts },
    ...statCols('blast_radius_percent', (r) => (r as MetricsAnswerRow).blastRadiusPercent),
  )
  const lines = [cols.map((c) => c.title).join(','), ...a.rows.map((r) => cols.map((c) => csvField(c.get(r))).join(','))]
  return lines.join('\r\n') + '\r\n'
}
