// doraflow overview, issue 15: Quick Check scores against the published benchmark (§17),
// changes by author with the author filter (§16), and corrections in the drill-down (§18).
// Uses el(), dur(), pct() and state from app.js (loaded first; both run before DOMContentLoaded).
'use strict'

const SCORE_KEYS = [
  ['leadTime', 'Lead time'], ['deploymentFrequency', 'Deploy frequency'], ['failedDeploymentRecovery', 'Recovery'],
  ['changeFailure', 'Change failure'], ['rework', 'Rework'], ['throughput', 'Throughput'], ['stability', 'Stability'], ['overall', 'Overall'],
]
const AUTHOR_NAMES = { ai_assisted: 'AI-assisted', human: 'People', bot: 'Bots' }

function score(v) {
  return v === null || v === undefined ? '–' : v.toFixed(1)
}

/** A score against a benchmark mean ± sd: "8.0 (+2.5)", coloured by the side of the mean. */
function scoreCell(v, b) {
  const td = el('td', { class: 'num' })
  td.append(el('span', { class: 'score', text: score(v) }))
  if (v !== null && v !== undefined && b) {
    const d = v - b.mean
    td.append(' ', el('span', { class: d >= 0 ? 'above' : 'below', title: 'benchmark ' + b.mean.toFixed(1) + ' ± ' + b.sd.toFixed(1), text: '(' + (d >= 0 ? '+' : '') + d.toFixed(1) + ')' }))
  }
  return td
}

function overallScoreCell(row, benchmark) {
  const v = row && row.scores ? row.scores.overall : null
  const b = benchmark && benchmark.industry.scores.overall
  return el('td', { class: 'score', 'data-figure': 'score', title: b ? 'benchmark ' + benchmark.industry.name + ': ' + b.mean.toFixed(1) + ' ± ' + b.sd.toFixed(1) : null, text: score(v) })
}

function renderScores(teams) {
  const t = $('score-table')
  const b = teams.benchmark
  t.replaceChildren(el('thead', {}, el('tr', {}, el('th', { text: 'Team' }), ...SCORE_KEYS.map(([, name]) => el('th', { class: 'num', text: name })))))
  const tb = el('tbody')
  for (const r of teams.rows) tb.append(el('tr', { 'data-team': r.team }, el('td', { text: r.team }), ...SCORE_KEYS.map(([k]) => scoreCell(r.scores[k], b.industry.scores[k]))))
  for (const bench of [b.industry, b.orgSize]) {
    tb.append(el('tr', { class: 'benchmark' }, el('td', { text: 'Benchmark: ' + bench.name + ' (' + b.edition + ')' }), ...SCORE_KEYS.map(([k]) => el('td', { class: 'num', text: bench.scores[k].mean.toFixed(1) + ' ± ' + bench.scores[k].sd.toFixed(1) }))))
  }
  t.append(tb)
  $('score-source').textContent = 'Scores follow METRICS.md §17; benchmarks are DORA\'s published 2025 Quick Check means and standard deviations (metrics.benchmark chooses the industry and organisation size).'
  $('scores').hidden = teams.rows.length === 0
}

/** The sentence of the quarterly review, from the same figures: AI-assisted against people. */
function aiSentence(rows) {
  const ai = rows.find((r) => r.authorClass === 'ai_assisted')
  const human = rows.find((r) => r.authorClass === 'human')
  if (!ai || !ai.changes) return 'No AI-assisted changes in this period.'
  const vs = (a, b) => (b === undefined ? a : a + ' vs ' + b)
  return 'AI-assisted changes: ' + pct(ai.changeShare) + ' of changes, median lead time ' + vs(dur(ai.leadTimeSeconds.median), human && dur(human.leadTimeSeconds.median)) +
    '; their deployments\' failure rate ' + vs(pct(ai.changeFailureRate), human && pct(human.changeFailureRate)) + (human ? ' (against people).' : '.')
}

function renderAuthors(split) {
  const t = $('author-table')
  t.replaceChildren(el('thead', {}, el('tr', {}, ...['Author', 'Changes', 'Share', 'Median lead time', 'Deployments carrying them', 'Their failure rate'].map((h) => el('th', { text: h })))))
  const tb = el('tbody')
  for (const r of split.rows) {
    tb.append(el('tr', { 'data-author': r.authorClass, class: state.author === r.authorClass ? 'selected' : null },
      el('td', { text: AUTHOR_NAMES[r.authorClass] || r.authorClass }), el('td', { class: 'num', text: String(r.changes) }), el('td', { class: 'num', text: pct(r.changeShare) }),
      el('td', { class: 'num', text: dur(r.leadTimeSeconds.median) }), el('td', { class: 'num', text: String(r.deployments) }), el('td', { class: 'num', text: pct(r.changeFailureRate) })))
  }
  t.append(tb)
  $('ai-sentence').textContent = aiSentence(split.rows)
  $('authors').hidden = split.rows.length === 0
}

/** The author filter on the drill-down: only deployments carrying changes of the class, and only those changes. */
function byAuthor(deployments) {
  if (!state.author) return deployments
  return deployments.map((d) => ({ ...d, changes: (d.changes || []).filter((c) => c.authorClass === state.author) })).filter((d) => d.changes.length > 0)
}

/** §18: what overruled the rules for a record, as a flag and a line (who, why, when). */
function correctionNote(c) {
  if (!c) return null
  const what = { not_caused_by_change: 'caused no deployment\'s failure', linked: 'linked by hand', failed: 'marked failed', not_failed: 'marked not failed', rule: 'excluded by a rule' }[c.kind] || c.kind
  const text = what + ': ' + c.reason + (c.by ? ' — ' + c.by : '') + (c.at ? ', ' + c.at.slice(0, 10) : '')
  return el('span', {}, el('span', { class: 'flag corrected', title: text, text: 'corrected' }), el('span', { class: 'correction', text }))
}
