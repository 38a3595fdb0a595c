import type { TierThresholds } from '../config/schema.ts'

/**
 * Performance tiers (METRICS.md §7). The thresholds are data (config
 * `metrics.tierSets`); only the comparison directions live here, exactly as
 * the table reads: frequency elite is strictly above its threshold and the
 * lower tiers include theirs; lead time and restore time are "< threshold";
 * change failure rate is "<= threshold".
 */
export const TIERS = ['elite', 'high', 'medium', 'low'] as const
export type Tier = (typeof TIERS)[number]

export interface Tiers {
  deploymentFrequency: Tier | null
  leadTime: Tier | null
  timeToRestore: Tier | null
  changeFailureRate: Tier | null
  overall: Tier | null
}

export function deploymentFrequencyTier(perDay: number | null, t: TierThresholds['deploymentFrequency']): Tier | null {
  if (perDay === null) return null
  if (perDay > t.elite) return 'elite'
  if (perDay >= t.high) return 'high'
  if (perDay >= t.medium) return 'medium'
  return 'low'
}

/** Lead time and time to restore: medians in seconds, lower is better, each tier's bound excluded. */
export function durationTier(seconds: number | null, t: { elite: number; high: number; medium: number }): Tier | null {
  if (seconds === null) return null
  if (seconds < t.elite) return 'elite'
  if (seconds < t.high) return 'high'
  if (seconds < t.medium) return 'medium'
  return 'low'
}

export function changeFailureRateTier(rate: number | null, t: TierThresholds['changeFailureRate']): Tier | null {
  if (rate === null) return null
  if (rate <= t.elite) return 'elite'
  if (rate <= t.high) return 'high'
  if (rate <= t.medium) return 'medium'
  return 'low'
}

/** The lowest (worst) tier among those present; null when none is. */
export function overallTier(tiers: readonly (Tier | null)[]): Tier | null {
  let worst: Tier | null = null
  for (const t of tiers) if (t !== null && (worst === null || TIERS.indexOf(t) > TIERS.indexOf(worst))) worst = t
  return worst
}

export interface TierInputs {
  /** null when the group has no data at all in the period (see metrics.ts). */
  deploymentsPerDay: number | null
  leadTimeMedian: number | null
  timeToRestoreMedian: number | null
  changeFailureRate: number | null
}

export function tiersOf(x: TierInputs, t: TierThresholds): Tiers {
  const deploymentFrequency = deploymentFrequencyTier(x.deploymentsPerDay, t.deploymentFrequency)
  const leadTime = durationTier(x.leadTimeMedian, t.leadTime)
  const timeToRestore = durationTier(x.timeToRestoreMedian, t.timeToRestore)
  const changeFailureRate = changeFailureRateTier(x.changeFailureRate, t.changeFailureRate)
  return {
    deploymentFrequency,
    leadTime,
    timeToRestore,
    changeFailureRate,
    overall: overallTier([deploymentFrequency, leadTime, timeToRestore, changeFailureRate]),
  }
}
