import { humanizeSeconds } from '../../queries/format.ts'
import { headline, periodLine, shortId, shortSha, weeklyAligned, when } from './common.ts'
import { WEEKDAYS, type QuarterlyReport, type Scope, type TeamSection } from './data.ts'
import { changeOf, FIGURES, pct } from './figures.ts'
import { extrasMarkdown } from './render-extras.ts'
import { textSparkline } from './svg.ts'
import { releasesMarkdown } from './render-releases.ts'

/** GitHub-flavoured Markdown: tables and text sparklines, readable as plain text too. */

/** Table cells: no pipes or line breaks. */
export const cell = (s: string) => s.replaceAll('|', '\\|').replace(/[\r\n]+/g, ' ').trim()
const link = (text: string, url: string | null) => (url ? `[${cell(text).replaceAll('[', '\\[').replaceAll(']', '\\]')}](${url.replaceAll(')', '%29').replaceAll(' ', '%20')})` : cell(text))

export function table(head: string[], rows: string[][], right: boolean[] = []): string {
  const sep = head.map((_, i) => (right[i] ? '---:' : '---'))
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

function figureCell(s: Scope, i: number): string {
  const f = FIGURES[i]!
  const cur = s.current
  const v = cur ? f.format(f.value(cur)) : '–'
  const tier = cur ? f.tier(cur) : null
  const ch = changeOf(f, s.current, s.previous)
  return `${v}${tier ? ` (${tier})` : ''}${ch.delta !== null || ch.text === 'new' ? ` ${ch.text}` : ''}`
}

function scopeTable(r: QuarterlyReport, scopes: Scope[], first: string, name: (s: Scope) => string): string {
  const head = [first, ...FIGURES.map((f) => f.short), 'Overall tier', 'Deploys/week trend']
  const rows = scopes.map((s) => [
    cell(name(s)),
    ...FIGURES.map((_, i) => figureCell(s, i)),
    s.current?.tiers.overall ?? '–',
    textSparkline(weeklyAligned(r, s).map((w) => w?.deployments ?? null)),
  ])
  return table(head, rows)
}

function figuresTable(r: QuarterlyReport, s: Scope): string {
  const rows = FIGURES.map((f) => {
    const ch = changeOf(f, s.current, s.previous)
    return [f.title, s.current ? f.format(f.value(s.current)) : '–', (s.current && f.tier(s.current)) ?? '–', s.previous ? f.format(f.value(s.previous)) : '–', ch.text + (ch.direction && ch.direction !== 'same' ? ` (${ch.direction})` : '')]
  })
  const extra = [
    ['Deployments', String(s.current?.deployments ?? 0), '', String(s.previous?.deployments ?? 0), ''],
    ['Failed deployments', String(s.current?.failedDeployments ?? 0), '', String(s.previous?.failedDeployments ?? 0), ''],
    ['Failed attempts', String(s.current?.failedAttempts ?? 0), '', String(s.previous?.failedAttempts ?? 0), ''],
    ['Incidents', String(s.current?.incidents ?? 0), '', String(s.previous?.incidents ?? 0), ''],
  ]
  return table(['Figure', r.quarter.label, 'Tier', r.previous.label, 'Change'], [...rows, ...extra], [false, true, false, true, true])
}

function trends(r: QuarterlyReport, s: Scope): string {
  const w = weeklyAligned(r, s)
  const line = (name: string, vals: (number | null)[], fmt: (v: number | null) => string) => {
    const known = vals.filter((v): v is number => v !== null)
    const range = known.length ? ` (${fmt(Math.min(...known))} … ${fmt(Math.max(...known))})` : ''
    return `    ${name.padEnd(26)} ${textSparkline(vals)}${range}`
  }
  return [
    `Weekly, ${r.weeks.length} weeks from ${when(Date.parse(r.weeks[0] ?? ''), r.tz).slice(0, 10)}:`,
    '',
    line('Deployments', w.map((x) => x?.deployments ?? 0), (v) => String(v ?? 0)),
    line('Change failure rate', w.map((x) => x?.changeFailureRate ?? null), (v) => pct(v)),
    line('Lead time (median)', w.map((x) => x?.leadTimeSeconds.median ?? null), humanizeSeconds),
    line('Time to restore (median)', w.map((x) => x?.timeToRestoreSeconds.median ?? null), humanizeSeconds),
  ].join('\n')
}

function teamSection(r: QuarterlyReport, t: TeamSection): string {
  const out: string[] = []
  out.push(`## Team ${t.team}`, '')
  out.push('### Figures', '', figuresTable(r, t.summary), '')
  out.push('### Services', '', scopeTable(r, t.services, 'Service', (s) => s.service ?? ''), '')
  out.push('### Trend', '', trends(r, t.summary), '')
  out.push('### Release practice', '')
  for (const f of t.findings) out.push(`- ${f.tone === 'risk' ? '**Risk:** ' : ''}${f.text}`)
  out.push('')
  const p = t.practice
  if (p.total.deployments > 0) {
    out.push(
      table(
        [`Weekday (${p.timezone})`, 'Deployments', 'Failed', 'Failure rate'],
        p.byWeekday.map((c, i) => [WEEKDAYS[i]!, String(c.deployments), String(c.failed), pct(c.deployments ? c.failed / c.deployments : null)]),
        [false, true, true, true],
      ),
      '',
      table(
        ['Changes per deployment', 'Deployments', 'Failed', 'Failure rate'],
        p.byBatch.map((b) => [b.label, String(b.deployments), String(b.failed), pct(b.deployments ? b.failed / b.deployments : null)]),
        [false, true, true, true],
      ),
      '',
    )
  }
  out.push('### Worst incidents (longest time to restore)', '')
  if (t.worstIncidents.length === 0) out.push('No incidents this quarter.', '')
  else
    out.push(
      table(
        ['Incident', 'Service', 'Started', 'Time to restore', 'Acknowledged after', 'Priority / urgency', 'Suspected deployment'],
        t.worstIncidents.map((i) => [
          link(`${shortId(i.id)} ${i.title}`, i.url),
          cell(i.service),
          when(i.startedAtMs, r.tz),
          i.restoreSeconds === null ? `open (${humanizeSeconds(i.durationSeconds)} so far)` : humanizeSeconds(i.restoreSeconds),
          humanizeSeconds(i.acknowledgeSeconds),
          cell([i.priority, i.urgency].filter(Boolean).join(' / ') || '–'),
          i.deploymentIds.length ? cell(`${i.deploymentIds.map(shortId).join(', ')} (${i.linkKind})`) : '–',
        ]),
      ),
      '',
    )
  out.push('### Slowest changes (longest lead time)', '')
  if (t.slowestChanges.length === 0) out.push('No changes deployed this quarter.', '')
  else
    out.push(
      table(
        ['Change', 'Service', 'Committed', 'Deployed', 'Lead time', 'Pull request'],
        t.slowestChanges.map((c) => [
          link(`${shortSha(c.sha)} ${c.message.split('\n')[0] ?? ''}`, c.url),
          cell(c.service),
          when(c.committedAtMs, r.tz),
          when(c.deployedAtMs, r.tz),
          humanizeSeconds(c.leadTimeSeconds),
          c.prNumber === null ? '–' : link(`#${c.prNumber} ${c.prTitle ?? ''}`, c.prUrl),
        ]),
      ),
      '',
    )
  out.push('### Rollbacks', '')
  if (t.rollbacks.length === 0) out.push('No rollbacks this quarter.', '')
  else
    out.push(
      table(
        ['Rollback', 'Service', 'Deployed', 'Back to', 'Undid', 'After the bad deploy'],
        t.rollbacks.map((b) => [link(shortId(b.id), b.url), cell(b.service), when(b.deployedAtMs, r.tz), shortSha(b.version), cell(`${shortId(b.undoneId)} (${shortSha(b.undoneVersion)})`), humanizeSeconds(b.secondsAfterBadDeploy)]),
      ),
      '',
    )
  return out.join('\n')
}

export function renderMarkdown(r: QuarterlyReport): string {
  const out: string[] = []
  out.push(`# ${headline(r)}`, '')
  out.push(periodLine(r), '')
  out.push(
    'Figures follow METRICS.md: frequency = deployments per day of the period; lead time, time to restore and recovery are medians; tiers are the configured set; change is against the previous quarter (relative for frequency and durations, percentage points for rates). Cells read "value (tier) change".',
    '',
  )
  if (r.teams.length === 0) {
    out.push(`No deployments or incidents in ${r.quarter.label} or ${r.previous.label}${r.team ? ` for team ${r.team}` : ''}.`, '')
    return out.join('\n')
  }
  const summary = r.team ? r.teams.map((t) => t.summary) : [{ ...r.overall, team: 'All teams' }, ...r.teams.map((t) => t.summary)]
  out.push('## Summary', '')
  out.push(scopeTable(r, summary, 'Team', (s) => s.team ?? ''), '')
  out.push(extrasMarkdown(r, summary))
  out.push(releasesMarkdown(r.releases, r.tz))
  for (const t of r.teams) out.push(teamSection(r, t))
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`
}
