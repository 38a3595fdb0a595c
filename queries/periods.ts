import { DateTime, IANAZone } from 'luxon'
import { z } from 'zod'

/**
 * The query period and its buckets (METRICS.md §6, §9). Everything here is
 * pure: instants are epoch milliseconds, calendar arithmetic happens in the
 * query's timezone with luxon so that DST days (23 h / 25 h) stay one day.
 */

export const GROUP_BYS = ['service', 'team', 'none', 'authorClass'] as const
export const BUCKETS = ['day', 'week', 'month', 'quarter'] as const
export type GroupBy = (typeof GROUP_BYS)[number]
export type Bucket = (typeof BUCKETS)[number]

/** As the parameters come from a URL or the CLI: strings, all optional. */
export interface MetricsQuery {
  from?: string
  to?: string
  tz?: string
  service?: string
  team?: string
  groupBy?: GroupBy
  bucket?: Bucket
}

export interface ResolvedQuery {
  fromMs: number
  toMs: number
  /** Canonical IANA name (`europe/berlin` → `Europe/Berlin`), so ClickHouse and the echo agree. */
  tz: string
  groupBy: GroupBy
  bucket: Bucket | null
  service: string | null
  team: string | null
}

/** Default period length when `from` is absent. */
export const DEFAULT_PERIOD_DAYS = 90
/** A guard against `bucket=day` over decades: every bucket of every group becomes a row. */
export const MAX_BUCKETS = 5000

export function canonicalZone(tz: string): string | null {
  if (!IANAZone.isValidZone(tz)) return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

/**
 * A plain date (`2026-07-01`) is midnight of that day in `tz`; a date-time
 * without offset (`2026-07-01T09:30`) is that wall time in `tz`; one with an
 * offset or `Z` is that instant. Anything luxon's ISO parser rejects is null.
 */
export function parseInstant(s: string, tz: string): number | null {
  const dt = DateTime.fromISO(s.trim(), { zone: tz })
  return dt.isValid ? dt.toMillis() : null
}

// '' (e.g. `?service=`) means "not given", as on most HTML forms.
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional())
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, name: string) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(values, { error: (iss) => `${name}: must be one of ${values.join(', ')} (got ${JSON.stringify(iss.input)})` }).optional(),
  )

/**
 * Validates the raw parameters. Messages start with the parameter name so the
 * HTTP layer can answer 400 with them as they are. Unknown keys are dropped
 * (the HTTP/CLI layers carry their own, e.g. `format`). The from/to order is
 * checked here in `tz` (or UTC when absent) and again by resolveQuery with the
 * configured default timezone.
 */
export const metricsQuerySchema = z
  .object({
    from: optionalString,
    to: optionalString,
    tz: optionalString,
    service: optionalString,
    team: optionalString,
    groupBy: optionalEnum(GROUP_BYS, 'groupBy'),
    bucket: optionalEnum(BUCKETS, 'bucket'),
  })
  .superRefine((q, ctx) => {
    let tz = 'UTC'
    if (q.tz !== undefined) {
      const c = canonicalZone(q.tz)
      if (c === null) {
        ctx.addIssue({ code: 'custom', path: ['tz'], message: `tz: not an IANA timezone (e.g. UTC, Europe/Berlin): ${JSON.stringify(q.tz)}` })
        return
      }
      tz = c
    }
    for (const issue of periodIssues(q, tz, Date.now())) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message })
  })

interface PeriodIssue {
  path: 'from' | 'to' | 'bucket'
  message: string
}

function periodIssues(q: MetricsQuery, tz: string, nowMs: number): PeriodIssue[] {
  const r = periodOf(q, tz, nowMs)
  return 'issues' in r ? r.issues : []
}

/**
 * Defaults (chosen to be what a user looking at "recent performance" expects):
 * - `to` absent → now;
 * - `from` absent → midnight (in tz) 90 days before `to`'s day, so day/week/
 *   month buckets start clean and the period covers the last 90 whole days plus
 *   today so far.
 */
