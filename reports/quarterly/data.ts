import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import { computeMetrics, type MetricsAnswerRow as MetricsRow } from '../../queries/metrics.ts'
import { humanizeSeconds } from '../../queries/format.ts'
import { canonicalZone, chInstant } from '../../queries/periods.ts'
import { loadExtras, type QuarterExtras } from './extras.ts'
import { parseQuarter, previousQuarter, QuarterError, type QuarterPeriod } from './period.ts'
import { loadReleaseReview, type ReleaseReview } from './releases.ts'

/**
 * Everything the quarterly engineering review shows, gathered once and then
 * rendered as Markdown, HTML or CSV. The figures come from computeMetrics
 * (METRICS.md §6–§8) over the quarter and the one before; the lists and the
 * release-practice tables from the parameterized SQL in ./sql.
 */

export interface QuarterlyOptions {
  quarter: string
  team?: string
  /** Timezone of the quarter boundaries and weekly buckets; default metrics.timezone. */
  tz?: string
  /** How many worst incidents / slowest changes per team. */
  limit?: number
  now?: number
}

/** A team, a service of it, or everyone: the figures of both quarters and the weekly trend. */
export interface Scope {
  team: string | null
  service: string | null
  current: MetricsRow | null
  previous: MetricsRow | null
  weekly: MetricsRow[]
}

export interface WorstIncident {
  id: string
  service: string
  team: string
  title: string
  url: string | null
  priority: string | null
  urgency: string | null
  status: string
  linkKind: string
  deploymentIds: string[]
  startedAtMs: number
  resolvedAtMs: number | null
  acknowledgeSeconds: number | null
  restoreSeconds: number | null
  durationSeconds: number
}

export interface SlowChange {
  service: string
  team: string
  repo: string
  sha: string
  message: string
  url: string | null
  author: string | null
  deploymentId: string
  committedAtMs: number
  deployedAtMs: number
  leadTimeSeconds: number
  prNumber: number | null
  prTitle: string | null
  prUrl: string | null
}

export interface Rollback {
  id: string
  service: string
  team: string
  version: string
  url: string | null
  deployedAtMs: number
  undoneId: string | null
  undoneVersion: string | null
  undoneDeployedAtMs: number | null
  secondsAfterBadDeploy: number | null
}

export interface Cell {
  deployments: number
  failed: number
}

export interface ReleasePractice {
  /** The team's timezone the weekday/hour are read in. */
  timezone: string
  /** Index 0 = Monday … 6 = Sunday. */
  byWeekday: Cell[]
  /** Index 0 … 23. */
  byHour: Cell[]
  /** Changes per deployment (rollbacks left out): 0, 1, 2–3, 4–7, 8+. */
  byBatch: (Cell & { label: string; min: number })[]
  total: Cell
}

export type FindingTone = 'risk' | 'ok' | 'info'
export interface Finding {
  tone: FindingTone
  text: string
}

export interface TeamSection {
  team: string
  summary: Scope
  services: Scope[]
  worstIncidents: WorstIncident[]
  slowestChanges: SlowChange[]
  rollbacks: Rollback[]
  practice: ReleasePractice
  findings: Finding[]
}

export interface QuarterlyReport {
  quarter: QuarterPeriod
  previous: QuarterPeriod
  tz: string
  team: string | null
  generatedAtMs: number
  /** Week starts (ISO instants) of the quarter, the x axis of every trend chart. */
  weeks: string[]
  overall: Scope
  teams: TeamSection[]
  /** Scores against the benchmark, the AI-assisted section, the corrections (extras.ts). */
  extras: QuarterExtras
  /** Releases, kill switches, stale flags, recovery paths, freezes and canaries (METRICS.md §12–§15). */
  releases: ReleaseReview
}

const SQL_DIR = join(import.meta.dirname, 'sql')
const sqlCache = new Map<string, string>()
export function reportSql(name: 'worst_incidents' | 'slowest_changes' | 'rollbacks' | 'deploys_by_weekday_hour' | 'batch_size'): string {
  let s = sqlCache.get(name)
  if (s === undefined) sqlCache.set(name, (s = readFileSync(join(SQL_DIR, `${name}.sql`), 'utf8')))
  return s
}

export const BATCHES = [
  { min: 0, label: '0 (redeploy)' },
  { min: 1, label: '1' },
  { min: 2, label: '2–3' },
  { min: 4, label: '4–7' },
  { min: 8, label: '8+' },
] as const

const n = (v: unknown): number => Number(v ?? 0)
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

/**
 * The team's timezone for weekday/hour questions: the timezone most of its
 * configured services use (first listed wins a tie); the report's otherwise.
 */
