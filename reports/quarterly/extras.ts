/**
 * Issue 15 in the quarterly review: Quick Check scores against the published benchmark (§17),
 * the AI-assisted section (§16), and the corrections that changed the quarter's records (§18).
 * Gathered here and rendered by the three renderers, so data.ts only gains one field.
 */
import type { Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import type { AuthorClass, CorrectionNote } from '../../contracts/records.ts'
import { humanizeSeconds } from '../../queries/format.ts'
import { computeMetrics, type MetricsRow } from '../../queries/metrics.ts'
import { chInstant } from '../../queries/periods.ts'
import { compareScore, SCORE_KEYS, type BenchmarkComparison, type Scores } from '../../queries/scores.ts'
import type { QuarterPeriod } from './period.ts'

export const SCORE_TITLES: Record<keyof Scores, string> = {
  leadTime: 'Lead time',
  deploymentFrequency: 'Deploy frequency',
  failedDeploymentRecovery: 'Recovery',
  changeFailure: 'Change failure',
  rework: 'Rework',
  throughput: 'Throughput',
  stability: 'Stability',
  overall: 'Overall',
}
export { SCORE_KEYS }

export interface AuthorSplit {
  authorClass: AuthorClass
  changes: number
  share: number | null
  leadTimeMedian: number | null
  deployments: number
  changeFailureRate: number | null
}

export interface CorrectedRecord {
  record: 'deployment' | 'incident'
  id: string
  service: string
  team: string
  atMs: number
  correction: CorrectionNote
}

export interface QuarterExtras {
  benchmark: BenchmarkComparison
  authors: AuthorSplit[]
  /** The sentence of the AI-assisted section, from the figures; null when there is nothing to compare. */
  aiSentence: string | null
  corrections: CorrectedRecord[]
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`)

function splitOf(r: MetricsRow): AuthorSplit {
  return { authorClass: r.authorClass!, changes: r.changes ?? 0, share: r.changeShare ?? null, leadTimeMedian: r.leadTimeSeconds.median, deployments: r.deployments, changeFailureRate: r.changeFailureRate }
}

/** "AI-assisted changes: 31 % of changes, median lead time 14h vs 22h; their deployments' failure rate 12 % vs 15 %" (vs human changes). */
export function aiSentence(authors: readonly AuthorSplit[]): string | null {
  const ai = authors.find((a) => a.authorClass === 'ai_assisted')
  const human = authors.find((a) => a.authorClass === 'human')
  if (!ai || ai.changes === 0) return null
  const vs = (a: string, b: string | null) => (b === null ? a : `${a} vs ${b}`)
  const lead = vs(humanizeSeconds(ai.leadTimeMedian), human ? humanizeSeconds(human.leadTimeMedian) : null)
  const cfr = vs(pct(ai.changeFailureRate), human ? pct(human.changeFailureRate) : null)
  return `AI-assisted changes: ${pct(ai.share)} of changes, median lead time ${lead}; their deployments' failure rate ${cfr}${human ? ' (against human changes)' : ''}.`
}

/** "8.0 (+2.5, +1.0 sd)" against a benchmark mean ± sd. */
export function scoreAgainst(score: number | null, b: { mean: number; sd: number }): string {
  const c = compareScore(score, b)
  if (score === null || c === null) return '–'
  const sign = (x: number) => (x >= 0 ? `+${x.toFixed(1)}` : x.toFixed(1))
  return `${score.toFixed(1)} (${sign(c.delta)}${c.z === null ? '' : `, ${sign(c.z)} sd`})`
}

export async function loadExtras(db: Db, config: Config, quarter: QuarterPeriod, tz: string, team: string | null, now: number): Promise<QuarterExtras> {
  const range = { from: new Date(quarter.fromMs).toISOString(), to: new Date(quarter.toMs).toISOString(), tz, ...(team ? { team } : {}) }
  const split = await computeMetrics(db, config, { ...range, groupBy: 'authorClass' }, now)
  const authors = split.rows.map(splitOf)
  const params = { from: chInstant(quarter.fromMs), to: chInstant(quarter.toMs), team: team ?? '' }
  const rows = await db.query<{ record: 'deployment' | 'incident'; id: string; service: string; team: string; at_ms: string | number; correction: string }>(
    `SELECT 'deployment' AS record, id, service, team, toUnixTimestamp64Milli(deployed_at) AS at_ms, correction FROM deployments
      WHERE correction IS NOT NULL AND deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')} AND ({team:String} = '' OR team = {team:String})
     UNION ALL
     SELECT 'incident' AS record, id, service, team, toUnixTimestamp64Milli(started_at) AS at_ms, correction FROM incidents
      WHERE correction IS NOT NULL AND started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')} AND ({team:String} = '' OR team = {team:String})
     ORDER BY at_ms, id`,
    params,
  )
  return {
    benchmark: split.benchmark,
    authors,
    aiSentence: aiSentence(authors),
    corrections: rows.map((r) => ({ record: r.record, id: r.id, service: r.service, team: r.team, atMs: Number(r.at_ms), correction: JSON.parse(r.correction) as CorrectionNote })),
  }
}

/** A correction as one line for people: what it did, why, who and when. */
export function correctionText(c: CorrectionNote): string {
  const what = { not_caused_by_change: 'caused no deployment\'s failure', linked: 'linked by hand', failed: 'marked failed', not_failed: 'marked not failed', rule: 'excluded by a rule' }[c.kind]
  return `${what}: ${c.reason}${c.by ? ` — ${c.by}` : ''}${c.at ? `, ${c.at.slice(0, 10)}` : ''}`
}
