import { describe, expect, it } from 'vitest'
import { project } from '../../processors/project/index.ts'
import { CHECKOUT, commit, config, deploy, extDeploy, genericIncident, issue, pd, pr, push, sha, status } from './builders.ts'

const cfg = config(CHECKOUT)
const H = 3600_000
const t = (iso: string) => Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`)

describe('§1 services and teams', () => {
  it('maps a listed repository to its service and team', () => {
    const p = project([deploy({ id: 1, sha: sha(1), at: '2026-07-01T10:00:00' })], cfg)
    expect(p.deployments.map((d) => [d.service, d.team])).toEqual([['checkout', 'payments']])
  })
  it('an unlisted repository becomes a service named after its full_name, team unassigned', () => {
    const p = project([deploy({ repo: 'Acme/Search', id: 1, sha: sha(1), at: '2026-07-01T10:00:00' })], cfg)
    expect(p.deployments.map((d) => [d.service, d.team])).toEqual([['Acme/Search', 'unassigned']])
  })
  it('an unlisted PagerDuty service becomes a service named after its summary, team unassigned', () => {
    const p = project([pd({ id: 'Q1', service: 'PNEW', serviceName: 'Billing API', transition: 'triggered', at: '2026-07-01T10:00:00' })], cfg)
    expect(p.incidents.map((i) => [i.service, i.team])).toEqual([['Billing API', 'unassigned']])
  })
  it('one repository, several services: a deployment belongs to the one whose environments contain it', () => {
    const c = config({
      services: [
        { name: 'api-eu', team: 'core', repositories: ['acme/api'], environments: ['prod-eu'] },
        { name: 'api-us', team: 'core', repositories: ['acme/api'], environments: ['prod-us'] },
      ],
    })
    const p = project(
      [
        deploy({ repo: 'acme/api', id: 1, env: 'PROD-US', sha: sha(1), at: '2026-07-01T10:00:00' }),
        deploy({ repo: 'acme/api', id: 2, env: 'prod-eu', sha: sha(1), at: '2026-07-01T11:00:00' }),
        deploy({ repo: 'acme/api', id: 3, env: 'production', sha: sha(1), at: '2026-07-01T12:00:00' }),
      ],
      c,
    )
    expect(p.deployments.map((d) => [d.id, d.service])).toEqual([
      ['github:acme/api#2', 'api-eu'],
      ['github:acme/api#1', 'api-us'],
    ])
  })
  it('a GitHub issue incident belongs to the first service listed for its repository', () => {
    const c = config({
      services: [
        { name: 'api-eu', team: 'core', repositories: ['acme/api'], environments: ['prod-eu'] },
        { name: 'api-us', team: 'core', repositories: ['acme/api'], environments: ['prod-us'] },
      ],
    })
    const p = project([issue({ repo: 'acme/api', number: 5, action: 'opened', createdAt: '2026-07-01T10:00:00', updatedAt: '2026-07-01T10:00:00' })], c)
    expect(p.incidents.map((i) => i.service)).toEqual(['api-eu'])
  })
})

describe('§2 deployments', () => {
  it('counts a success status to production once, at the created_at of the first success', () => {
    const p = project(
      [
        status({ id: 7, state: 'success', sha: sha(1), at: '2026-07-01T10:05:00', statusId: 2 }),
        status({ id: 7, state: 'success', sha: sha(1), at: '2026-07-01T10:00:00', statusId: 1 }),
        status({ id: 7, state: 'pending', sha: sha(1), at: '2026-07-01T09:59:00', statusId: 0 }),
      ],
      cfg,
    )
    expect(p.deployments).toHaveLength(1)
    expect(p.deployments[0]!.deployedAt).toBe(t('2026-07-01T10:00:00'))
    expect(p.deployments[0]!.version).toBe(sha(1))
  })
  it('production: the global list (production, prod, live) case-insensitively, or production_environment true', () => {
    const p = project(
      [
        deploy({ repo: 'x/a', id: 1, env: 'Prod', sha: sha(1), at: '2026-07-01T10:00:00' }),
        deploy({ repo: 'x/a', id: 2, env: 'LIVE', sha: sha(1), at: '2026-07-01T10:00:00' }),
        deploy({ repo: 'x/a', id: 3, env: 'staging', sha: sha(1), at: '2026-07-01T10:00:00' }),
        deploy({ repo: 'x/a', id: 4, env: 'github-pages', prod: true, sha: sha(1), at: '2026-07-01T10:00:00' }),
        deploy({ repo: 'x/a', id: 5, env: 'preview', prod: false, sha: sha(1), at: '2026-07-01T10:00:00' }),
      ],
      cfg,
    )
    expect(p.deployments.map((d) => d.id).sort()).toEqual(['github:x/a#1', 'github:x/a#2', 'github:x/a#4'])
  })
  it("a service's environments list replaces the global rule", () => {
    const c = config({ services: [{ name: 'web', repositories: ['acme/web'], environments: ['eu-live'] }] })
    const p = project(
      [
        deploy({ repo: 'acme/web', id: 1, env: 'production', sha: sha(1), at: '2026-07-01T10:00:00' }),
        deploy({ repo: 'acme/web', id: 2, env: 'EU-LIVE', sha: sha(1), at: '2026-07-01T10:00:00' }),
      ],
      c,
    )
    expect(p.deployments.map((d) => d.id)).toEqual(['github:acme/web#2'])
  })
  it('failure and error statuses are failed attempts, one per status, never deployments', () => {
    const p = project(
      [
        status({ id: 9, state: 'failure', sha: sha(1), at: '2026-07-01T10:00:00' }),
        status({ id: 9, state: 'error', sha: sha(1), at: '2026-07-01T10:10:00' }),
        status({ id: 10, state: 'failure', env: 'staging', sha: sha(1), at: '2026-07-01T10:10:00' }),
      ],
      cfg,
    )
    expect(p.deployments).toHaveLength(0)
    expect(p.failedAttempts.map((f) => [f.state, f.at])).toEqual([
      ['failure', t('2026-07-01T10:00:00')],
      ['error', t('2026-07-01T10:10:00')],
    ])
  })
  it('generic deployments: identity is their id; a failure status is a failed attempt', () => {
    const p = project(
      [
        extDeploy({ id: 'd1', sha: sha(1), at: '2026-07-01T10:00:00' }),
        extDeploy({ id: 'd1', sha: sha(1), at: '2026-07-01T10:00:00' }),
        extDeploy({ id: 'd2', sha: sha(2), at: '2026-07-01T11:00:00', succeeded: false }),
        extDeploy({ id: 'd3', sha: sha(2), at: '2026-07-01T11:00:00', env: 'qa' }),
      ],
      cfg,
    )
    expect(p.deployments.map((d) => [d.id, d.service, d.team])).toEqual([['generic:d1', 'checkout', 'payments']])
    expect(p.failedAttempts).toHaveLength(1)
  })
  it('deployments are ordered by (deployedAt, identity): the previous one is right before', () => {
    const p = project(
      [deploy({ id: 2, sha: sha(2), at: '2026-07-01T10:00:00' }), deploy({ id: 1, sha: sha(1), at: '2026-07-01T10:00:00' }), deploy({ id: 3, sha: sha(3), at: '2026-07-01T09:00:00' })],
      cfg,
    )
    expect(p.deployments.map((d) => [d.id, d.previousId])).toEqual([
      ['github:acme/checkout#3', null],
      ['github:acme/checkout#1', 'github:acme/checkout#3'],
      ['github:acme/checkout#2', 'github:acme/checkout#1'],
    ])
  })
})

describe('§3 changes and lead time', () => {
  // main: 0 → A (c1) → B (c2, c3) → C (c4); a feature branch push and a deleted push are ignored.
  const [A, B, C] = [sha('a1'), sha('b2'), sha('c3')]
  const ZERO = '0'.repeat(40)
  const history = [
    push({ before: ZERO, after: A, commits: [commit('c1', '2026-07-01T08:00:00')] }),
    push({ before: A, after: B, commits: [commit('c2', '2026-07-01T09:00:00'), commit('c3', '2026-07-01T09:30:00')] }),
    push({ before: B, after: C, commits: [commit('c4', '2026-07-01T11:00:00')] }),
    push({ before: C, after: sha('f0'), ref: 'refs/heads/feature', commits: [commit('f1', '2026-07-01T11:00:00')] }),
    push({ before: C, after: ZERO, deleted: true, commits: [] }),
  ]
  it('walks pushes from the deployed sha back to the previous deployment and attributes each commit once', () => {
    const p = project([...history, deploy({ id: 1, sha: B, at: '2026-07-01T10:00:00' }), deploy({ id: 2, sha: C, at: '2026-07-01T12:00:00' })], cfg)
    const bySha = Object.fromEntries(p.changes.map((c) => [c.sha, [c.deploymentId, c.leadTimeSeconds]]))
    // D1 at 10:00 reaches c3 (30 min), c2 (1 h), c1 (2 h) down to the zero sha; D2 at 12:00 has c4 (1 h).
    expect(bySha).toEqual({
      c1: ['github:acme/checkout#1', 7200],
      c2: ['github:acme/checkout#1', 3600],
      c3: ['github:acme/checkout#1', 1800],
      c4: ['github:acme/checkout#2', 3600],
    })
    expect(p.deployments.map((d) => d.changeCount)).toEqual([3, 1])
  })
  it('a commit already attributed to an earlier deployment is not counted again (walk past a skipped previous sha)', () => {
    // D1 at B, D2 at A (older sha, not a rollback: nothing before D1), D3 at C walks C→B→A? stops at A = previous.
    const p = project([...history, deploy({ id: 1, sha: B, at: '2026-07-01T10:00:00' }), deploy({ id: 2, sha: A, at: '2026-07-01T10:30:00' }), deploy({ id: 3, sha: C, at: '2026-07-01T12:00:00' })], cfg)
    const counts = p.deployments.map((d) => [d.id, d.changeCount])
    // D3 walks C → B (c4), B → A (c2, c3 already D1's) and stops at A.
    expect(counts).toEqual([
      ['github:acme/checkout#1', 3],
      ['github:acme/checkout#2', 0],
      ['github:acme/checkout#3', 1],
    ])
  })
  it('a redeploy of the same sha carries no changes', () => {
    const p = project([...history, deploy({ id: 1, sha: B, at: '2026-07-01T10:00:00' }), deploy({ id: 2, sha: B, at: '2026-07-01T10:30:00' })], cfg)
    expect(p.deployments.map((d) => d.changeCount)).toEqual([3, 0])
  })
  it('a negative lead time from clock skew counts as 0', () => {
    const p = project([push({ before: ZERO, after: A, commits: [commit('c1', '2026-07-01T10:05:00')] }), deploy({ id: 1, sha: A, at: '2026-07-01T10:00:00' })], cfg)
    expect(p.changes[0]!.leadTimeSeconds).toBe(0)
  })
  it('the pull-request view: opened→merged, merged→deployed, opened→deployed', () => {
    const p = project([...history, pr({ number: 4, createdAt: '2026-06-30T10:00:00', mergedAt: '2026-07-01T09:30:00', mergeSha: 'c3' }), deploy({ id: 1, sha: B, at: '2026-07-01T10:00:00' })], cfg)
    expect(p.pullRequests).toEqual([
      expect.objectContaining({ number: 4, deploymentId: 'github:acme/checkout#1', openedToMergedSeconds: 84600, mergedToDeployedSeconds: 1800, openedToDeployedSeconds: 86400 }),
    ])
  })
})

describe('§4 incidents', () => {
  it('PagerDuty: created_at, earliest acknowledgement, latest resolve, urgency and priority from the latest event carrying them', () => {
    const p = project(
      [
        pd({ id: 'Q1', transition: 'triggered', at: '2026-07-01T10:00:05', createdAt: '2026-07-01T10:00:00.250', urgency: 'high', priority: null }),
        pd({ id: 'Q1', transition: 'acknowledged', at: '2026-07-01T10:03:00' }),
        pd({ id: 'Q1', transition: 'acknowledged', at: '2026-07-01T10:05:00' }),
        pd({ id: 'Q1', transition: 'priority_updated', at: '2026-07-01T10:06:00', priority: 'P1' }),
        pd({ id: 'Q1', transition: 'resolved', at: '2026-07-01T10:30:00' }),
        pd({ id: 'Q1', transition: 'reopened', at: '2026-07-01T10:40:00' }),
        pd({ id: 'Q1', transition: 'resolved', at: '2026-07-01T11:00:00.750', urgency: 'low' }),
      ],
      cfg,
    )
    const i = p.incidents[0]!
    expect(i.service).toBe('checkout')
    expect(i.startedAt).toBe(t('2026-07-01T10:00:00.250'))
    expect(i.acknowledgedAt).toBe(t('2026-07-01T10:03:00'))
    expect(i.resolvedAt).toBe(t('2026-07-01T11:00:00.750'))
    expect(i.restoreSeconds).toBe(3600.5) // milliseconds kept
    expect([i.urgency, i.priority, i.reopenCount]).toEqual(['low', 'P1', 1])
  })
  it('PagerDuty: older payloads without created_at start at the triggered occurred_at; reopened after the latest resolve is open', () => {
    const p = project(
      [pd({ id: 'Q2', transition: 'triggered', at: '2026-07-01T10:00:00' }), pd({ id: 'Q2', transition: 'resolved', at: '2026-07-01T10:10:00' }), pd({ id: 'Q2', transition: 'reopened', at: '2026-07-01T10:20:00' })],
      cfg,
    )
    expect(p.incidents[0]).toMatchObject({ startedAt: t('2026-07-01T10:00:00'), resolvedAt: null, status: 'open', restoreSeconds: null })
  })
  it('GitHub: an issue labelled incident at any time; started at created_at; resolved at closed_at of the latest close unless reopened after', () => {
    const p = project(
      [
        issue({ number: 1, action: 'opened', labels: [], createdAt: '2026-07-01T10:00:00', updatedAt: '2026-07-01T10:00:00' }),
        issue({ number: 1, action: 'labeled', labels: ['Incident'], createdAt: '2026-07-01T10:00:00', updatedAt: '2026-07-01T10:01:00' }),
        issue({ number: 1, action: 'closed', labels: [], createdAt: '2026-07-01T10:00:00', closedAt: '2026-07-01T12:00:00', updatedAt: '2026-07-01T12:00:00' }),
        issue({ number: 2, action: 'opened', labels: ['incident-review'], createdAt: '2026-07-01T10:00:00', updatedAt: '2026-07-01T10:00:00' }),
        issue({ number: 3, action: 'closed', createdAt: '2026-07-01T10:00:00', closedAt: '2026-07-01T11:00:00', updatedAt: '2026-07-01T11:00:00' }),
        issue({ number: 3, action: 'reopened', createdAt: '2026-07-01T10:00:00', closedAt: '2026-07-01T11:00:00', updatedAt: '2026-07-01T11:30:00' }),
      ],
      cfg,
    )
    expect(p.incidents.map((i) => [i.id, i.startedAt, i.resolvedAt])).toEqual([
      ['github:acme/checkout#1', t('2026-07-01T10:00:00'), t('2026-07-01T12:00:00')],
      ['github:acme/checkout#3', t('2026-07-01T10:00:00'), null],
    ])
  })
  it('generic incidents: detected and resolved events of one id make one incident', () => {
    const p = project([genericIncident({ id: 'inc-1', transition: 'triggered', at: '2026-07-01T10:00:00' }), genericIncident({ id: 'inc-1', transition: 'resolved', at: '2026-07-01T10:45:00' })], cfg)
    expect(p.incidents.map((i) => [i.id, i.service, i.restoreSeconds])).toEqual([['generic:inc-1', 'checkout', 2700]])
  })
})

describe('§5 failed deployments, rollbacks, rework', () => {
  const d1 = deploy({ id: 1, sha: sha('d1'), at: '2026-07-01T10:00:00' })
  const d2 = deploy({ id: 2, sha: sha('d2'), at: '2026-07-02T10:00:00' })
  const d3 = deploy({ id: 3, sha: sha('d3'), at: '2026-07-03T10:00:00' })

  it('explicit link: a 7-hex prefix standing as a word links to the earliest deployment with that sha, whatever the window says', () => {
    const text = `Checkout 500s since ${sha('d1').slice(0, 9)} went out`
    const p = project([d1, d2, pd({ id: 'Q1', transition: 'triggered', at: '2026-07-02T10:30:00', title: text })], cfg)
    expect(p.deployments.map((d) => [d.id, d.failed, d.failureCauses])).toEqual([
      ['github:acme/checkout#1', true, ['incident:pagerduty:Q1']],
      ['github:acme/checkout#2', false, []],
    ])
    expect(p.incidents[0]!.linkKind).toBe('explicit')
  })
  it('a hex run glued to other word characters or shorter than 7 is not a link', () => {
    const p = project([d1, pd({ id: 'Q1', transition: 'triggered', at: '2026-07-05T10:00:00', title: `x${sha('d1').slice(0, 8)} and ${sha('d1').slice(0, 6)}` })], cfg)
    expect(p.deployments[0]!.failed).toBe(false)
  })
  it('a generic incident naming the deployed artifact in its own field links to that deployment', () => {
    const p = project(
      [extDeploy({ id: 'a', artifact: 'pkg:oci/app@sha256:1', at: '2026-07-01T10:00:00' }), extDeploy({ id: 'b', artifact: 'pkg:oci/app@sha256:2', at: '2026-07-02T10:00:00' }), genericIncident({ id: 'i', transition: 'triggered', at: '2026-07-02T10:10:00', links: ['pkg:oci/app@sha256:1'] })],
      cfg,
    )
    expect(p.deployments.map((d) => d.failed)).toEqual([true, false])
  })
  it('attribution window: the latest deployment at or before the start, within 24 h; none beyond', () => {
    const p = project([d1, d2, pd({ id: 'Q1', transition: 'triggered', at: '2026-07-02T12:00:00' }), pd({ id: 'Q2', transition: 'triggered', at: '2026-07-04T10:00:01' }), d3], cfg)
    expect(p.deployments.map((d) => d.failureCauses)).toEqual([[], ['window:pagerduty:Q1'], []])
    expect(p.incidents.find((i) => i.id === 'pagerduty:Q2')!.linkKind).toBe('none')
  })
  it('attribution window boundary: exactly 24 h is inside; window 0 turns the rule off', () => {
    const events = [d1, pd({ id: 'Q1', transition: 'triggered', at: '2026-07-02T10:00:00' })]
    expect(project(events, cfg).deployments[0]!.failed).toBe(true)
    expect(project(events, config({ ...CHECKOUT, metrics: { incidentAttributionWindowHours: 0 } })).deployments[0]!.failed).toBe(false)
  })
  it('rollback: the next deployment returns to a sha deployed before D; D failed, D′ a rollback and rework, recovered at the rollback', () => {
    const back = deploy({ id: 3, sha: sha('d1'), at: '2026-07-02T10:20:00' })
    const p = project([d1, d2, back], cfg)
    expect(p.deployments.map((d) => [d.id, d.failed, d.isRollback, d.rework, d.recoverySeconds])).toEqual([
      ['github:acme/checkout#1', false, false, false, null],
      ['github:acme/checkout#2', true, false, false, 1200],
      ['github:acme/checkout#3', false, true, true, null],
    ])
    expect(p.deployments[2]!.changeCount).toBe(0)
  })
  it('a declared rollback (generic flag) marks the previous deployment failed', () => {
    const p = project([extDeploy({ id: 'a', sha: sha(1), at: '2026-07-01T10:00:00' }), extDeploy({ id: 'b', sha: sha(2), at: '2026-07-01T11:00:00', rollback: true })], cfg)
    expect(p.deployments.map((d) => [d.failed, d.isRollback])).toEqual([
      [true, false],
      [false, true],
    ])
  })
  it('rework: a deployment while an incident of the service is open (started at or before, not resolved before)', () => {
    const p = project(
      [
        pd({ id: 'Q1', transition: 'triggered', at: '2026-07-01T09:00:00' }),
        pd({ id: 'Q1', transition: 'resolved', at: '2026-07-02T10:00:00' }),
        d1,
        d2,
        d3,
      ],
      config({ ...CHECKOUT, metrics: { incidentAttributionWindowHours: 0 } }),
    )
    // d1 (open), d2 at exactly the resolve time (not resolved before it → open), d3 after.
    expect(p.deployments.map((d) => d.rework)).toEqual([true, true, false])
  })
  it('recovery: the latest resolve of the linked incidents, when all are resolved; unrecovered otherwise', () => {
    const p = project(
      [
        d1,
        d2,
        pd({ id: 'Q1', transition: 'triggered', at: '2026-07-01T11:00:00' }),
        pd({ id: 'Q1', transition: 'resolved', at: '2026-07-01T12:00:00' }),
        pd({ id: 'Q2', transition: 'triggered', at: '2026-07-01T11:30:00' }),
        pd({ id: 'Q2', transition: 'resolved', at: '2026-07-01T13:00:00' }),
        pd({ id: 'Q3', transition: 'triggered', at: '2026-07-02T11:00:00' }),
      ],
      cfg,
    )
    expect(p.deployments.map((d) => [d.failed, d.recoverySeconds])).toEqual([
      [true, 3 * 3600], // latest resolve 13:00 − 10:00
      [true, null], // Q3 still open
    ])
  })
  it('recovery: the earlier of the rollback and the incidents’ resolve', () => {
    const p = project([d1, d2, pd({ id: 'Q1', transition: 'triggered', at: '2026-07-02T10:05:00' }), pd({ id: 'Q1', transition: 'resolved', at: '2026-07-02T13:00:00' }), deploy({ id: 3, sha: sha('d1'), at: '2026-07-02T11:00:00' })], cfg)
    expect(p.deployments[1]!.recoverySeconds).toBe(3600)
    expect(p.deployments[1]!.failureCauses).toEqual(['window:pagerduty:Q1', 'rollback:github:acme/checkout#3'])
    expect(H).toBe(3600_000)
  })
})
