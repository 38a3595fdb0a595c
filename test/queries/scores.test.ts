import { describe, expect, it } from 'vitest'
import { TIER_SETS, QUICK_CHECK } from '../../benchmarks/index.ts'
import { parseConfig } from '../../config/load.ts'
import { DEFAULT_TIERS, tierThresholdsOf } from '../../config/schema.ts'
import { benchmarkScores, chosenBenchmarks, compareScore, indexAbove, indexBelow, scoresOf } from '../../queries/scores.ts'
import { tiersOf } from '../../queries/tiers.ts'

const H = 3600
const DAY = 86400
const none = { leadTimeMedian: null, deploymentsPerDay: null, recoveryMedian: null, changeFailureRate: null, reworkRate: null }

describe('Quick Check scores (METRICS.md §17)', () => {
  it('lead time and recovery: "more than" bounds 182.5 d, 30 d, 7 d, 1 d, 1 h; a bound itself is the better answer', () => {
    const b = QUICK_CHECK.scoring.leadTimeSecondsAbove
    expect(b).toEqual([182.5 * DAY, 30 * DAY, 7 * DAY, DAY, H])
    expect(indexAbove(0, b)).toBe(6)
    expect(indexAbove(H, b)).toBe(6) // exactly one hour is "≤ 1 h"
    expect(indexAbove(H + 1, b)).toBe(5)
    expect(indexAbove(DAY, b)).toBe(5)
    expect(indexAbove(DAY + 1, b)).toBe(4)
    expect(indexAbove(7 * DAY + 1, b)).toBe(3)
    expect(indexAbove(30 * DAY + 1, b)).toBe(2)
    expect(indexAbove(182.5 * DAY + 1, b)).toBe(1)
    expect(QUICK_CHECK.scoring.recoverySecondsAbove).toEqual(b)
  })

  it('deployment frequency: "less than" bounds 1/182.5, 1/30, 1/7, 1, 24 per day', () => {
    const b = QUICK_CHECK.scoring.deploymentsPerDayBelow
    expect(b).toEqual([1 / 182.5, 1 / 30, 1 / 7, 1, 24])
    expect(indexBelow(0, b)).toBe(1)
    expect(indexBelow(1 / 182.5, b)).toBe(2) // once per half year is not "less than" it
    expect(indexBelow(1 / 7, b)).toBe(4) // once a week
    expect(indexBelow(1, b)).toBe(5) // once a day
    expect(indexBelow(23.9, b)).toBe(5)
    expect(indexBelow(24, b)).toBe(6)
  })

  it('scores = (index − 1) × 2; shares = 10 − 10 × rate; means over the present ones', () => {
    // lead 2 h → 5 → 8; 3/day → 5 → 8; recovery 2 days → 4 → 6; CFR 20 % → 8; rework 5 % → 9.5
    const s = scoresOf({ leadTimeMedian: 2 * H, deploymentsPerDay: 3, recoveryMedian: 2 * DAY, changeFailureRate: 0.2, reworkRate: 0.05 })
    expect(s).toEqual({ leadTime: 8, deploymentFrequency: 8, failedDeploymentRecovery: 6, changeFailure: 8, rework: 9.5, throughput: 22 / 3, stability: 8.75, overall: 39.5 / 5 })
  })

  it('a score with no data is null and left out of the means', () => {
    expect(scoresOf(none)).toEqual({ leadTime: null, deploymentFrequency: null, failedDeploymentRecovery: null, changeFailure: null, rework: null, throughput: null, stability: null, overall: null })
    // only a frequency (0/day → 0) and a CFR of 50 % (→ 5): throughput 0, stability 5, overall 2.5
    const s = scoresOf({ ...none, deploymentsPerDay: 0, changeFailureRate: 0.5 })
    expect([s.deploymentFrequency, s.changeFailure, s.throughput, s.stability, s.overall]).toEqual([0, 5, 0, 5, 2.5])
  })
})

