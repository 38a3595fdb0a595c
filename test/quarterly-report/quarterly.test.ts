import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import { CSV_COLUMNS } from '../../reports/quarterly/render-csv.ts'
import { loadQuarterly, renderQuarterly, type QuarterlyReport } from '../../reports/quarterly/index.ts'
import { lastCompleteQuarter, parseQuarter, previousQuarter } from '../../reports/quarterly/period.ts'
import { change, config, deployment, incident, openTestDb } from '../queries/helpers.ts'

/**
 * The quarterly review on a hand-made data set (UTC), every number worked out
 * by hand below.
 *
 * 2026-Q2 = [04-01, 07-01) = 91 days; checkout (payments):
 *   q2a 05-04 10:00 failed, recovery 3600, lead 7200;  q2b 06-10 10:00, lead 3600
 *   incident 05-04 11:00 restore 7200
 *   → 2 deploys: 2/91 per day (low; 0.7/month); lead median 5400; CFR 1/2; TTR 7200; recovery 3600; rework 0/2
 * 2026-Q3 = [07-01, 10-01) = 92 days; checkout:
 *   d1 07-03 Fri 16:00 failed, 5 changes (lead 3600, 10800), recovery 1800
 *   d2 07-06 Mon 10:00, 1 change (1800)
 *   d3 08-07 Fri 10:00 failed (rolled back), 1 change (86400), recovery 7200
 *   d4 08-07 Fri 12:00 rollback of d3, rework, 0 changes
 *   d5 09-15 Tue 09:00, 2 changes (7200)
 *   incidents 07-03 17:00 restore 1800; 08-07 11:00 restore 5400
 *   → 5 deploys: 5/92 per day = 1.6/month (medium), +147 % (455/184 − 1)
 *     lead [1800, 3600, 7200, 10800, 86400] median 7200 (elite), +33 % (7200/5400 − 1)
 *     CFR 2/5 = 40 % (medium), −10 pts; TTR median 3600 (high: not < 1 h), −50 %
 *     recovery median 4500, +25 %; rework 1/5 = 20 %, +20 pts; overall medium
 *   api (core): one deployment 07-10, to test the team filter.
 */
let db: Db
const cfg = config({ services: [{ name: 'checkout', team: 'payments', repositories: ['acme/checkout'] }, { name: 'api', team: 'core' }] })
const NOW = Date.parse('2026-11-29T00:00:00Z')
let report: QuarterlyReport

beforeAll(async () => {
  db = await openTestDb()
  const d = (o: Parameters<typeof deployment>[0], extra: Record<string, unknown> = {}) => ({ ...deployment(o), ...extra })
  await db.insert('deployments', [
    d({ id: 'q2a', at: '2026-05-04T10:00Z', failed: true, recoverySeconds: 3600 }, { change_count: 1 }),
    d({ id: 'q2b', at: '2026-06-10T10:00Z' }, { change_count: 1 }),
    d({ id: 'd1', at: '2026-07-03T16:00Z', failed: true, recoverySeconds: 1800 }, { change_count: 5 }),
    d({ id: 'd2', at: '2026-07-06T10:00Z' }, { change_count: 1 }),
    d({ id: 'd3', at: '2026-08-07T10:00Z', failed: true, recoverySeconds: 7200 }, { change_count: 1, version: 'v3' }),
    d({ id: 'd4', at: '2026-08-07T12:00Z', rework: true }, { is_rollback: 1, previous_id: 'd3', version: 'v2' }),
    d({ id: 'd5', at: '2026-09-15T09:00Z' }, { change_count: 2 }),
    d({ id: 'a1', at: '2026-07-10T10:00Z', service: 'api', team: 'core' }, { change_count: 1 }),
  ])
  await db.insert('changes', [
    change({ deploymentId: 'q2a', deployedAt: '2026-05-04T10:00Z', leadTimeSeconds: 7200 }),
    change({ deploymentId: 'q2b', deployedAt: '2026-06-10T10:00Z', leadTimeSeconds: 3600 }),
    change({ deploymentId: 'd1', deployedAt: '2026-07-03T16:00Z', leadTimeSeconds: 3600, authorClass: 'ai_assisted' }),
    change({ deploymentId: 'd1', deployedAt: '2026-07-03T16:00Z', leadTimeSeconds: 10800 }),
    change({ deploymentId: 'd2', deployedAt: '2026-07-06T10:00Z', leadTimeSeconds: 1800 }),
    change({ deploymentId: 'd3', deployedAt: '2026-08-07T10:00Z', leadTimeSeconds: 86400 }),
    change({ deploymentId: 'd5', deployedAt: '2026-09-15T09:00Z', leadTimeSeconds: 7200, authorClass: 'ai_assisted' }),
  ])
  await db.insert('incidents', [
    incident({ startedAt: '2026-05-04T11:00Z', restoreSeconds: 7200 }),
    { ...incident({ startedAt: '2026-07-03T17:00Z', restoreSeconds: 1800 }), id: 'pagerduty:P1', title: 'checkout down', correction: JSON.stringify({ id: 'c1', kind: 'not_caused_by_change', by: 'ana', reason: 'AWS outage', at: '2026-07-04T00:00:00Z' }) },
    { ...incident({ startedAt: '2026-08-07T11:00Z', restoreSeconds: 5400 }), id: 'pagerduty:P2', title: 'payments failing', priority: 'P1', urgency: 'high', deployment_ids: ['d3'], link_kind: 'window' },
  ])
  report = await loadQuarterly(db, cfg, { quarter: '2026-Q3', now: NOW })
})
afterAll(async () => {
  await db?.close()
})