export function teamTimezone(config: Config, team: string, fallback: string): string {
  const counts = new Map<string, number>()
  for (const s of config.services) if (s.team === team) counts.set(s.timezone, (counts.get(s.timezone) ?? 0) + 1)
  let best: string | null = null
  for (const [tz, c] of counts) if (best === null || c > (counts.get(best) ?? 0)) best = tz
  return best ?? fallback
}

export async function loadQuarterly(db: Db, config: Config, opts: QuarterlyOptions): Promise<QuarterlyReport> {
  const tz = canonicalZone(opts.tz ?? config.metrics.timezone)
  if (tz === null) throw new QuarterError(`tz: not an IANA timezone: ${JSON.stringify(opts.tz)}`)
  const now = opts.now ?? Date.now()
  const quarter = parseQuarter(opts.quarter, tz, now)
  const previous = previousQuarter(quarter, tz)
  const limit = opts.limit ?? 5
  const team = opts.team && opts.team.length > 0 ? opts.team : null
  const range = (p: QuarterPeriod) => ({ from: new Date(p.fromMs).toISOString(), to: new Date(p.toMs).toISOString(), tz, ...(team ? { team } : {}) })

  const [curTeam, prevTeam, curSvc, prevSvc, weekTeam, weekSvc, curAll, prevAll, weekAll] = await Promise.all([
    computeMetrics(db, config, { ...range(quarter), groupBy: 'team' }, now),
    computeMetrics(db, config, { ...range(previous), groupBy: 'team' }, now),
    computeMetrics(db, config, { ...range(quarter), groupBy: 'service' }, now),
    computeMetrics(db, config, { ...range(previous), groupBy: 'service' }, now),
    computeMetrics(db, config, { ...range(quarter), groupBy: 'team', bucket: 'week' }, now),
    computeMetrics(db, config, { ...range(quarter), groupBy: 'service', bucket: 'week' }, now),
    computeMetrics(db, config, { ...range(quarter), groupBy: 'none' }, now),
    computeMetrics(db, config, { ...range(previous), groupBy: 'none' }, now),
    computeMetrics(db, config, { ...range(quarter), groupBy: 'none', bucket: 'week' }, now),
  ])

  const params = { from: chInstant(quarter.fromMs), to: chInstant(quarter.toMs), team: team ?? '' }
  const [incidents, changes, rollbacks, batches] = await Promise.all([
    db.query<Record<string, unknown>>(reportSql('worst_incidents'), { ...params, asOf: chInstant(quarter.toMs), limit }),
    db.query<Record<string, unknown>>(reportSql('slowest_changes'), { ...params, limit }),
    db.query<Record<string, unknown>>(reportSql('rollbacks'), params),
    db.query<Record<string, unknown>>(reportSql('batch_size'), params),
  ])

  // A team whose only figures are releases (a flag provider's project) has no DORA section: the release section lists it.
  const dora = (r: MetricsRow) => r.deployments + r.incidents + r.failedAttempts + r.leadTimeSeconds.count > 0
  const teamNames = [...new Set([...curTeam.rows, ...prevTeam.rows].filter(dora).map((r) => r.team ?? ''))].sort()
  const weeks = [...new Set(weekAll.rows.map((r) => r.bucketStart ?? ''))].filter(Boolean)
  const svcKey = (r: MetricsRow) => `${r.team}\u0000${r.service}`

  const teams: TeamSection[] = []
  for (const t of teamNames) {
    const tzTeam = teamTimezone(config, t, tz)
    const wh = await db.query<Record<string, unknown>>(reportSql('deploys_by_weekday_hour'), { from: params.from, to: params.to, team: t, tz: tzTeam })
    const services = [...new Map([...curSvc.rows, ...prevSvc.rows].filter((r) => r.team === t).map((r) => [svcKey(r), r.service ?? ''])).values()].sort()
    const practice = practiceOf(
      tzTeam,
      wh,
      batches.filter((b) => b.team === t),
    )
    const section: TeamSection = {
      team: t,
      summary: {
        team: t,
        service: null,
        current: curTeam.rows.find((r) => r.team === t) ?? null,
        previous: prevTeam.rows.find((r) => r.team === t) ?? null,
        weekly: weekTeam.rows.filter((r) => r.team === t),
      },
      services: services.map((s) => ({
        team: t,
        service: s,
        current: curSvc.rows.find((r) => r.team === t && r.service === s) ?? null,
        previous: prevSvc.rows.find((r) => r.team === t && r.service === s) ?? null,
        weekly: weekSvc.rows.filter((r) => r.team === t && r.service === s),
      })),
      worstIncidents: incidents.filter((r) => r.team === t).map(toIncident),
      slowestChanges: changes.filter((r) => r.team === t).map(toChange),
      rollbacks: rollbacks.filter((r) => r.team === t).map(toRollback),
      practice,
      findings: [],
    }
    section.findings = findingsOf(section)
    teams.push(section)
  }

  return {
    quarter,
    previous,
    tz,
    team,
    extras: await loadExtras(db, config, quarter, tz, team, now),
    generatedAtMs: now,
    weeks,
    overall: { team: null, service: null, current: curAll.rows[0] ?? null, previous: prevAll.rows[0] ?? null, weekly: weekAll.rows },
    teams,
    releases: await loadReleaseReview(db, config, quarter, team, curAll.rows[0] ?? null),
  }
}