describe('2025 benchmarks (benchmarks/quickcheck-2025.json)', () => {
  it('all industries on the scores scale: change failure, rework and instability flipped, overall = mean of the five', () => {
    const b = chosenBenchmarks({ industry: 'all', orgSize: 'all' })
    expect(b.edition).toBe('2025')
    expect(b.industry.name).toBe('All industries')
    const s = b.industry.scores
    expect(s.leadTime).toEqual({ mean: 5.5, sd: 2.4 })
    expect(s.deploymentFrequency).toEqual({ mean: 4.8, sd: 2.8 })
    expect(s.failedDeploymentRecovery).toEqual({ mean: 7.4, sd: 2.1 })
    expect(s.changeFailure.mean).toBeCloseTo(8.1, 12) // 10 − 1.9
    expect(s.rework.mean).toBeCloseTo(7.8, 12) // 10 − 2.2
    expect(s.stability).toEqual({ mean: 10 - 2.1, sd: 2.0 })
    expect(s.throughput).toEqual({ mean: 6.0, sd: 2.1 })
    expect(s.overall.mean).toBeCloseTo((5.5 + 4.8 + 7.4 + 8.1 + 7.8) / 5, 12) // 6.72
    expect(s.overall.sd).toBe(1.2)
  })

  it('the organisation-size table publishes recovery inverted: read as 10 − value, so "all" agrees with the industry table', () => {
    expect(QUICK_CHECK.benchmarks.orgSize.groups['all']!.failurerecovery.mean).toBe(2.6) // kept as published
    const b = chosenBenchmarks({ industry: 'all', orgSize: 'all' })
    expect(b.orgSize.scores.failedDeploymentRecovery.mean).toBeCloseTo(7.4, 12)
    expect(b.orgSize.scores.overall.mean).toBeCloseTo(b.industry.scores.overall.mean, 12)
  })

  it('per industry and organisation size, by the configured keys', () => {
    const b = chosenBenchmarks({ industry: 'financial_services', orgSize: 'more_than_9999' })
    expect(b.industry.name).toBe('Financial Services')
    // 5.4, 5.1, 7.7, 10 − 1.7, 10 − 1.9 → 34.6 / 5
    expect(b.industry.scores.overall.mean).toBeCloseTo(6.92, 12)
    expect(b.orgSize.name).toBe('10,000 or more employees')
    expect(b.orgSize.scores.failedDeploymentRecovery.mean).toBeCloseTo(10 - 2.8, 12)
  })

  it('benchmarkScores flips only what the data file declares inverted', () => {
    const g = QUICK_CHECK.benchmarks.industry.groups['technology']!
    expect(benchmarkScores(g, []).leadTime.mean).toBe(5.7)
    expect(benchmarkScores(g, ['leadtime']).leadTime.mean).toBeCloseTo(4.3, 12)
  })

  it('compareScore: difference and standard deviations', () => {
    expect(compareScore(8, { mean: 5.5, sd: 2.5 })).toEqual({ delta: 2.5, z: 1 })
    expect(compareScore(null, { mean: 5.5, sd: 2.5 })).toBeNull()
    expect(compareScore(5, { mean: 5, sd: 0 })).toEqual({ delta: 0, z: null })
  })

  it('every table names its source', () => {
    for (const t of [QUICK_CHECK.scoring, QUICK_CHECK.benchmarks.industry, QUICK_CHECK.benchmarks.orgSize]) expect(t.source.url).toMatch(/^https:\/\//)
    for (const [name, set] of Object.entries(TIER_SETS)) {
      expect(set.source.url, name).toMatch(/^https:\/\//)
      expect(set.verification.length, name).toBeGreaterThan(20)
    }
  })
})

describe('tier sets (benchmarks/tier-sets.json, METRICS.md §7)', () => {
  it('dora-2021 is §7\'s table, to the number (1/7 and 1/30 exactly)', () => {
    expect(DEFAULT_TIERS).toEqual({
      deploymentFrequency: { elite: 1, high: 1 / 7, medium: 1 / 30 },
      leadTime: { elite: DAY, high: 7 * DAY, medium: 30 * DAY },
      timeToRestore: { elite: H, high: DAY, medium: 7 * DAY },
      changeFailureRate: { elite: 0.15, high: 0.3, medium: 0.45 },
    })
  })

  const tiers = (set: string, x: Partial<Parameters<typeof tiersOf>[0]>) =>
    tiersOf({ deploymentsPerDay: null, leadTimeMedian: null, timeToRestoreMedian: null, changeFailureRate: null, ...x }, TIER_SETS[set]!.thresholds)

  it('dora-2023: change failure 5 / 10 / 15 %, recovery < 1 h / < 1 day / < 1 week', () => {
    expect([0.05, 0.06, 0.1, 0.12, 0.15, 0.16, 0.64].map((r) => tiers('dora-2023', { changeFailureRate: r }).changeFailureRate)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low', 'low'])
    expect([H - 1, H, DAY, 7 * DAY].map((s) => tiers('dora-2023', { timeToRestoreMedian: s }).timeToRestore)).toEqual(['elite', 'high', 'medium', 'low'])
  })

  it('dora-2024 keeps its odd rows: high CFR 20 % above medium 10 % (medium unreachable), medium recovery = high', () => {
    // 8 % is not elite (> 5 %) and ≤ 20 % → high, never medium although ≤ 10 %
    expect([0.05, 0.08, 0.1, 0.2, 0.21, 0.4].map((r) => tiers('dora-2024', { changeFailureRate: r }).changeFailureRate)).toEqual(['elite', 'high', 'high', 'high', 'low', 'low'])
    // recovery: < 1 h elite, < 1 day high, and a day or more low (medium's "< 1 day" equals high's)
    expect([H - 1, 2 * H, DAY - 1, DAY, 3 * DAY].map((s) => tiers('dora-2024', { timeToRestoreMedian: s }).timeToRestore)).toEqual(['elite', 'high', 'high', 'low', 'low'])
    // frequency and lead time are the usual ranges: 1/7 per day high, 1/30 medium; 1 week lead time medium
    expect(tiers('dora-2024', { deploymentsPerDay: 1 / 7, leadTimeMedian: 7 * DAY })).toMatchObject({ deploymentFrequency: 'high', leadTime: 'medium' })
  })

  it('dora-2021-published: lead time < 1 h elite, 1 h – 1 week high, up to 6 months medium; CFR has no medium', () => {
    expect([H - 1, H, 7 * DAY - 1, 7 * DAY, 182.5 * DAY].map((s) => tiers('dora-2021-published', { leadTimeMedian: s }).leadTime)).toEqual(['elite', 'high', 'high', 'medium', 'low'])
    expect([0.15, 0.16, 0.3, 0.31].map((r) => tiers('dora-2021-published', { changeFailureRate: r }).changeFailureRate)).toEqual(['elite', 'high', 'high', 'low'])
  })

  it('the config chooses a set by name; an own set of the same name wins; unknown names and benchmarks are refused', () => {
    expect(tierThresholdsOf(parseConfig({ metrics: { tierSet: 'dora-2024' } }))).toEqual(TIER_SETS['dora-2024']!.thresholds)
    const own = { deploymentFrequency: { elite: 9, high: 8, medium: 7 }, leadTime: { elite: 1, high: 2, medium: 3 }, timeToRestore: { elite: 1, high: 2, medium: 3 }, changeFailureRate: { elite: 0, high: 0.1, medium: 0.2 } }
    expect(tierThresholdsOf(parseConfig({ metrics: { tierSet: 'dora-2023', tierSets: { 'dora-2023': own } } }))).toEqual(own)
    expect(() => parseConfig({ metrics: { tierSet: 'dora-2099' } })).toThrow(/unknown tier set "dora-2099".*dora-2024/)
    expect(() => parseConfig({ metrics: { benchmark: { industry: 'fishing' } } })).toThrow(/metrics\.benchmark\.industry/)
    expect(parseConfig({}).metrics.benchmark).toEqual({ industry: 'all', orgSize: 'all' })
  })
})
