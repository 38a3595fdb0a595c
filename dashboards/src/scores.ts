import { QUICK_CHECK } from '../../benchmarks/index.ts'
import { chosenBenchmarks, SCORE_KEYS } from '../../queries/scores.ts'
import { fromReport, type Layout } from './lib.ts'

/**
 * Quick Check scores (METRICS.md §17) and the AI-assisted split (§16) as panels. The answer
 * bounds are the data file's (benchmarks/quickcheck-2025.json), the same numbers queries/scores.ts
 * uses, written into the SQL here as tierSql writes the tier thresholds.
 */
type ScoreKey = 'leadTime' | 'deploymentFrequency' | 'failedDeploymentRecovery'

/** SQL for a 0–10 score of one metric column (null stays null). */
export function scoreSql(key: ScoreKey | 'changeFailure' | 'rework', col: string): string {
  const s = QUICK_CHECK.scoring
  const steps = (op: '>' | '<', bounds: readonly number[]) => `CAST(multiIf(${col} IS NULL, NULL, ${bounds.map((b, i) => `${col} ${op} ${b}, ${i * 2}`).join(', ')}, 10), 'Nullable(Float64)')`
  switch (key) {
    case 'leadTime':
      return steps('>', s.leadTimeSecondsAbove)
    case 'failedDeploymentRecovery':
      return steps('>', s.recoverySecondsAbove)
    case 'deploymentFrequency':
      return steps('<', s.deploymentsPerDayBelow)
    default:
      return `if(${col} IS NULL, NULL, 10 - 10 * ${col})`
  }
}

/** Mean of the scores present (a score with no data is left out, §17); null when none is. */
const meanSql = (cols: string[]) => {
  const present = `arrayMap(x -> assumeNotNull(x), arrayFilter(x -> x IS NOT NULL, [${cols.join(', ')}]))`
  return `if(empty(${present}), NULL, arrayAvg(${present}))`
}

/** The eight scores from dora_summary, as columns named like the metrics answer's `scores` (after the `keep` columns). */
export function scoresSelect(fixed: Record<string, string>, keep: string[] = []): string {
  const inner = fromReport(
    'dora_summary',
    [
      ...keep,
      `${scoreSql('leadTime', 'lead_time_median_seconds')} AS leadTime`,
      `${scoreSql('deploymentFrequency', 'deployments_per_day')} AS deploymentFrequency`,
      `${scoreSql('failedDeploymentRecovery', 'recovery_median_seconds')} AS failedDeploymentRecovery`,
      `${scoreSql('changeFailure', 'change_failure_rate')} AS changeFailure`,
      `${scoreSql('rework', 'rework_rate')} AS rework`,
    ].join(',\n  '),
    fixed,
  )
  const five = ['leadTime', 'deploymentFrequency', 'failedDeploymentRecovery', 'changeFailure', 'rework']
  return `SELECT ${[...keep, ...five].join(', ')},\n  ${meanSql(five.slice(0, 3))} AS throughput,\n  ${meanSql(five.slice(3))} AS stability,\n  ${meanSql(five)} AS overall\nFROM (\n${inner}\n)`
}

export function addScorePanels(l: Layout): void {
  const b = chosenBenchmarks({ industry: 'all', orgSize: 'all' })
  l.row('Scores (DORA Quick Check) and AI-assisted changes')
  l.add({
    type: 'stat', title: 'Quick Check scores (0–10)', w: 16, h: 5, decimals: 1,
    thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'orange', value: 4 }, { color: 'yellow', value: 6 }, { color: 'green', value: 8 }] },
    description: `DORA Quick Check scores of the selected period (METRICS.md §17). The ${b.edition} benchmark "${b.industry.name}" (DORA's published means ± standard deviations): ${SCORE_KEYS.map((k) => `${k} ${b.industry.scores[k].mean.toFixed(1)} ± ${b.industry.scores[k].sd.toFixed(1)}`).join(', ')}. Other industries and organisation sizes: metrics.benchmark in the API, the overview and the quarterly review.`,
    sql: scoresSelect({ group_by: "'none'" }),
    options: { textMode: 'value_and_name', reduceOptions: { calcs: ['lastNotNull'], fields: '/.*/', values: false } },
  })
  l.add({
    type: 'table', title: `Overall score against the ${b.edition} benchmark`, w: 8, h: 5,
    description: 'The overall score per service, and how far it stands from the benchmark mean in standard deviations.',
    sql: `SELECT service, round(overall, 1) AS overall, round(overall - ${b.industry.scores.overall.mean}, 1) AS vs_benchmark, round((overall - ${b.industry.scores.overall.mean}) / ${b.industry.scores.overall.sd}, 2) AS sd\nFROM (\n${scoresSelect({ group_by: "'service'" }, ['service'])}\n)\nORDER BY overall DESC, service`,
  })
  l.add({
    type: 'table', title: 'Changes by author: share, lead time, their deployments\' failure rate', w: 24, h: 6,
    description: 'METRICS.md §16: bot, ai_assisted (Co-authored-by an assistant, or an agent account) and human changes of the period (report lead_time_by_author_class).',
    sql: fromReport('lead_time_by_author_class', 'author_class, changes, change_share, lead_time_median_seconds, deployments, change_failure_rate', {}, 'ORDER BY author_class'),
    overrides: [
      { matcher: { id: 'byName', options: 'lead_time_median_seconds' }, properties: [{ id: 'unit', value: 's' }] },
      ...['change_share', 'change_failure_rate'].map((c) => ({ matcher: { id: 'byName', options: c }, properties: [{ id: 'unit', value: 'percentunit' }, { id: 'decimals', value: 1 }] })),
    ],
  })
}
