import { DateTime } from 'luxon'

/**
 * Quarters as people name them: `2026-Q3` is [2026-07-01, 2026-10-01) read in
 * the report's timezone. A quarter still in progress ends at `now` ("to date"),
 * so its deployment frequency is not diluted by days that have not happened.
 */
export interface QuarterPeriod {
  label: string // 2026-Q3
  fromMs: number
  toMs: number
  /** The calendar end of the quarter (== toMs unless in progress). */
  endMs: number
  inProgress: boolean
}

const QUARTER_RE = /^(\d{4})-?Q([1-4])$/i

export class QuarterError extends Error {}

export function parseQuarter(text: string, tz: string, nowMs: number = Date.now()): QuarterPeriod {
  const m = QUARTER_RE.exec(text.trim())
  if (!m) throw new QuarterError(`quarter: expected YYYY-Qn, e.g. 2026-Q3 (got ${JSON.stringify(text)})`)
  return quarterOf(Number(m[1]), Number(m[2]), tz, nowMs)
}

export function quarterOf(year: number, q: number, tz: string, nowMs: number = Date.now()): QuarterPeriod {
  const start = DateTime.fromObject({ year, month: (q - 1) * 3 + 1, day: 1 }, { zone: tz })
  const end = start.plus({ months: 3 })
  const fromMs = start.toMillis()
  const endMs = end.toMillis()
  if (fromMs >= nowMs) throw new QuarterError(`quarter: ${year}-Q${q} has not started yet`)
  const inProgress = endMs > nowMs
  return { label: `${year}-Q${q}`, fromMs, toMs: inProgress ? nowMs : endMs, endMs, inProgress }
}

/** The quarter before, always whole (it has ended when `p` has started). */
export function previousQuarter(p: QuarterPeriod, tz: string): QuarterPeriod {
  const m = QUARTER_RE.exec(p.label)!
  let year = Number(m[1])
  let q = Number(m[2]) - 1
  if (q === 0) {
    q = 4
    year -= 1
  }
  return quarterOf(year, q, tz, p.fromMs + 1)
}

/** The quarter containing `ms` in tz, e.g. for a default. */
export function quarterLabelAt(ms: number, tz: string): string {
  const d = DateTime.fromMillis(ms, { zone: tz })
  return `${d.year}-Q${d.quarter}`
}

/** The last quarter that has ended at `now` in tz: what a review is usually about. */
export function lastCompleteQuarter(tz: string, nowMs: number = Date.now()): string {
  const d = DateTime.fromMillis(nowMs, { zone: tz }).startOf('quarter').minus({ days: 1 })
  return `${d.year}-Q${d.quarter}`
}
