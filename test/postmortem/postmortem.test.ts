import express from 'express'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createReportsRouter } from '../../api/reports.ts'
import type { Db } from '../../clickhouse/client.ts'
import { incidentEntity, loadPostmortem, postmortemMarkdown } from '../../reports/postmortem/index.ts'
import { seedFromEvents } from '../helpers/seed.ts'
import { commit, config, issue, pd, push, status } from '../project/builders.ts'
import { openTestDb } from '../queries/helpers.ts'

/**
 * checkout (UTC), first days of July 2026:
 *   #101 sha A 07-01 10:00 (c1);  #102 sha B 07-02 10:00 (c2 09:00, c3 09:30)
 *   PagerDuty Q9 created 10:30 (P1, high) → escalated 10:40 → acknowledged by Ana 10:45
 *     → reassigned 10:50 → rollback #103 (back to A) 11:00 → resolved 11:15
 *   Q9 has no sha in its text: attributed to #102 by the 24 h window (started 30 min after it).
 *   #102 recovered at the rollback, 11:00 (earlier than the resolution): 3600 s.
 *   ack 15 min; restore 45 min; start → rollback 30 min; bad deploy → rollback 1 h.
 *   GitHub issue acme/checkout#7 (incident) names sha A: linked explicitly to #101.
 */
const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const ZERO = '0'.repeat(40)
const cfg = config({ services: [{ name: 'checkout', team: 'payments', repositories: ['acme/checkout'], pagerdutyServices: ['PCHECK'] }] })
const NOW = Date.parse('2026-07-10T00:00:00Z')
let db: Db

beforeAll(async () => {
  db = await openTestDb()
  const ana = <T extends object>(e: T) => ({ ...e, agent: 'Ana' })
  await seedFromEvents(db, cfg, [
    push({ before: ZERO, after: A, commits: [commit('c1'.padEnd(40, '1'), '2026-07-01T08:00:00Z', 'Add checkout button')] }),
    push({ before: A, after: B, commits: [commit('c2'.padEnd(40, '2'), '2026-07-02T09:00:00Z', 'Retry payments'), commit('c3'.padEnd(40, '3'), '2026-07-02T09:30:00Z', 'New fraud rule | strict')] }),
    status({ id: 101, sha: A, at: '2026-07-01T10:00:00Z' }),
    status({ id: 102, sha: B, at: '2026-07-02T10:00:00Z' }),
    pd({ id: 'Q9', transition: 'triggered', at: '2026-07-02T10:30:01Z', createdAt: '2026-07-02T10:30:00Z', title: 'Checkout errors', text: 'Card payments fail with 502', urgency: 'high', priority: 'P1' }),
    pd({ id: 'Q9', transition: 'escalated', at: '2026-07-02T10:40:00Z' }),
    ana(pd({ id: 'Q9', transition: 'acknowledged', at: '2026-07-02T10:45:00Z' })),
    ana(pd({ id: 'Q9', transition: 'reassigned', at: '2026-07-02T10:50:00Z' })),
    status({ id: 103, sha: A, at: '2026-07-02T11:00:00Z' }),
    ana(pd({ id: 'Q9', transition: 'resolved', at: '2026-07-02T11:15:00Z' })),
    issue({ number: 7, action: 'opened', body: `Broken since ${A.slice(0, 9)}`, createdAt: '2026-07-05T09:00:00Z', updatedAt: '2026-07-05T09:00:00Z' }),
  ])
})
afterAll(async () => {
  await db?.close()
})

