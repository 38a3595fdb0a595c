import { humanizeSeconds } from '../../queries/format.ts'
import type { MetricsRow } from '../../queries/metrics.ts'
import type { Tier } from '../../queries/tiers.ts'

/**
 * The figures of the review, in the order of METRICS.md §6: the four DORA keys,
 * failed-deployment recovery and rework. Each knows how to read its value from
 * a metrics row, format it, which direction is better, and how a change against
 * the previous quarter reads: relative (%) for rates and durations, percentage
 * points for shares.
 */
export interface FigureDef {
  key: 'deploymentFrequency' | 'leadTime' | 'changeFailureRate' | 'timeToRestore' | 'recovery' | 'rework'
  title: string
  /** For table headers. */
  short: string
  /** What the value is, for tables and CSV. */
  unit: string
  value(r: MetricsRow): number | null
  format(v: number | null): string
  tier(r: MetricsRow): Tier | null
  better: 'higher' | 'lower'
  change: 'relative' | 'points'
}

export const pct = (x: number | null, digits = 0): string => (x === null ? '–' : `${(x * 100).toFixed(digits)} %`)

export function frequencyText(perDay: number | null): string {
  if (perDay === null) return '–'
  if (perDay >= 1) return `${perDay.toFixed(1)}/day`
  if (perDay * 7 >= 1) return `${(perDay * 7).toFixed(1)}/week`
  return `${(perDay * 30).toFixed(1)}/month`
}

const dur = (v: number | null) => humanizeSeconds(v)

export const FIGURES: FigureDef[] = [
  { key: 'deploymentFrequency', short: 'Deploy frequency', title: 'Deployment frequency', unit: 'deployments per day', value: (r) => r.deploymentsPerDay, format: frequencyText, tier: (r) => r.tiers.deploymentFrequency, better: 'higher', change: 'relative' },
  { key: 'leadTime', short: 'Lead time', title: 'Lead time (median)', unit: 'seconds', value: (r) => r.leadTimeSeconds.median, format: dur, tier: (r) => r.tiers.leadTime, better: 'lower', change: 'relative' },
  { key: 'changeFailureRate', short: 'Change failure', title: 'Change failure rate', unit: 'share of deployments', value: (r) => r.changeFailureRate, format: (v) => pct(v, 1), tier: (r) => r.tiers.changeFailureRate, better: 'lower', change: 'points' },
  { key: 'timeToRestore', short: 'Time to restore', title: 'Time to restore (median)', unit: 'seconds', value: (r) => r.timeToRestoreSeconds.median, format: dur, tier: (r) => r.tiers.timeToRestore, better: 'lower', change: 'relative' },
  { key: 'recovery', short: 'Recovery', title: 'Failed-deployment recovery (median)', unit: 'seconds', value: (r) => r.failedDeploymentRecoverySeconds.median, format: dur, tier: () => null, better: 'lower', change: 'relative' },
  { key: 'rework', short: 'Rework', title: 'Rework rate', unit: 'share of deployments', value: (r) => r.reworkRate, format: (v) => pct(v, 1), tier: () => null, better: 'lower', change: 'points' },
]

export interface Change {
  /** Relative change (0.25 = +25 %) or difference in points of a share (0.05 = +5 pts). */
  delta: number | null
  text: string
  direction: 'better' | 'worse' | 'same' | null
}

/** Current against previous; `null` delta when either side has no value or a relative change has a zero base. */
export function changeOf(f: FigureDef, cur: MetricsRow | null, prev: MetricsRow | null): Change {
  const c = cur ? f.value(cur) : null
  const p = prev ? f.value(prev) : null
  if (c === null || p === null) return { delta: null, text: p === null && c !== null ? 'new' : '–', direction: null }
  let delta: number
  let text: string
  if (f.change === 'points') {
    delta = c - p
    const pts = delta * 100
    text = `${pts > 0 ? '+' : pts < 0 ? '−' : '±'}${Math.abs(pts).toFixed(1)} pts`
  } else {
    if (p === 0) return { delta: null, text: c === 0 ? '±0 %' : 'from 0', direction: c === 0 ? 'same' : f.better === 'higher' ? 'better' : 'worse' }
    delta = (c - p) / p
    const r = Math.round(delta * 100)
    text = `${r > 0 ? '+' : r < 0 ? '−' : '±'}${Math.abs(r)} %`
  }
  // Below half a percent (or half a point) is noise to a reader.
  const direction = Math.abs(delta) < 0.005 ? 'same' : (delta > 0) === (f.better === 'higher') ? 'better' : 'worse'
  return { delta, text, direction }
}