function toIncident(r: Record<string, unknown>): WorstIncident {
  return {
    id: String(r.id),
    service: String(r.service),
    team: String(r.team),
    title: String(r.title ?? ''),
    url: (r.url as string | null) ?? null,
    priority: (r.priority as string | null) ?? null,
    urgency: (r.urgency as string | null) ?? null,
    status: String(r.status),
    linkKind: String(r.linkKind),
    deploymentIds: (r.deploymentIds as string[]) ?? [],
    startedAtMs: n(r.startedAtMs),
    resolvedAtMs: nOrNull(r.resolvedAtMs),
    acknowledgeSeconds: nOrNull(r.acknowledgeSeconds),
    restoreSeconds: nOrNull(r.restoreSeconds),
    durationSeconds: n(r.durationSeconds),
  }
}

function toChange(r: Record<string, unknown>): SlowChange {
  return {
    service: String(r.service),
    team: String(r.team),
    repo: String(r.repo),
    sha: String(r.sha),
    message: String(r.message ?? ''),
    url: (r.url as string | null) ?? null,
    author: (r.author as string | null) ?? null,
    deploymentId: String(r.deploymentId),
    committedAtMs: n(r.committedAtMs),
    deployedAtMs: n(r.deployedAtMs),
    leadTimeSeconds: n(r.leadTimeSeconds),
    prNumber: nOrNull(r.prNumber),
    prTitle: (r.prTitle as string | null) ?? null,
    prUrl: (r.prUrl as string | null) ?? null,
  }
}

function toRollback(r: Record<string, unknown>): Rollback {
  return {
    id: String(r.id),
    service: String(r.service),
    team: String(r.team),
    version: String(r.version),
    url: (r.url as string | null) ?? null,
    deployedAtMs: n(r.deployedAtMs),
    undoneId: (r.undoneId as string | null) ?? null,
    undoneVersion: (r.undoneVersion as string | null) ?? null,
    undoneDeployedAtMs: nOrNull(r.undoneDeployedAtMs),
    secondsAfterBadDeploy: nOrNull(r.secondsAfterBadDeploy),
  }
}