describe('post-mortem draft', () => {
  it('maps incident ids to their fact entities', () => {
    expect(incidentEntity('pagerduty:Q9')).toBe('incident:pagerduty:Q9')
    expect(incidentEntity('github:acme/checkout#7')).toBe('incident:github:acme/checkout#7')
    expect(incidentEntity('nonsense')).toBeNull()
  })

  it('gathers the incident, its timeline, the suspected deployment, its changes and the rollback', async () => {
    const p = (await loadPostmortem(db, cfg, 'pagerduty:Q9', NOW))!
    expect(p.incident).toMatchObject({ service: 'checkout', team: 'payments', priority: 'P1', urgency: 'high', acknowledgeSeconds: 900, restoreSeconds: 2700, linkKind: 'window', deploymentIds: ['github:acme/checkout#102'] })
    expect(p.description).toBe('Card payments fail with 502')
    expect(p.events.map((e) => [e.transition, e.agent])).toEqual([
      ['triggered', null],
      ['escalated', null],
      ['acknowledged', 'Ana'],
      ['reassigned', 'Ana'],
      ['resolved', 'Ana'],
    ])
    expect(p.suspected.map((d) => [d.id, d.recoverySeconds])).toEqual([['github:acme/checkout#102', 3600]])
    expect(p.changes.map((c) => c.sha.slice(0, 2))).toEqual(['c2', 'c3'])
    expect(p.before.map((d) => d.id)).toEqual(['github:acme/checkout#101', 'github:acme/checkout#102'])
    expect(p.during.map((d) => [d.id, d.isRollback])).toEqual([['github:acme/checkout#103', true]])
  })

  it('renders a blameless Markdown draft with the measured times', async () => {
    const md = (await postmortemMarkdown(db, cfg, 'pagerduty:Q9', NOW))!
    expect(md).toMatch(/^# Post-mortem \(draft\): Checkout errors\n/)
    for (const h of ['## Summary', '## Timeline', '## Suspected deployment', '## Measured response', '## What went well', '## What went poorly', '## Action items']) expect(md).toContain(h)
    expect(md).toContain('| Severity | priority P1, urgency high |')
    expect(md).toContain('| Duration | 45m |')
    expect(md).toMatch(/\| Impact \| _TODO/)
    // Timeline in order, relative to the start.
    const timeline = md.slice(md.indexOf('## Timeline'), md.indexOf('## Suspected deployment'))
    const events = [...timeline.matchAll(/\| (T[+−][^|]*) \| ([^|]*) \|/g)].map((m) => `${m[1]!.trim()} ${m[2]!.trim()}`)
    expect(events).toEqual([
      'T−1d Deployed github:acme/checkout#101 (sha aaaaaaaa, production), 1 change',
      'T−30m Deployed github:acme/checkout#102 (sha bbbbbbbb, production), 2 changes — **suspected**',
      'T+0 **Incident starts** (source start time)',
      'T+1s Incident triggered',
      'T+10m Escalated',
      'T+15m Acknowledged by Ana',
      'T+20m Reassigned by Ana',
      'T+30m **Rollback** deployed github:acme/checkout#103 (sha aaaaaaaa, production)',
      'T+45m Resolved by Ana',
    ])
    // Changes with a pipe in the message stay one table cell.
    expect(md).toContain('| c2222222 | dev | 2026-07-02 09:00:00 UTC | 1h | Retry payments |')
    expect(md).toContain('New fraud rule \\| strict')
    expect(md).toContain('| Time to acknowledge | 15m |')
    expect(md).toContain('| Incident start → rollback | 30m | |')
    expect(md).toContain('| Bad deploy → rollback | 1h | |')
    expect(md).toContain('| Failed-deployment recovery | 1h | |')
    expect(md).toContain('| Escalations / reassignments | 1 / 1 | |')
  })

  it('handles GitHub issue incidents linked by sha, and unknown ids', async () => {
    const md = (await postmortemMarkdown(db, cfg, 'github:acme/checkout#7', NOW))!
    expect(md).toContain('github:acme/checkout#101 (sha aaaaaaaa, production) — named by the incident')
    expect(md).toContain('| Status | **open** |')
    expect(await postmortemMarkdown(db, cfg, 'pagerduty:NOPE', NOW)).toBeNull()
  })

  describe('GET /api/v1/incidents/:id/postmortem', () => {
    let server: Server
    let url: string
    beforeAll(async () => {
      const app = express()
      app.use(createReportsRouter({ config: cfg, db }))
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s))
      })
      const a = server.address()
      url = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`
    })
    afterAll(async () => {
      await new Promise((r) => server?.close(r))
    })

    it('answers Markdown for a URL-encoded id, 404 JSON for an unknown one', async () => {
      const ok = await fetch(`${url}/api/v1/incidents/${encodeURIComponent('github:acme/checkout#7')}/postmortem`)
      expect(ok.status).toBe(200)
      expect(ok.headers.get('content-type')).toMatch(/^text\/markdown/)
      expect(await ok.text()).toMatch(/^# Post-mortem \(draft\)/)
      const missing = await fetch(`${url}/api/v1/incidents/${encodeURIComponent('pagerduty:NOPE')}/postmortem`)
      expect(missing.status).toBe(404)
      expect(await missing.json()).toMatchObject({ error: 'not_found' })
    })

    it('serves the quarterly report and validates its parameters', async () => {
      const bad = await fetch(`${url}/api/v1/reports/quarterly?quarter=2026-Q9`)
      expect(bad.status).toBe(400)
      expect((await bad.json()).message).toMatch(/quarter/)
      const badFormat = await fetch(`${url}/api/v1/reports/quarterly?quarter=2026-Q3&format=pdf`)
      expect(badFormat.status).toBe(400)
      const csv = await fetch(`${url}/api/v1/reports/quarterly?quarter=2026-Q3&format=csv`)
      expect(csv.status).toBe(200)
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
      expect((await csv.text()).split('\r\n')[0]).toMatch(/^quarter,scope,team,service,figure,/)
      const html = await fetch(`${url}/api/v1/reports/quarterly?quarter=2026-Q3&format=html`)
      expect(html.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    })
  })
})
