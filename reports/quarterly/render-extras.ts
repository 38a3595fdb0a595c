/**
 * The issue-15 sections of the quarterly review in Markdown, HTML and CSV: scores against the
 * benchmark, AI-assisted changes, corrections. One place, so the three renderings agree.
 */
import { humanizeSeconds } from '../../queries/format.ts'
import type { Scores } from '../../queries/scores.ts'
import { shortId, when } from './common.ts'
import type { QuarterlyReport, Scope } from './data.ts'
import { correctionText, SCORE_KEYS, SCORE_TITLES, scoreAgainst, type AuthorSplit } from './extras.ts'
import { cell, table } from './render-md.ts'
import { esc } from './svg.ts'

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)} %`)
const AUTHOR: Record<AuthorSplit['authorClass'], string> = { ai_assisted: 'AI-assisted', human: 'Human', bot: 'Bot' }

/** Rows of the scores table: each scope's scores against the chosen industry benchmark, then the two benchmarks. */
function scoreRows(r: QuarterlyReport, scopes: Scope[]): { name: string; cells: string[] }[] {
  const b = r.extras.benchmark
  const of = (s: Scores | undefined) => SCORE_KEYS.map((k) => (s ? scoreAgainst(s[k], b.industry.scores[k]) : '–'))
  const bench = (name: string, scores: typeof b.industry.scores) => ({ name, cells: SCORE_KEYS.map((k) => `${scores[k].mean.toFixed(1)} ± ${scores[k].sd.toFixed(1)}`) })
  return [
    ...scopes.map((s) => ({ name: s.team ?? 'All teams', cells: of(s.current?.scores) })),
    bench(`Benchmark: ${b.industry.name} (${b.edition})`, b.industry.scores),
    bench(`Benchmark: ${b.orgSize.name} (${b.edition})`, b.orgSize.scores),
  ]
}

const SCORES_NOTE = (r: QuarterlyReport) =>
  `DORA Quick Check scores, 0–10 (METRICS.md §17), with the difference to the ${r.extras.benchmark.edition} benchmark "${r.extras.benchmark.industry.name}" (mean ± standard deviation; source: DORA's Quick Check data, benchmarks/README.md).`

const authorCells = (a: AuthorSplit) => [AUTHOR[a.authorClass], String(a.changes), pct(a.share), humanizeSeconds(a.leadTimeMedian), String(a.deployments), pct(a.changeFailureRate)]
const AUTHOR_HEAD = ['Author', 'Changes', 'Share', 'Median lead time', 'Deployments carrying them', 'Their failure rate']
const CORRECTION_HEAD = ['Record', 'Service', 'When', 'Correction']

export function extrasMarkdown(r: QuarterlyReport, scopes: Scope[]): string {
  const x = r.extras
  const out: string[] = ['## Scores (DORA Quick Check)', '', SCORES_NOTE(r), '']
  out.push(table(['Scope', ...SCORE_KEYS.map((k) => SCORE_TITLES[k])], scoreRows(r, scopes).map((row) => [cell(row.name), ...row.cells])), '')
  out.push('## AI-assisted changes', '')
  out.push(x.aiSentence ?? 'No AI-assisted changes this quarter (METRICS.md §16: Co-authored-by trailers or agent accounts).', '')
  if (x.authors.length) out.push(table(AUTHOR_HEAD, x.authors.map(authorCells)), '')
  out.push('## Corrections', '')
  if (x.corrections.length === 0) out.push('No record of this quarter was corrected by hand or excluded by a rule.', '')
  else out.push(table(CORRECTION_HEAD, x.corrections.map((c) => [cell(`${c.record} ${shortId(c.id)}`), cell(c.service), when(c.atMs, r.tz), cell(correctionText(c.correction))])), '')
  return out.join('\n')
}

const htmlTable = (head: string[], rows: string[][]) => `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`

export function extrasHtml(r: QuarterlyReport, scopes: Scope[]): string {
  const x = r.extras
  return `<h2>Scores (DORA Quick Check)</h2>
<p class="meta">${esc(SCORES_NOTE(r))}</p>
${htmlTable(['Scope', ...SCORE_KEYS.map((k) => SCORE_TITLES[k])], scoreRows(r, scopes).map((row) => [row.name, ...row.cells]))}
<h2>AI-assisted changes</h2>
<p class="ai">${esc(x.aiSentence ?? 'No AI-assisted changes this quarter (METRICS.md §16: Co-authored-by trailers or agent accounts).')}</p>
${x.authors.length ? htmlTable(AUTHOR_HEAD, x.authors.map(authorCells)) : ''}
<h2>Corrections</h2>
${x.corrections.length === 0 ? '<p class="empty">No record of this quarter was corrected by hand or excluded by a rule.</p>' : htmlTable(CORRECTION_HEAD, x.corrections.map((c) => [`${c.record} ${shortId(c.id)}`, c.service, when(c.atMs, r.tz), correctionText(c.correction)]))}`
}

/** CSV lines in the long format: one per scope and score (unit "score 0-10"). */
export function extrasCsv(r: QuarterlyReport, scope: 'overall' | 'team' | 'service', s: Scope): (string | number | null)[][] {
  return SCORE_KEYS.map((k) => [r.quarter.label, scope, s.team, s.service, `score_${k}`, s.current?.scores[k] ?? null, 'score 0-10', null, r.previous.label, s.previous?.scores[k] ?? null, null, s.current && s.previous && s.current.scores[k] !== null && s.previous.scores[k] !== null ? s.current.scores[k]! - s.previous.scores[k]! : null, 'difference', null])
}
