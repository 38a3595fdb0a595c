import { humanizeSeconds } from '../../queries/format.ts'
import { RECOVERY_PATHS } from '../../contracts/release-records.ts'
import { shortId, when } from './common.ts'
import type { ReleaseReview } from './releases.ts'
import { esc } from './svg.ts'

/** The release-engineering section of the quarterly review, as rows both renderers draw from. */
interface Block {
  title: string
  empty: string
  head: string[]
  rows: string[][]
}

function blocks(r: ReleaseReview, tz: string): Block[] {
  const f = r.figures
  const none = { count: 0, median: null, p90: null, mean: null }
  return [
    {
      title: 'Rollback vs hotfix (recovery paths of failed deployments)',
      empty: 'No failed deployment recovered this quarter.',
      head: ['Path', 'Failed deployments', 'Median recovery', 'p90', 'Mean'],
      rows: (f && RECOVERY_PATHS.some((p) => f.recoveryByPath[p].count > 0) ? RECOVERY_PATHS : []).map((p) => {
        const s = f?.recoveryByPath[p] ?? none
        return [p.replace('_', ' '), String(s.count), humanizeSeconds(s.median), humanizeSeconds(s.p90), humanizeSeconds(s.mean)]
      }),
    },
    {
      title: 'What was released (flags going from 0 % to more), and how fast it rolled out',
      empty: 'No flag was released this quarter.',
      head: ['Service', 'Flag', 'Released', 'At', 'Reached 100 %', 'Rollout'],
      rows: r.releases.map((x) => [x.service, x.flag, when(x.releasedAtMs, tz), `${x.exposure} %`, when(x.fullReleaseAtMs, tz), x.rolloutSeconds === null ? 'not yet' : humanizeSeconds(x.rolloutSeconds)]),
    },
    {
      title: 'Kill switches that saved us (flags switched off during an incident)',
      empty: 'No kill switch this quarter.',
      head: ['Service', 'Flag', 'Switched off', 'Incident', 'Time to kill'],
      rows: r.killSwitches.map((k) => [k.service, k.flag, when(k.changedAtMs, tz), shortId(k.incidentId), humanizeSeconds(k.timeToKillSeconds)]),
    },
    {
      title: 'Stale flags at the end of the quarter (100 % and unchanged for too long)',
      empty: 'No stale flag.',
      head: ['Service', 'Flag', 'Environment', 'At 100 % since', 'Days'],
      rows: r.staleFlags.map((s) => [s.service, s.flag, s.environment, s.since.slice(0, 10), String(s.daysAtExposure)]),
    },
    {
      title: 'Deployments during a freeze',
      empty: 'No deployment during a freeze.',
      head: ['Deployment', 'Service', 'Deployed', 'Freeze', 'Outcome'],
      rows: r.freezeDeployments.map((d) => [shortId(d.deploymentId), d.service, when(d.deployedAtMs, tz), d.freeze, d.failed ? `failed${d.recoveryPath ? ` (recovered by ${d.recoveryPath.replace('_', ' ')})` : ''}` : 'ok']),
    },
    {
      title: 'Bad releases stopped by the canary',
      empty: 'No canary abort.',
      head: ['Service', 'Rollout', 'Aborted', 'Blast radius'],
      rows: r.canaryAborts.map((a) => [a.service, a.rollout, when(a.abortedAtMs, tz), `${a.maxWeight} % of traffic`]),
    },
  ]
}

const mdCell = (s: string) => s.replaceAll('|', '\\|').replace(/[\r\n]+/g, ' ').trim()

export function releasesMarkdown(r: ReleaseReview, tz: string): string {
  const out = ['## Releases, flags, freezes and canaries', '']
  for (const f of r.findings) out.push(`- ${f}`)
  if (r.findings.length) out.push('')
  for (const b of blocks(r, tz)) {
    out.push(`### ${b.title}`, '')
    if (b.rows.length === 0) out.push(b.empty, '')
    else out.push([b.head, b.head.map(() => '---'), ...b.rows].map((row) => `| ${row.map(mdCell).join(' | ')} |`).join('\n'), '')
  }
  return out.join('\n')
}

export function releasesHtml(r: ReleaseReview, tz: string): string {
  const findings = r.findings.length ? `<ul class="findings">${r.findings.map((f) => `<li class="info">${esc(f)}</li>`).join('')}</ul>` : ''
  const sections = blocks(r, tz).map(
    (b) =>
      `<h3>${esc(b.title)}</h3>` +
      (b.rows.length === 0 ? `<p class="empty">${esc(b.empty)}</p>` : `<table><thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${b.rows.map((row) => `<tr>${row.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`),
  )
  return `<section id="releases"><h2>Releases, flags, freezes and canaries</h2>${findings}${sections.join('\n')}</section>`
}