function periodOf(q: MetricsQuery, tz: string, nowMs: number): { fromMs: number; toMs: number } | { issues: PeriodIssue[] } {
  const issues: PeriodIssue[] = []
  let toMs = nowMs
  if (q.to !== undefined) {
    const t = parseInstant(q.to, tz)
    if (t === null) issues.push({ path: 'to', message: `to: not a date or ISO date-time (e.g. 2026-10-01 or 2026-10-01T00:00:00Z): ${JSON.stringify(q.to)}` })
    else toMs = t
  }
  let fromMs = DateTime.fromMillis(toMs, { zone: tz }).minus({ days: DEFAULT_PERIOD_DAYS }).startOf('day').toMillis()
  if (q.from !== undefined) {
    const f = parseInstant(q.from, tz)
    if (f === null) issues.push({ path: 'from', message: `from: not a date or ISO date-time (e.g. 2026-07-01 or 2026-07-01T00:00:00Z): ${JSON.stringify(q.from)}` })
    else fromMs = f
  }
  if (issues.length > 0) return { issues }
  if (fromMs >= toMs) {
    return { issues: [{ path: 'from', message: `from: must be before to (${new Date(fromMs).toISOString()} >= ${new Date(toMs).toISOString()})` }] }
  }
  if (q.bucket !== undefined) {
    const n = bucketSpans(fromMs, toMs, tz, q.bucket, MAX_BUCKETS + 1).length
    if (n > MAX_BUCKETS) return { issues: [{ path: 'bucket', message: `bucket: the period has more than ${MAX_BUCKETS} ${q.bucket} buckets; choose a shorter period or a larger bucket` }] }
  }
  return { fromMs, toMs }
}

/** Validation errors of a query, as the schema reports them (a ZodError). */
export function resolveQuery(raw: unknown, defaultTz: string, nowMs: number = Date.now()): ResolvedQuery {
  const q = metricsQuerySchema.parse(raw)
  const tz = canonicalZone(q.tz ?? defaultTz)
  if (tz === null) throw new z.ZodError([{ code: 'custom', path: ['tz'], message: `tz: not an IANA timezone: ${JSON.stringify(q.tz ?? defaultTz)}`, input: q.tz }])
  const p = periodOf(q, tz, nowMs)
  if ('issues' in p) throw new z.ZodError(p.issues.map((i) => ({ code: 'custom' as const, path: [i.path], message: i.message, input: q[i.path] })))
  return {
    fromMs: p.fromMs,
    toMs: p.toMs,
    tz,
    groupBy: q.groupBy ?? 'service',
    bucket: q.bucket ?? null,
    service: q.service ?? null,
    team: q.team ?? null,
  }
}

const ONE = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 }, quarter: { quarters: 1 } } as const

export interface BucketSpan {
  /** The local date (yyyy-MM-dd in tz) the bucket begins on: what ClickHouse's toDate/toMonday/… return. */
  key: string
  /** The part of the bucket inside [from, to): the first and last buckets may be cut. */
  startMs: number
  endMs: number
}

/**
 * The calendar buckets covering [from, to) in tz, each cut by the period.
 * Week = ISO week (Monday; luxon's startOf('week') is ISO). Each next start is
 * recomputed with startOf, so a day whose midnight does not exist (DST at 00:00)
 * does not drag later buckets off midnight.
 */
export function bucketSpans(fromMs: number, toMs: number, tz: string, bucket: Bucket, limit = Infinity): BucketSpan[] {
  const spans: BucketSpan[] = []
  let cur = DateTime.fromMillis(fromMs, { zone: tz }).startOf(bucket)
  while (cur.toMillis() < toMs && spans.length < limit) {
    const next = cur.plus(ONE[bucket]).startOf(bucket)
    spans.push({ key: cur.toISODate() ?? '', startMs: Math.max(cur.toMillis(), fromMs), endMs: Math.min(next.toMillis(), toMs) })
    cur = next
  }
  return spans
}

/** The instant a bucket key (local date from ClickHouse) begins, in tz. */
export function bucketKeyStart(key: string, tz: string, bucket: Bucket): number {
  return DateTime.fromISO(key, { zone: tz }).startOf(bucket).toMillis()
}

/** DateTime64(3, 'UTC') parameter text. */
export function chInstant(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}
