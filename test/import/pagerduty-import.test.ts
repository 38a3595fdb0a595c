/**
 * `doraflow import pagerduty` against the stand-in over loopback: incidents and
 * their log entries give the incidents the V3 webhooks give; rate limits are
 * waited out; the offset cap is never hit (time slices); a bad key is named.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { IncidentRecord } from '../../contracts/records.ts'
import type { PagerdutyStandin } from '../standins/pagerduty-api.ts'
import { importConfig, importer, logged, pagerdutyStandinFor, tables } from './harness.ts'
import { hookEnvelope, PagerdutyWorld } from './world.ts'

let pd: PagerdutyStandin | null = null
afterEach(async () => {
  await pd?.close()
  pd = null
})

const T = (h: number, m = 0) => `2026-07-03T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`
const incidents = (t: { incidents: string[] }) => t.incidents.map((r) => JSON.parse(r) as IncidentRecord)

describe('import pagerduty (METRICS.md §10)', () => {
  it('incidents with their log entries: the same incidents and timeline as the webhooks', async () => {
    const w = new PagerdutyWorld()
    w.incident({ id: 'Q1', service: 'PCHECK', title: 'Checkout latency', entries: [['trigger_log_entry', T(13)], ['notify_log_entry', T(13, 1)], ['acknowledge_log_entry', T(13, 5)], ['resolve_log_entry', T(14, 30)]] })
    // Resolved, then triggered again: open (§10: a later entry re-triggers it).
    w.incident({ id: 'Q2', service: 'PCHECK', title: 'Flapping', urgency: 'low', entries: [['trigger_log_entry', T(15)], ['resolve_log_entry', T(15, 30)], ['trigger_log_entry', T(16)]] })
    pd = await pagerdutyStandinFor(w)
    const imp = importer(importConfig(null, pd))
    const summary = await imp.pagerduty({ since: '2026-07-01T00:00:00Z', until: '2026-08-01T00:00:00Z' })
    expect(summary.status).toBe('succeeded')
    const imported = tables(logged(imp.log), imp.config)
    expect(incidents(imported).map((i) => [i.id, i.acknowledgeSeconds, i.restoreSeconds, i.status, i.urgency, i.reopenCount]).sort()).toEqual([
      ['pagerduty:Q1', 300, 5400, 'resolved', 'high', 0],
      ['pagerduty:Q2', null, null, 'open', 'low', 1],
    ])
    // The notify entry is no state change; the webhooks never sent one either.
    expect(imported).toEqual(tables(w.hooks.map(hookEnvelope), imp.config))
  })

  it('waits out a 429 for ratelimit-reset seconds and retries a 502', async () => {
    const w = new PagerdutyWorld()
    w.incident({ id: 'Q1', service: 'PCHECK', title: 'Checkout latency', entries: [['trigger_log_entry', T(13)], ['resolve_log_entry', T(14)]] })
    pd = await pagerdutyStandinFor(w)
    pd.faults.push({ fault: { kind: 'rate-limited', resetInSeconds: 1 }, match: (p) => p.startsWith('/incidents?') }, { fault: { kind: 'bad-gateway' }, match: (p) => p.includes('/log_entries') })
    const imp = importer(importConfig(null, pd))
    const summary = await imp.pagerduty({ services: ['PCHECK'], since: '2026-07-01', until: '2026-07-05' })
    expect(summary.status).toBe('succeeded')
    expect(summary.waitedOnLimitsMs).toBe(1000)
    expect(summary.retries).toBe(2)
    expect(summary.newFacts).toBe(1)
  })

  it('never pages past the offset cap: a busy month is read in smaller slices, every incident once', async () => {
    const w = new PagerdutyWorld()
    for (let i = 0; i < 700; i++) {
      const start = new Date(Date.parse('2026-07-01T00:00:00Z') + i * 3600_000).toISOString()
      w.incident({ id: `P${i}`, service: 'PCHECK', title: `incident ${i}`, entries: [['trigger_log_entry', start]] })
    }
    pd = await pagerdutyStandinFor(w, 300)
    const imp = importer(importConfig(null, pd))
    const summary = await imp.pagerduty({ services: ['PCHECK'], since: '2026-07-01', until: '2026-08-01' }, { offsetCap: 300 })
    expect(summary.status).toBe('succeeded')
    expect(pd.stats.offsetRefusals).toBe(0)
    expect(pd.stats.maxOffset).toBeLessThanOrEqual(200)
    expect(summary.newFacts).toBe(700)
    // The progress bar's total: the slices' own counts (total=true), added up.
    expect(summary.scopes[0]!.estimatedTotal).toBe(700)
    expect(new Set(logged(imp.log).map((e) => JSON.parse(e.data).incident.id)).size).toBe(700)
  })

  it('a killed import resumes at the first slice it had not finished', async () => {
    const w = new PagerdutyWorld()
    for (const [i, day] of ['2026-05-10', '2026-06-10', '2026-07-10'].entries()) w.incident({ id: `M${i}`, service: 'PCHECK', title: 'x', entries: [['trigger_log_entry', `${day}T10:00:00Z`]] })
    pd = await pagerdutyStandinFor(w)
    // The third month's slice fails for good (4 answers of 502): the run stops there.
    pd.faults.push({ fault: { kind: 'bad-gateway' }, match: (p) => p.startsWith('/incidents?') && p.includes('since=2026-06-30'), times: 4 })
    const imp = importer(importConfig(null, pd))
    const failed = await imp.pagerduty({ services: ['PCHECK'], since: '2026-05-01', until: '2026-07-30' })
    expect(failed.status).toBe('failed')
    expect(failed.problem?.reason).toBe('http_error')
    expect(failed.newFacts).toBe(2)
    const before = pd.stats.requests
    const again = await imp.pagerduty({ services: ['PCHECK'], since: '2026-05-01', until: '2026-07-30' })
    expect(again.status).toBe('succeeded')
    expect(again.newFacts).toBe(1)
    // One slice left: its incidents page and the incident's log entries.
    expect(pd.stats.requests - before).toBe(2)
  })

  it('a bad key is named: pagerduty.apiToken', async () => {
    pd = await pagerdutyStandinFor(new PagerdutyWorld())
    const config = importConfig(null, pd)
    config.pagerduty.apiToken = 'wrong'
    const summary = await importer(config).pagerduty({ since: '2026-07-01' })
    expect(summary.status).toBe('failed')
    expect(summary.problem?.reason).toBe('bad_token')
    expect(summary.problem?.message).toContain('pagerduty.apiToken')
  })
})
