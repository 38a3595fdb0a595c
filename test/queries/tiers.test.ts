import { describe, expect, it } from 'vitest'
import { DEFAULT_TIERS } from '../../config/schema.ts'
import { changeFailureRateTier, deploymentFrequencyTier, durationTier, overallTier, tiersOf } from '../../queries/tiers.ts'

/** METRICS.md §7 boundaries with the default (dora-2021) thresholds. */
const T = DEFAULT_TIERS
const DAY = 86400

describe('tiers', () => {
  it('deployment frequency: elite > 1; high 1/7..1 inclusive; medium 1/30..<1/7; low < 1/30', () => {
    const f = (x: number) => deploymentFrequencyTier(x, T.deploymentFrequency)
    expect(f(1.0001)).toBe('elite')
    expect(f(1)).toBe('high') // exactly once a day is high, not elite
    expect(f(1 / 7)).toBe('high') // once a week
    expect(f(1 / 7 - 1e-9)).toBe('medium')
    expect(f(1 / 30)).toBe('medium') // once a month
    expect(f(1 / 30 - 1e-9)).toBe('low')
    expect(f(0)).toBe('low')
    expect(deploymentFrequencyTier(null, T.deploymentFrequency)).toBeNull()
  })

  it('lead time median: elite < 1 day; high < 1 week; medium < 30 days; else low', () => {
    const f = (x: number) => durationTier(x, T.leadTime)
    expect(f(DAY - 1)).toBe('elite')
    expect(f(DAY)).toBe('high') // exactly one day is high
    expect(f(7 * DAY - 1)).toBe('high')
    expect(f(7 * DAY)).toBe('medium')
    expect(f(30 * DAY - 1)).toBe('medium')
    expect(f(30 * DAY)).toBe('low')
    expect(durationTier(null, T.leadTime)).toBeNull()
  })

  it('time to restore median: elite < 1 h; high < 1 day; medium < 1 week; else low', () => {
    const f = (x: number) => durationTier(x, T.timeToRestore)
    expect(f(3599.999)).toBe('elite')
    expect(f(3600)).toBe('high')
    expect(f(DAY)).toBe('medium')
    expect(f(7 * DAY)).toBe('low')
  })

  it('change failure rate: elite <= 15 %; high <= 30 %; medium <= 45 %; else low', () => {
    const f = (x: number) => changeFailureRateTier(x, T.changeFailureRate)
    expect(f(0)).toBe('elite')
    expect(f(3 / 20)).toBe('elite') // exactly 15 %
    expect(f(0.1500001)).toBe('high')
    expect(f(0.3)).toBe('high')
    expect(f(0.45)).toBe('medium')
    expect(f(0.4500001)).toBe('low')
    expect(changeFailureRateTier(null, T.changeFailureRate)).toBeNull()
  })

  it('overall is the lowest tier among the keys that have one; null when none has', () => {
    expect(overallTier(['elite', null, 'medium', 'high'])).toBe('medium')
    expect(overallTier(['elite', 'low'])).toBe('low')
    expect(overallTier([null, null])).toBeNull()
    expect(
      tiersOf({ deploymentsPerDay: 2, leadTimeMedian: null, timeToRestoreMedian: 2 * DAY, changeFailureRate: 0.1 }, T),
    ).toEqual({ deploymentFrequency: 'elite', leadTime: null, timeToRestore: 'medium', changeFailureRate: 'elite', overall: 'medium' })
    expect(tiersOf({ deploymentsPerDay: null, leadTimeMedian: null, timeToRestoreMedian: null, changeFailureRate: null }, T).overall).toBeNull()
  })
})
