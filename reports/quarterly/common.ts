import { DateTime } from 'luxon'
import type { MetricsRow } from '../../queries/metrics.ts'
import type { QuarterlyReport, Scope } from './data.ts'

/** Shared bits of the three renderings. */

export const when = (ms: number | null, tz: string): string => (ms === null ? '–' : DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-MM-dd HH:mm'))
export const day = (ms: number, tz: string): string => DateTime.fromMillis(ms, { zone: tz }).toFormat('yyyy-MM-dd')

/** The last day inside [from, to), for "2026-07-01 – 2026-09-30". */
export function periodText(fromMs: number, toMs: number, tz: string): string {
  return `${day(fromMs, tz)} – ${day(toMs - 1, tz)}`
}

/** Week labels for chart axes: the Monday (or the cut start) as MM-dd. */
export function weekLabels(r: QuarterlyReport): string[] {
  return r.weeks.map((w) => DateTime.fromISO(w, { zone: r.tz }).toFormat('MM-dd'))
}

/** A scope's weekly rows aligned on the report's weeks (missing weeks are null rows). */
export function weeklyAligned(r: QuarterlyReport, s: Scope): (MetricsRow | null)[] {
  const by = new Map(s.weekly.map((w) => [w.bucketStart ?? '', w]))
  return r.weeks.map((w) => by.get(w) ?? null)
}

export function headline(r: QuarterlyReport): string {
  return `Quarterly engineering review — ${r.quarter.label}${r.team ? ` — team ${r.team}` : ''}`
}

export function periodLine(r: QuarterlyReport): string {
  const q = r.quarter
  const to = q.inProgress ? `${periodText(q.fromMs, q.toMs, r.tz)} (quarter in progress: figures to date)` : periodText(q.fromMs, q.toMs, r.tz)
  return `${q.label}: ${to}, ${r.tz}. Compared with ${r.previous.label} (${periodText(r.previous.fromMs, r.previous.toMs, r.tz)}).`
}

export const shortSha = (s: string | null) => (s ? s.slice(0, 8) : '–')

/** `github:acme/checkout#101` → `acme/checkout#101` for people; ids stay whole in CSV. */
export const shortId = (id: string | null) => (id === null ? '–' : id.replace(/^(github|pagerduty|generic|cdevents):/, ''))