describe('quarters', () => {
  it('parses YYYY-Qn in the timezone, and the quarter before', () => {
    const q = parseQuarter('2026-Q3', 'UTC', NOW)
    expect([new Date(q.fromMs).toISOString(), new Date(q.toMs).toISOString(), q.inProgress]).toEqual(['2026-07-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z', false])
    const p = previousQuarter(parseQuarter('2026-Q1', 'Europe/Berlin', NOW), 'Europe/Berlin')
    expect([p.label, new Date(p.fromMs).toISOString()]).toEqual(['2025-Q4', '2025-09-30T22:00:00.000Z'])
    // A quarter in progress ends now ("to date").
    const cur = parseQuarter('2026-Q4', 'UTC', NOW)
    expect([cur.inProgress, cur.toMs]).toEqual([true, NOW])
    expect(() => parseQuarter('2026-Q5', 'UTC', NOW)).toThrow(/YYYY-Qn/)
    expect(() => parseQuarter('2027-Q1', 'UTC', NOW)).toThrow(/not started/)
    expect(lastCompleteQuarter('UTC', NOW)).toBe('2026-Q3')
  })
})

describe('quarterly report numbers (hand-computed)', () => {
  it('has the quarter figures and the previous quarter for the team', () => {
    expect(report.teams.map((t) => t.team)).toEqual(['core', 'payments'])
    const p = report.teams.find((t) => t.team === 'payments')!
    const cur = p.summary.current!
    expect(cur.deployments).toBe(5)
    expect(cur.deploymentsPerDay).toBeCloseTo(5 / 92, 12)
    expect(cur.leadTimeSeconds.median).toBe(7200)
    expect(cur.changeFailureRate).toBe(0.4)
    expect(cur.timeToRestoreSeconds.median).toBe(3600)
    expect(cur.failedDeploymentRecoverySeconds.median).toBe(4500)
    expect(cur.reworkRate).toBe(0.2)
    expect(cur.tiers).toEqual({ deploymentFrequency: 'medium', leadTime: 'elite', timeToRestore: 'high', changeFailureRate: 'medium', overall: 'medium' })
    const prev = p.summary.previous!
    expect([prev.deployments, prev.leadTimeSeconds.median, prev.changeFailureRate, prev.timeToRestoreSeconds.median, prev.failedDeploymentRecoverySeconds.median, prev.reworkRate]).toEqual([2, 5400, 0.5, 7200, 3600, 0])
    expect(prev.tiers.deploymentFrequency).toBe('low')
    expect(p.services.map((s) => s.service)).toEqual(['checkout'])
    // 14 weeks: the cut week of Wed 07-01, then Mondays 07-06 … 09-28.
    expect(report.weeks).toHaveLength(14)
    expect(p.summary.weekly.reduce((a, w) => a + w.deployments, 0)).toBe(5)
  })

  it('lists worst incidents, slowest changes, rollbacks and the release-practice tables', () => {
    const p = report.teams.find((t) => t.team === 'payments')!
    expect(p.worstIncidents.map((i) => [i.id, i.restoreSeconds])).toEqual([
      ['pagerduty:P2', 5400],
      ['pagerduty:P1', 1800],
    ])
    expect(p.slowestChanges.map((c) => c.leadTimeSeconds)).toEqual([86400, 10800, 7200, 3600, 1800])
    expect(p.rollbacks).toEqual([expect.objectContaining({ id: 'd4', undoneId: 'd3', secondsAfterBadDeploy: 7200 })])
    // Weekdays (UTC): Mon d2; Tue d5; Fri d1 (failed), d3 (failed), d4.
    expect(p.practice.byWeekday.map((c) => [c.deployments, c.failed])).toEqual([[1, 0], [1, 0], [0, 0], [0, 0], [3, 2], [0, 0], [0, 0]])
    expect(p.practice.total).toEqual({ deployments: 5, failed: 2 })
    // Batches, rollbacks left out: 1 change d2, d3 (failed); 2–3 d5; 4–7 d1 (failed).
    expect(p.practice.byBatch.map((b) => [b.label, b.deployments, b.failed])).toEqual([['0 (redeploy)', 0, 0], ['1', 2, 1], ['2–3', 1, 0], ['4–7', 1, 1], ['8+', 0, 0]])
    expect(p.findings.map((f) => f.text).join('\n')).toMatch(/Friday: 2 of 3 deployments failed \(67 %\)/)
    expect(p.findings.map((f) => f.text).join('\n')).toMatch(/1 rollback, a median 2h after the deployment they undid/)
  })

  it('renders Markdown with the figures, tiers and changes against the previous quarter', () => {
    const md = renderQuarterly(report, 'md')
    expect(md).toMatch(/^# Quarterly engineering review — 2026-Q3\n/)
    expect(md).toContain('2026-Q3: 2026-07-01 – 2026-09-30, UTC. Compared with 2026-Q2 (2026-04-01 – 2026-06-30).')
    const team = md.slice(md.indexOf('## Team payments'))
    expect(team).toContain('| Deployment frequency | 1.6/month | medium | 0.7/month | +147 % (better) |')
    expect(team).toContain('| Lead time (median) | 2h | elite | 1h 30m | +33 % (worse) |')
    expect(team).toContain('| Change failure rate | 40.0 % | medium | 50.0 % | −10.0 pts (better) |')
    expect(team).toContain('| Time to restore (median) | 1h | high | 2h | −50 % (better) |')
    expect(team).toContain('| Failed-deployment recovery (median) | 1h 15m | – | 1h | +25 % (worse) |')
    expect(team).toContain('| Rework rate | 20.0 % | – | 0.0 % | +20.0 pts (worse) |')
    for (const h of ['### Services', '### Trend', '### Release practice', '### Worst incidents', '### Slowest changes', '### Rollbacks']) expect(team).toContain(h)
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const rows = block.trimEnd().split('\n')
      const n = rows[0]!.split(/(?<!\\)\|/).length
      for (const r of rows) expect(r.split(/(?<!\\)\|/).length, r).toBe(n)
    }
  })

  it('renders CSV in long format with full-precision values', () => {
    const csv = renderQuarterly(report, 'csv')
    expect(csv.endsWith('\r\n')).toBe(true)
    const lines = csv.trimEnd().split('\r\n').map((l) => l.split(','))
    expect(lines[0]).toEqual([...CSV_COLUMNS])
    for (const l of lines) expect(l).toHaveLength(CSV_COLUMNS.length)
    const get = (scope: string, who: string, figure: string) => lines.find((l) => l[1] === scope && (l[2] === who || l[3] === who) && l[4] === figure)!
    const cfr = get('team', 'payments', 'changeFailureRate')
    expect(cfr.slice(0, 9)).toEqual(['2026-Q3', 'team', 'payments', '', 'changeFailureRate', '0.4', 'share of deployments', 'medium', '2026-Q2'])
    expect(Number(cfr[11])).toBeCloseTo(-0.1, 12)
    expect(cfr[12]).toBe('points')
    expect(cfr[13]).toBe('better')
    const freq = get('service', 'checkout', 'deploymentFrequency')
    expect(Number(freq[5])).toBeCloseTo(5 / 92, 12)
    expect(Number(freq[11])).toBeCloseTo(271 / 184, 12)
    expect(get('team', 'payments', 'deployments').slice(5, 12)).toEqual(['5', 'count', '', '2026-Q2', '2', '', '3'])
    // 6 figures, 5 counts, 8 scores, 18 release figures (6 of flags, 4 paths × count and median, freezes, canaries).
    expect(lines.filter((l) => l[1] === 'overall')).toHaveLength(19 + 18)
    expect(get('overall', '', 'releases').slice(4, 7)).toEqual(['releases', '0', 'count'])
    // overall Q3 score (see the issue-15 block): (4 + 8 + 8 + 20/3 + 25/3) / 5 = 7
    expect(Number(get('overall', '', 'score_overall')[5])).toBeCloseTo(7, 12)
  })

  /**
   * Issue 15 by hand. Q3 changes by author: ai_assisted d1 3600, d5 7200 (2 of 5 = 40 %, median
   * 5400 = 1h 30m; their deployments d1 failed, d5 not → 50 %); human d1 10800, d2 1800, d3 86400
   * (median 10800 = 3h; d1, d2, d3 with d1 and d3 failed → 67 %).
   * Overall Q3 scores (all teams: 6 deployments): 6/92 per day (< 1/7) → 4; lead median 7200 → 8;
   * recovery median 4500 → 8; CFR 2/6 → 20/3; rework 1/6 → 25/3; overall 35/5 = 7.0, against the
   * all-industries benchmark 6.72 ± 1.2: +0.28 (+0.3), +0.23 sd (+0.2 sd).
   */
  it('issue 15: scores against the benchmark, the AI-assisted sentence from the data, the corrections', () => {
    expect(report.extras.aiSentence).toBe("AI-assisted changes: 40 % of changes, median lead time 1h 30m vs 3h; their deployments' failure rate 50 % vs 67 % (against human changes).")
    expect(report.extras.authors.map((a) => [a.authorClass, a.changes, a.deployments])).toEqual([['ai_assisted', 2, 2], ['human', 3, 3]])
    expect(report.extras.corrections).toEqual([{ record: 'incident', id: 'pagerduty:P1', service: 'checkout', team: 'payments', atMs: Date.parse('2026-07-03T17:00:00Z'), correction: { id: 'c1', kind: 'not_caused_by_change', by: 'ana', reason: 'AWS outage', at: '2026-07-04T00:00:00Z' } }])
    const md = renderQuarterly(report, 'md')
    expect(md).toContain('## Scores (DORA Quick Check)')
    expect(md).toMatch(/\| All teams \| 8\.0 [^|]+\| 4\.0 [^|]+\|.*\| 7\.0 \(\+0\.3, \+0\.2 sd\) \|/)
    expect(md).toContain('| Benchmark: All industries (2025) | 5.5 ± 2.4 | 4.8 ± 2.8 | 7.4 ± 2.1 |')
    expect(md).toContain(report.extras.aiSentence!)
    expect(md).toContain("| incident P1 | checkout | 2026-07-03 17:00 | caused no deployment's failure: AWS outage — ana, 2026-07-04 |")
    const html = renderQuarterly(report, 'html')
    expect(html).toContain('<h2>AI-assisted changes</h2>')
    expect(html).toContain('AWS outage — ana')
  })

  it('renders one self-contained HTML file with inline SVG charts', () => {
    const html = renderQuarterly(report, 'html')
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<link |@import|url\(|src="http/i)
    expect(html).toContain('@media print')
    expect((html.match(/<svg /g) ?? []).length).toBeGreaterThanOrEqual(10)
  })

  it('--team keeps one team', async () => {
    const core = await loadQuarterly(db, cfg, { quarter: '2026-Q3', team: 'core', now: NOW })
    expect(core.teams.map((t) => t.team)).toEqual(['core'])
    expect(core.teams[0]!.summary.current!.deployments).toBe(1)
    expect(core.teams[0]!.summary.previous).toBeNull()
    const md = renderQuarterly(core, 'md')
    expect(md).toContain('— team core')
    expect(md).not.toContain('payments')
    expect(renderQuarterly(core, 'csv')).not.toMatch(/\r\n2026-Q3,overall,/)
  })
})