function practiceOf(timezone: string, wh: Record<string, unknown>[], batches: Record<string, unknown>[]): ReleasePractice {
  const byWeekday = Array.from({ length: 7 }, () => ({ deployments: 0, failed: 0 }))
  const byHour = Array.from({ length: 24 }, () => ({ deployments: 0, failed: 0 }))
  const total = { deployments: 0, failed: 0 }
  for (const r of wh) {
    const d = byWeekday[n(r.weekday) - 1]
    const h = byHour[n(r.hour)]
    for (const c of [d, h, total]) {
      if (!c) continue
      c.deployments += n(r.deployments)
      c.failed += n(r.failed)
    }
  }
  const byBatch = BATCHES.map((b) => {
    const r = batches.find((x) => n(x.batchMin) === b.min)
    return { label: b.label, min: b.min, deployments: n(r?.deployments), failed: n(r?.failed) }
  })
  return { timezone, byWeekday, byHour, byBatch, total }
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

const rate = (c: Cell) => (c.deployments === 0 ? null : c.failed / c.deployments)
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`)
const ofN = (c: Cell) => `${c.failed} of ${c.deployments}`
/** Below this many deployments a weekday, an hour band or a batch size says nothing. */
export const MIN_SAMPLE = 4
/** A slice is called out when its failure rate is at least this much above the team's. */
export const RISK_MARGIN = 0.1

/**
 * What a release engineering lead reads first: are some days, hours or batch
 * sizes riskier here? Deterministic sentences from the tables above; a slice
 * needs MIN_SAMPLE deployments and RISK_MARGIN above the team's rate to be called out.
 */
export function findingsOf(s: TeamSection): Finding[] {
  const out: Finding[] = []
  const p = s.practice
  const overall = rate(p.total)
  if (p.total.deployments === 0 || overall === null) {
    out.push({ tone: 'info', text: 'No deployments this quarter: nothing to say about release practice.' })
    return out
  }
  const where = `(weekday and hour in ${p.timezone})`
  // Riskiest weekday.
  let worst = -1
  p.byWeekday.forEach((c, i) => {
    if (c.deployments >= MIN_SAMPLE && (worst < 0 || rate(c)! > rate(p.byWeekday[worst]!)!)) worst = i
  })
  const w = worst >= 0 ? p.byWeekday[worst]! : null
  if (w && rate(w)! - overall >= RISK_MARGIN) {
    out.push({ tone: 'risk', text: `${WEEKDAYS[worst]} deployments failed ${pct(rate(w))} of the time (${ofN(w)}) against ${pct(overall)} overall (${ofN(p.total)}) ${where}.` })
  } else {
    out.push({ tone: 'ok', text: `No weekday stands out: every weekday with at least ${MIN_SAMPLE} deployments fails within ${Math.round(RISK_MARGIN * 100)} points of the ${pct(overall)} overall rate ${where}.` })
  }
  const fri = p.byWeekday[4]!
  const weekend = { deployments: p.byWeekday[5]!.deployments + p.byWeekday[6]!.deployments, failed: p.byWeekday[5]!.failed + p.byWeekday[6]!.failed }
  if (fri.deployments > 0 && worst !== 4) out.push({ tone: 'info', text: `Friday: ${ofN(fri)} deployments failed (${pct(rate(fri))}).` })
  if (weekend.deployments > 0) out.push({ tone: weekend.deployments >= MIN_SAMPLE && rate(weekend)! - overall >= RISK_MARGIN ? 'risk' : 'info', text: `Weekend: ${weekend.deployments} deployments, ${ofN(weekend)} failed (${pct(rate(weekend))}).` })
  // Outside working hours (before 09:00 or from 18:00 on weekdays, and weekends are above).
  const off = { deployments: 0, failed: 0 }
  p.byHour.forEach((c, h) => {
    if (h < 9 || h >= 18) {
      off.deployments += c.deployments
      off.failed += c.failed
    }
  })
  if (off.deployments >= MIN_SAMPLE) {
    const risky = rate(off)! - overall >= RISK_MARGIN
    out.push({ tone: risky ? 'risk' : 'info', text: `Outside 09:00–18:00: ${off.deployments} deployments, ${pct(rate(off))} failed (${ofN(off)}) against ${pct(overall)} overall.` })
  }
  // Batch size.
  const small = p.byBatch.filter((b) => b.min === 1)
  const large = p.byBatch.filter((b) => b.min >= 4)
  const sum = (xs: Cell[]) => xs.reduce((a, c) => ({ deployments: a.deployments + c.deployments, failed: a.failed + c.failed }), { deployments: 0, failed: 0 })
  const sm = sum(small)
  const lg = sum(large)
  if (sm.deployments >= MIN_SAMPLE && lg.deployments >= MIN_SAMPLE) {
    const d = rate(lg)! - rate(sm)!
    out.push({
      tone: d >= RISK_MARGIN ? 'risk' : 'ok',
      text:
        d >= RISK_MARGIN
          ? `Large batches fail more: deployments with 4 or more changes failed ${pct(rate(lg))} (${ofN(lg)}) against ${pct(rate(sm))} for single-change deployments (${ofN(sm)}).`
          : `Batch size makes little difference: ${pct(rate(lg))} of deployments with 4+ changes failed (${ofN(lg)}), ${pct(rate(sm))} of single-change ones (${ofN(sm)}).`,
    })
  } else if (p.total.deployments > 0) {
    out.push({ tone: 'info', text: `Too few single-change (${sm.deployments}) or 4+-change (${lg.deployments}) deployments to compare batch sizes (${MIN_SAMPLE} of each needed).` })
  }
  // Rollbacks.
  if (s.rollbacks.length > 0) {
    const secs = s.rollbacks.map((r) => r.secondsAfterBadDeploy).filter((x): x is number => x !== null).sort((a, b) => a - b)
    const median = secs.length === 0 ? null : secs.length % 2 ? secs[(secs.length - 1) / 2]! : (secs[secs.length / 2 - 1]! + secs[secs.length / 2]!) / 2
    out.push({ tone: 'info', text: `${s.rollbacks.length} rollback${s.rollbacks.length === 1 ? '' : 's'}${median === null ? '' : `, a median ${humanizeSeconds(median)} after the deployment they undid`}.` })
  }
  const fa = s.summary.current?.failedAttempts ?? 0
  if (fa > 0) out.push({ tone: 'info', text: `${fa} failed deployment attempt${fa === 1 ? '' : 's'} (failure/error statuses) — not counted as deployments.` })
  return out
}

