/**
 * DORA Quick Check scores (METRICS.md §17): 0–10 per metric from the same figures as the tiers,
 * and the published 2025 benchmarks on the same scale. The answer bounds and the benchmarks are
 * data (benchmarks/quickcheck-2025.json); only the arithmetic lives here.
 */
import { QUICK_CHECK, type BenchmarkTable, type PublishedGroup, type QuickCheckScoring } from '../benchmarks/index.ts'

export interface Scores {
  leadTime: number | null
  deploymentFrequency: number | null
  failedDeploymentRecovery: number | null
  changeFailure: number | null
  rework: number | null
  throughput: number | null
  stability: number | null
  overall: number | null
}
export const SCORE_KEYS = ['leadTime', 'deploymentFrequency', 'failedDeploymentRecovery', 'changeFailure', 'rework', 'throughput', 'stability', 'overall'] as const satisfies readonly (keyof Scores)[]

export interface ScoreInputs {
  leadTimeMedian: number | null
  deploymentsPerDay: number | null
  recoveryMedian: number | null
  changeFailureRate: number | null
  reworkRate: number | null
}

/** Answer 1…6 to a "more than" question (durations): 1 when above the first bound, …, 6 when above none. */
export function indexAbove(value: number, bounds: readonly number[]): number {
  const i = bounds.findIndex((b) => value > b)
  return i === -1 ? bounds.length + 1 : i + 1
}

/** Answer 1…6 to a "less than" question (frequency): 1 when below the first bound, …, 6 when below none. */
export function indexBelow(value: number, bounds: readonly number[]): number {
  const i = bounds.findIndex((b) => value < b)
  return i === -1 ? bounds.length + 1 : i + 1
}

const fromIndex = (i: number) => (i - 1) * 2
/** A share of 0 scores 10, a share of 1 scores 0 (the Quick Check's percentage questions). */
const fromShare = (r: number) => 10 - 10 * r

/** Mean of the scores present; null when none is (a score with no data is left out, §17). */
export function meanOf(xs: readonly (number | null)[]): number | null {
  const present = xs.filter((x): x is number => x !== null)
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length
}

export function scoresOf(x: ScoreInputs, scoring: QuickCheckScoring = QUICK_CHECK.scoring): Scores {
  const leadTime = x.leadTimeMedian === null ? null : fromIndex(indexAbove(x.leadTimeMedian, scoring.leadTimeSecondsAbove))
  const deploymentFrequency = x.deploymentsPerDay === null ? null : fromIndex(indexBelow(x.deploymentsPerDay, scoring.deploymentsPerDayBelow))
  const failedDeploymentRecovery = x.recoveryMedian === null ? null : fromIndex(indexAbove(x.recoveryMedian, scoring.recoverySecondsAbove))
  const changeFailure = x.changeFailureRate === null ? null : fromShare(x.changeFailureRate)
  const rework = x.reworkRate === null ? null : fromShare(x.reworkRate)
  return {
    leadTime,
    deploymentFrequency,
    failedDeploymentRecovery,
    changeFailure,
    rework,
    throughput: meanOf([leadTime, deploymentFrequency, failedDeploymentRecovery]),
    stability: meanOf([changeFailure, rework]),
    overall: meanOf([leadTime, deploymentFrequency, failedDeploymentRecovery, changeFailure, rework]),
  }
}

export interface MeanSd {
  mean: number
  sd: number
}
export type BenchmarkScores = Record<keyof Scores, MeanSd>

export interface Benchmark {
  key: string
  name: string
  source: string
  scores: BenchmarkScores
}

/**
 * A published group on our scale (10 best everywhere), as the Quick Check shows it: change
 * failure, rework and instability are published 0 = best, so they read 10 − mean; the overall
 * mean is recomputed as the mean of the five (the published performance_average mixes the
 * scales); a field the data file declares inverted in its source reads 10 − mean too.
 */
export function benchmarkScores(g: PublishedGroup, invertedInSource: readonly string[]): BenchmarkScores {
  const higherBest = (k: 'leadtime' | 'deployfreq' | 'failurerecovery'): MeanSd => ({ mean: invertedInSource.includes(k) ? 10 - g[k].mean : g[k].mean, sd: g[k].std })
  const flipped = (m: { mean: number; std: number }): MeanSd => ({ mean: 10 - m.mean, sd: m.std })
  const five = [higherBest('leadtime'), higherBest('deployfreq'), higherBest('failurerecovery'), flipped(g.changefailure), flipped(g.rework)]
  return {
    leadTime: five[0]!,
    deploymentFrequency: five[1]!,
    failedDeploymentRecovery: five[2]!,
    changeFailure: five[3]!,
    rework: five[4]!,
    throughput: { mean: g.software_delivery_throughput.mean, sd: g.software_delivery_throughput.std },
    stability: flipped(g.software_delivery_instability),
    overall: { mean: meanOf(five.map((m) => m.mean))!, sd: g.performance_average.std },
  }
}

function benchmarkOf(table: BenchmarkTable, key: string): Benchmark {
  const g = table.groups[key] ?? table.groups['all']!
  return { key: table.groups[key] ? key : 'all', name: g.name, source: table.source.url, scores: benchmarkScores(g, table.invertedInSource) }
}

export interface BenchmarkComparison {
  edition: string
  industry: Benchmark
  orgSize: Benchmark
}

/** The benchmarks `metrics.benchmark` chooses (unknown keys are refused by the config schema). */
export function chosenBenchmarks(choice: { industry: string; orgSize: string }): BenchmarkComparison {
  return {
    edition: QUICK_CHECK.edition,
    industry: benchmarkOf(QUICK_CHECK.benchmarks.industry, choice.industry),
    orgSize: benchmarkOf(QUICK_CHECK.benchmarks.orgSize, choice.orgSize),
  }
}

/** How far a score stands from a benchmark: the difference and the number of standard deviations. */
export function compareScore(score: number | null, b: MeanSd): { delta: number; z: number | null } | null {
  if (score === null) return null
  const delta = score - b.mean
  return { delta, z: b.sd > 0 ? delta / b.sd : null }
}
