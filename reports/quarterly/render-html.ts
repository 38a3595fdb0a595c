import { humanizeSeconds } from '../../queries/format.ts'
import type { Tier } from '../../queries/tiers.ts'
import { headline, periodLine, shortId, shortSha, weekLabels, weeklyAligned, when } from './common.ts'
import { WEEKDAYS, type QuarterlyReport, type Scope, type TeamSection } from './data.ts'
import { changeOf, FIGURES, pct } from './figures.ts'
import { extrasHtml } from './render-extras.ts'
import { barChart, esc, lineChart, sparkline } from './svg.ts'
import { releasesHtml } from './render-releases.ts'

/**
 * One self-contained HTML file: inline CSS, inline SVG, no script, no external
 * resource (fonts are the reader's system fonts). Sections break onto new
 * pages when printed; charts and table rows never split across pages.
 */

const COLORS = { ok: '#3b6fd4', failed: '#cf222e', lead: '#8250df', restore: '#bf5b04', cfr: '#cf222e' }

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1f2328; background: #f6f8fa; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 2px solid #d0d7de; }
h3 { font-size: 15px; margin: 22px 0 8px; color: #31363d; }
p.meta { color: #57606a; margin: 2px 0; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12.5px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; color: #31363d; }
table.scopes td, table.scopes th { padding: 5px 5px; }
table.scopes td:first-child { white-space: nowrap; }
table.scopes { table-layout: auto; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
a { color: #0a58ca; text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.tier { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 11px; font-weight: 600; line-height: 17px; color: #fff; white-space: nowrap; }
.tier-elite { background: #1a7f37; } .tier-high { background: #2f6fd6; } .tier-medium { background: #b07800; } .tier-low { background: #cf222e; } .tier-none { background: #8c959f; }
.chg { font-size: 11.5px; white-space: nowrap; }
.chg-better { color: #1a7f37; } .chg-worse { color: #cf222e; } .chg-same, .chg-null { color: #6e7781; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; margin: 8px 0 14px; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; break-inside: avoid; }
.card .label { font-size: 12px; color: #57606a; }
.card .value { font-size: 22px; font-weight: 650; margin: 2px 0; font-variant-numeric: tabular-nums; }
.card .prev { font-size: 12px; color: #57606a; }
.charts { display: grid; grid-template-columns: repeat(2, 1fr); gap: 8px 18px; margin: 6px 0 12px; }
.charts figure { margin: 0; break-inside: avoid; }
svg.chart { display: block; width: 100%; height: auto; max-width: 520px; }
svg.spark { display: block; }
ul.findings { padding-left: 0; list-style: none; margin: 6px 0 12px; }
ul.findings li { padding: 6px 10px 6px 12px; margin: 4px 0; border-left: 4px solid #8c959f; background: #f6f8fa; border-radius: 0 6px 6px 0; break-inside: avoid; }
ul.findings li.risk { border-color: #cf222e; background: #fff5f5; }
ul.findings li.ok { border-color: #1a7f37; background: #f3fbf5; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.empty { color: #6e7781; font-style: italic; }
footer { margin-top: 36px; color: #57606a; font-size: 12px; border-top: 1px solid #d0d7de; padding-top: 10px; }
section.team { break-before: page; }
@media screen and (max-width: 760px) { .cards { grid-template-columns: repeat(2, 1fr); } .charts, .two { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 12mm; }
  body { background: #fff; font-size: 11px; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  .cards, .charts, table, figure, .two { break-inside: avoid; }
  table { font-size: 10px; }
  table.scopes { font-size: 9px; }
  table.scopes td.num { white-space: normal; }
  table.scopes .tier { font-size: 8.5px; padding: 0 4px; line-height: 14px; }
  table.scopes svg.spark { width: 56px; }
  a { color: inherit; }
  .tier, ul.findings li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`

const tierBadge = (t: Tier | null) => `<span class="tier tier-${t ?? 'none'}">${t ?? 'n/a'}</span>`

function changeSpan(s: Scope, i: number): string {
  const ch = changeOf(FIGURES[i]!, s.current, s.previous)
  const arrow = ch.delta === null || ch.direction === 'same' ? '' : ch.delta > 0 ? '▲ ' : '▼ '
  return `<span class="chg chg-${ch.direction ?? 'null'}">${esc(arrow + ch.text)}</span>`
}

function cards(r: QuarterlyReport, s: Scope): string {
  return `<div class="cards">${FIGURES.map((f, i) => {
    const v = s.current ? f.value(s.current) : null
    const tier = s.current ? f.tier(s.current) : null
    const prev = s.previous ? f.format(f.value(s.previous)) : '–'
    return `<div class="card" data-figure="${f.key}"><div class="label">${esc(f.title)}</div><div class="value">${esc(f.format(v))} ${f.key === 'recovery' || f.key === 'rework' ? '' : tierBadge(tier)}</div><div class="prev">${esc(r.previous.label)}: ${esc(prev)} · ${changeSpan(s, i)}</div></div>`
  }).join('')}</div>`
}

function charts(r: QuarterlyReport, s: Scope): string {
  const labels = weekLabels(r)
  const w = weeklyAligned(r, s)
  const deployed = w.map((x) => x?.deployments ?? 0)
  const failed = w.map((x) => x?.failedDeployments ?? 0)
  const dur = (v: number) => humanizeSeconds(v)
  return `<div class="charts">
<figure>${barChart({ title: 'Deployments per week', labels, series: [{ name: 'ok', values: deployed.map((d, i) => d - (failed[i] ?? 0)), color: COLORS.ok }, { name: 'failed', values: failed, color: COLORS.failed }], yFormat: (v) => String(Math.round(v * 10) / 10) })}</figure>
<figure>${lineChart({ title: 'Change failure rate per week', labels, values: w.map((x) => x?.changeFailureRate ?? null), color: COLORS.cfr, yMax: 0.5, yFormat: (v) => pct(v) })}</figure>
<figure>${lineChart({ title: 'Lead time per week (median)', labels, values: w.map((x) => x?.leadTimeSeconds.median ?? null), color: COLORS.lead, yFormat: dur, yKind: 'duration' })}</figure>
<figure>${lineChart({ title: 'Time to restore per week (median)', labels, values: w.map((x) => x?.timeToRestoreSeconds.median ?? null), color: COLORS.restore, yFormat: dur, yKind: 'duration' })}</figure>
</div>`
}

function scopeTable(r: QuarterlyReport, scopes: Scope[], first: string, name: (s: Scope) => string): string {
  const head = `<tr><th>${esc(first)}</th>${FIGURES.map((f) => `<th class="num" title="${esc(f.title)}">${esc(f.short)}</th>`).join('')}<th>Tier</th><th>Deploys/wk</th></tr>`
  const rows = scopes.map((s) => {
    const cellsHtml = FIGURES.map((f, i) => {
      const v = s.current ? f.value(s.current) : null
      const t = s.current ? f.tier(s.current) : null
      return `<td class="num">${esc(f.format(v))}${t ? ` ${tierBadge(t)}` : ''}<br>${changeSpan(s, i)}</td>`
    }).join('')
    const spark = sparkline(weeklyAligned(r, s).map((x) => x?.deployments ?? 0), COLORS.ok, 72)
    return `<tr><td><strong>${esc(name(s))}</strong></td>${cellsHtml}<td>${tierBadge(s.current?.tiers.overall ?? null)}</td><td>${spark}</td></tr>`
  })
  return `<table class="scopes"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`
}

const linkTo = (text: string, url: string | null) => (url && /^https?:\/\//i.test(url) ? `<a href="${esc(url)}">${esc(text)}</a>` : esc(text))

function practice(t: TeamSection): string {
  const p = t.practice
  const findings = `<ul class="findings">${t.findings.map((f) => `<li class="${f.tone}">${esc(f.text)}</li>`).join('')}</ul>`
  if (p.total.deployments === 0) return findings
  const weekday = barChart({
    title: `By weekday (${p.timezone})`,
    labels: WEEKDAYS.map((d) => d.slice(0, 3)),
    series: [
      { name: 'ok', values: p.byWeekday.map((c) => c.deployments - c.failed), color: COLORS.ok },
      { name: 'failed', values: p.byWeekday.map((c) => c.failed), color: COLORS.failed },
    ],
  })
  const batch = barChart({
    title: 'By batch size (changes per deployment)',
    labels: p.byBatch.map((b) => b.label.replace(' (redeploy)', '')),
    series: [
      { name: 'ok', values: p.byBatch.map((b) => b.deployments - b.failed), color: COLORS.ok },
      { name: 'failed', values: p.byBatch.map((b) => b.failed), color: COLORS.failed },
    ],
  })
  const rate = (d: number, f: number) => pct(d ? f / d : null)
  const wtable = `<table><thead><tr><th>Weekday</th><th class="num">Deploys</th><th class="num">Failed</th><th class="num">Rate</th></tr></thead><tbody>${p.byWeekday
    .map((c, i) => `<tr><td>${WEEKDAYS[i]}</td><td class="num">${c.deployments}</td><td class="num">${c.failed}</td><td class="num">${rate(c.deployments, c.failed)}</td></tr>`)
    .join('')}</tbody></table>`
  const btable = `<table><thead><tr><th>Changes</th><th class="num">Deploys</th><th class="num">Failed</th><th class="num">Rate</th></tr></thead><tbody>${p.byBatch
    .map((b) => `<tr><td>${esc(b.label)}</td><td class="num">${b.deployments}</td><td class="num">${b.failed}</td><td class="num">${rate(b.deployments, b.failed)}</td></tr>`)
    .join('')}</tbody></table>`
  return `${findings}<div class="two"><div><figure style="margin:0">${weekday}</figure>${wtable}</div><div><figure style="margin:0">${batch}</figure>${btable}</div></div>`
}

function incidents(r: QuarterlyReport, t: TeamSection): string {
  if (t.worstIncidents.length === 0) return '<p class="empty">No incidents this quarter.</p>'
  return `<table><thead><tr><th>Incident</th><th>Service</th><th>Started</th><th class="num">Time to restore</th><th class="num">Ack after</th><th>Priority / urgency</th><th>Suspected deployment</th></tr></thead><tbody>${t.worstIncidents
    .map(
      (i) =>
        `<tr><td>${linkTo(`${shortId(i.id)} ${i.title}`.trim(), i.url)}</td><td>${esc(i.service)}</td><td>${esc(when(i.startedAtMs, r.tz))}</td><td class="num">${
          i.restoreSeconds === null ? `<strong>open</strong> ${esc(humanizeSeconds(i.durationSeconds))}` : esc(humanizeSeconds(i.restoreSeconds))
        }</td><td class="num">${esc(humanizeSeconds(i.acknowledgeSeconds))}</td><td>${esc([i.priority, i.urgency].filter(Boolean).join(' / ') || '–')}</td><td>${
          i.deploymentIds.length ? `${esc(i.deploymentIds.map(shortId).join(', '))} <span class="chg chg-null">(${esc(i.linkKind)})</span>` : '–'
        }</td></tr>`,
    )
    .join('')}</tbody></table>`
}

function changes(r: QuarterlyReport, t: TeamSection): string {
  if (t.slowestChanges.length === 0) return '<p class="empty">No changes deployed this quarter.</p>'
  return `<table><thead><tr><th>Change</th><th>Service</th><th>Committed</th><th>Deployed</th><th class="num">Lead time</th><th>Pull request</th></tr></thead><tbody>${t.slowestChanges
    .map(
      (c) =>
        `<tr><td><code>${linkTo(shortSha(c.sha), c.url)}</code> ${esc((c.message.split('\n')[0] ?? '').slice(0, 90))}</td><td>${esc(c.service)}</td><td>${esc(when(c.committedAtMs, r.tz))}</td><td>${esc(when(c.deployedAtMs, r.tz))}</td><td class="num">${esc(
          humanizeSeconds(c.leadTimeSeconds),
        )}</td><td>${c.prNumber === null ? '–' : linkTo(`#${c.prNumber} ${c.prTitle ?? ''}`, c.prUrl)}</td></tr>`,
    )
    .join('')}</tbody></table>`
}

function rollbacks(r: QuarterlyReport, t: TeamSection): string {
  if (t.rollbacks.length === 0) return '<p class="empty">No rollbacks this quarter.</p>'
  return `<table><thead><tr><th>Rollback</th><th>Service</th><th>Deployed</th><th>Back to</th><th>Undid</th><th class="num">After the bad deploy</th></tr></thead><tbody>${t.rollbacks
    .map(
      (b) =>
        `<tr><td>${linkTo(shortId(b.id), b.url)}</td><td>${esc(b.service)}</td><td>${esc(when(b.deployedAtMs, r.tz))}</td><td><code>${esc(shortSha(b.version))}</code></td><td>${esc(shortId(b.undoneId))} <code>${esc(shortSha(b.undoneVersion))}</code></td><td class="num">${esc(
          humanizeSeconds(b.secondsAfterBadDeploy),
        )}</td></tr>`,
    )
    .join('')}</tbody></table>`
}

function teamSection(r: QuarterlyReport, t: TeamSection): string {
  return `<section class="team" id="team-${esc(t.team)}" data-team="${esc(t.team)}">
<h2>Team ${esc(t.team)} ${tierBadge(t.summary.current?.tiers.overall ?? null)}</h2>
${cards(r, t.summary)}
<h3>Trend by week</h3>
${charts(r, t.summary)}
<h3>Services</h3>
${scopeTable(r, t.services, 'Service', (s) => s.service ?? '')}
<h3>Release practice</h3>
${practice(t)}
<h3>Worst incidents (longest time to restore)</h3>
${incidents(r, t)}
<h3>Slowest changes (longest lead time)</h3>
${changes(r, t)}
<h3>Rollbacks</h3>
${rollbacks(r, t)}
</section>`
}

export function renderHtml(r: QuarterlyReport): string {
  const title = headline(r)
  const summaryScopes = r.team ? r.teams.map((t) => t.summary) : [{ ...r.overall, team: 'All teams' }, ...r.teams.map((t) => t.summary)]
  const body =
    r.teams.length === 0
      ? `<p class="empty">No deployments or incidents in ${esc(r.quarter.label)} or ${esc(r.previous.label)}${r.team ? ` for team ${esc(r.team)}` : ''}.</p>`
      : `<h2>Summary</h2>
${r.team ? '' : cards(r, r.overall)}
${r.team ? '' : `<h3>Trend by week, all teams</h3>${charts(r, r.overall)}`}
<h3>Teams</h3>
${scopeTable(r, summaryScopes, 'Team', (s) => s.team ?? '')}
${extrasHtml(r, summaryScopes)}
${releasesHtml(r.releases, r.tz)}
${r.teams.map((t) => teamSection(r, t)).join('\n')}`
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="doraflow">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(title)}</h1>
<p class="meta">${esc(periodLine(r))}</p>
<p class="meta">Generated ${esc(when(r.generatedAtMs, r.tz))} ${esc(r.tz)} by doraflow. Lead time, time to restore and recovery are medians; change failure and rework rates are shares of deployments; changes are against ${esc(r.previous.label)} (relative for frequency and durations, percentage points for rates). Tiers: ${(['elite', 'high', 'medium', 'low'] as const).map(tierBadge).join(' ')}</p>
${body}
<footer>Definitions: METRICS.md (deployments, changes, incidents, failed deployments, rework). Release-practice slices are called out with at least 4 deployments and a failure rate 10 points above the team's.</footer>
</main>
</body>
</html>
`
}
