import { describe, expect, it } from 'vitest'
import { project } from '../../processors/project/index.ts'
import { isMovable, upcast } from '../../processors/upcast.ts'
import { CHECKOUT, commit, config, extDeploy, issue, pr, push, sha, status } from './builders.ts'

/**
 * Facts stored before the source-neutral events (old type names) are read back
 * as the new events: a running installation keeps computing the same rows
 * across the upgrade, before its next replay.
 */
describe('upcast of facts written before issue 9', () => {
  const c1 = commit('c1'.padEnd(40, '1'), '2026-07-01T08:00:00Z')
  const old = [
    { type: 'PushReceived', key: 'gh-push:acme/checkout:0:a', routing: 'github:acme/checkout', repo: 'acme/checkout', ref: 'refs/heads/main', defaultBranch: 'main', before: '0'.repeat(40), after: sha(1), deleted: false, forced: false, pushedAt: '2026-07-01T08:00:00Z', commits: [c1] },
    { type: 'PullRequestMerged', key: 'gh-pr:acme/checkout:3', routing: 'github:acme/checkout', repo: 'acme/checkout', number: 3, title: 'PR 3', url: null, createdAt: '2026-06-30T08:00:00Z', mergedAt: '2026-07-01T08:00:00Z', mergeCommitSha: c1.id },
    { type: 'DeploymentStatusReported', key: 'gh-ds:acme/checkout:9', routing: 'github:acme/checkout', repo: 'acme/checkout', deploymentId: '101', statusId: '9', state: 'success', environment: 'production', productionEnvironment: null, sha: sha(1), ref: 'main', at: '2026-07-01T10:00:00Z', url: null },
    { type: 'DeploymentStatusReported', key: 'gh-ds:acme/checkout:8', routing: 'github:acme/checkout', repo: 'acme/checkout', deploymentId: '101', statusId: '8', state: 'failure', environment: 'production', productionEnvironment: null, sha: sha(1), ref: 'main', at: '2026-07-01T09:00:00Z', url: null },
    { type: 'ExternalDeploymentReported', key: 'generic:x', routing: 'named:checkout', origin: 'generic', id: 'd2', service: 'checkout', team: null, environment: 'production', sha: sha(2), artifact: null, at: '2026-07-02T10:00:00Z', succeeded: true, rollback: true, url: null },
    { type: 'IssueChanged', key: 'gh-issue:acme/checkout:7:opened:2026-07-02T11:00:00Z:e1', routing: 'github:acme/checkout', repo: 'acme/checkout', number: 7, action: 'opened', labels: ['incident'], title: 'Issue 7', body: '', createdAt: '2026-07-02T11:00:00Z', closedAt: null, updatedAt: '2026-07-02T11:00:00Z', url: null },
  ]
  const current = [
    push({ before: '0'.repeat(40), after: sha(1), commits: [c1], at: '2026-07-01T08:00:00Z' }),
    pr({ number: 3, createdAt: '2026-06-30T08:00:00Z', mergedAt: '2026-07-01T08:00:00Z', mergeSha: c1.id }),
    status({ id: 101, statusId: 9, sha: sha(1), at: '2026-07-01T10:00:00Z' }),
    status({ id: 101, statusId: 8, state: 'failure', sha: sha(1), at: '2026-07-01T09:00:00Z' }),
    { ...extDeploy({ id: 'd2', sha: sha(2), at: '2026-07-02T10:00:00Z', rollback: true }), reportId: 'generic:x' },
    issue({ number: 7, action: 'opened', createdAt: '2026-07-02T11:00:00Z', updatedAt: '2026-07-02T11:00:00Z' }),
  ]

  it('old facts project into the rows the new events give', () => {
    const cfg = config(CHECKOUT)
    const fromOld = project(old.map(upcast), cfg)
    expect(fromOld.deployments.map((d) => d.id)).toEqual(['github:acme/checkout#101', 'generic:d2'])
    expect(fromOld.failedAttempts.map((f) => f.id)).toEqual(['github:acme/checkout#101/status/8'])
    expect(fromOld.pullRequests[0]).toMatchObject({ number: 3, deploymentId: 'github:acme/checkout#101' })
    expect(fromOld.incidents.map((i) => i.id)).toEqual(['github:acme/checkout#7'])
    expect(fromOld).toEqual(project(current, cfg))
  })

  it('new events pass through unchanged', () => {
    for (const e of current) expect(upcast(e)).toBe(e)
  })
})

describe('which facts can move between routings', () => {
  it('deployments and incidents may, except those of a stable source (a GitHub deployment names its repository)', () => {
    expect(isMovable({ type: 'DeploymentReported', entity: 'deployment:github:acme/x#1' })).toBe(false)
    expect(isMovable({ type: 'DeploymentReported', entity: 'deployment:generic:d1' })).toBe(true)
    expect(isMovable({ type: 'IncidentTransitioned', entity: 'incident:pagerduty:Q1' })).toBe(true)
    expect(isMovable({ type: 'ExternalDeploymentReported', entity: 'generic-deploy:d1' })).toBe(true)
    expect(isMovable({ type: 'CommitsPushed', entity: 'push:github:acme/x:a:b:refs/heads/main' })).toBe(false)
    expect(isMovable({ type: 'IssueChanged', entity: 'incident:github:acme/x#7' })).toBe(false)
  })
})
