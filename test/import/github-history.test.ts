/**
 * `doraflow import github` against the stand-in over loopback (real octokit):
 * the history shapes of §10, each compared with hand-computed changes and
 * with what the same history sent as webhooks gives.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { hookEnvelope, RepoWorld } from './world.ts'
import { githubStandinFor, importConfig, importer, logged, tables } from './harness.ts'
import type { GithubStandin } from '../standins/github-api.ts'
import type { ChangeRecord, DeploymentRecord } from '../../contracts/records.ts'

let gh: GithubStandin | null = null
afterEach(async () => {
  await gh?.close()
  gh = null
})

const H = (h: number, m = 0) => `2026-07-01T${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00Z`
const D = (day: number, h: number) => `2026-07-${String(day).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00Z`

async function importWorld(w: RepoWorld, req: { since?: string; until?: string } = {}) {
  gh = await githubStandinFor(w)
  const config = importConfig(gh, null)
  const imp = importer(config)
  const summary = await imp.github({ repos: [w.fullName], ...req })
  return { config, imp, summary, imported: tables(logged(imp.log), config), webhooks: tables(w.hooks.map(hookEnvelope), config) }
}

const rows = <T>(t: string[]): T[] => t.map((r) => JSON.parse(r) as T)
const changesOf = (t: { changes: string[] }) =>
  rows<ChangeRecord>(t.changes)
    .map((c) => `${c.deploymentId}:${c.sha.slice(0, 7)}:${c.leadTimeSeconds}`)
    .sort()
const deploymentsOf = (t: { deployments: string[] }) => rows<DeploymentRecord>(t.deployments).map((d) => ({ id: d.id, changes: d.changeCount, deployedAt: d.deployedAt }))

describe('import github: history shapes (METRICS.md §10)', () => {
  it('a linear history: each deployment gets the commits since the previous one, as the webhooks give them', async () => {
    const w = new RepoWorld('acme/checkout')
    const a = w.push(H(8))
    const b = w.push(H(9), H(9, 30))
    w.deploy(101, b, 'production', [['in_progress', H(9, 58)], ['success', H(10)]])
    const c = w.push(H(11))
    w.deploy(102, c, 'production', [['success', H(12)]])
    const { imported, webhooks, summary } = await importWorld(w)
    expect(summary.status).toBe('succeeded')
    // D101: a (7200 s), b's two commits (3600, 1800); D102: c (3600).
    const s = (x: string) => x.slice(0, 7)
    expect(changesOf(imported)).toEqual([`github:acme/checkout#101:${s(a)}:7200`, `github:acme/checkout#101:${w.commits[1]!.sha.slice(0, 7)}:3600`, `github:acme/checkout#101:${s(b)}:1800`, `github:acme/checkout#102:${s(c)}:3600`].sort())
    expect(imported).toEqual(webhooks)
    // deployedAt is the first success status's created_at, not the deployment's updated_at.
    expect(deploymentsOf(imported).map((d) => d.deployedAt)).toEqual([Date.parse(H(10)), Date.parse(H(12))])
  })

  it('merge commits, squashes and a fast-forward: the merged branch counts with its merge, each PR finds its deployment', async () => {
    const w = new RepoWorld('acme/checkout')
    const a = w.push(H(8))
    const m = w.merge(H(11), [H(9), H(10)], { number: 5, createdAt: H(8, 30) })
    w.deploy(101, m, 'production', [['success', H(12)]])
    const sq = w.squash(H(13), { number: 6, createdAt: H(12, 30) })
    // Fast-forward: the branch's two commits land on the default branch as they are.
    const ff = w.push(H(14), H(15))
    w.pull(7, H(13, 30), H(15), ff)
    w.deploy(102, ff, 'production', [['success', H(16)]])
    const { imported, webhooks } = await importWorld(w)
    const [b1, b2] = [w.commits[1]!.sha, w.commits[2]!.sha]
    const f1 = w.commits.at(-2)!.sha
    const k = (d: number, sha: string, lead: number) => `github:acme/checkout#${d}:${sha.slice(0, 7)}:${lead}`
    expect(changesOf(imported)).toEqual([k(101, a, 14400), k(101, b1, 10800), k(101, b2, 7200), k(101, m, 3600), k(102, sq, 10800), k(102, f1, 7200), k(102, ff, 3600)].sort())
    const prs = rows<{ number: number; deploymentId: string | null; mergedToDeployedSeconds: number | null; openedToDeployedSeconds: number | null }>(imported.pullRequests)
      .map((p) => [p.number, p.deploymentId, p.mergedToDeployedSeconds, p.openedToDeployedSeconds])
      .sort()
    expect(prs).toEqual([
      [5, 'github:acme/checkout#101', 3600, 12600],
      [6, 'github:acme/checkout#102', 10800, 12600],
      [7, 'github:acme/checkout#102', 3600, 9000],
    ])
    expect(imported).toEqual(webhooks)
  })

  it('a force-push that rewrote history: the import follows the history as it is now; webhooks, when present, keep their answer', async () => {
    const w = new RepoWorld('acme/checkout')
    const a = w.push(H(8))
    const b = w.push(H(9))
    w.deploy(101, b, 'production', [['success', H(9, 30)]])
    const dropped = w.push(H(10))
    const rewritten = w.forcePush(1, H(11))
    w.deploy(102, rewritten, 'production', [['success', H(12)]])
    const { imported, webhooks } = await importWorld(w)
    const k = (d: number, sha: string, lead: number) => `github:acme/checkout#${d}:${sha.slice(0, 7)}:${lead}`
    // The dropped commit is no longer in the history GitHub lists: only the rewritten one shipped.
    expect(changesOf(imported)).toEqual([k(101, a, 5400), k(101, b, 1800), k(102, rewritten, 3600)].sort())
    // §3 on the push webhooks links the forced push to the head it replaced, so it counts the dropped commit too…
    expect(changesOf(webhooks)).toEqual([k(101, a, 5400), k(101, b, 1800), k(102, dropped, 7200), k(102, rewritten, 3600)].sort())
    // …and import only adds knowledge: with both, the webhooks' answer stands.
    const both = importer(importConfig(gh, null))
    await both.github({ repos: [w.fullName] })
    expect(both.log.entries.length).toBe(5) // 3 commits listed (not the dropped one), 2 deployments
    expect(tables([...logged(both.log), ...w.hooks.map(hookEnvelope)], both.config)).toEqual(webhooks)
  })

  it('a repository whose default branch is not main: the history of its own default branch is read', async () => {
    const w = new RepoWorld('acme/checkout', 'trunk')
    const a = w.push(H(8), H(9))
    w.deploy(101, a, 'production', [['success', H(10)]])
    const { imported, webhooks } = await importWorld(w)
    expect(gh!.stats.paths.filter((p) => p.includes('/commits')).every((p) => p.includes('sha=trunk'))).toBe(true)
    expect(changesOf(imported)).toEqual([`github:acme/checkout#101:${w.commits[0]!.sha.slice(0, 7)}:7200`, `github:acme/checkout#101:${a.slice(0, 7)}:3600`].sort())
    expect(imported).toEqual(webhooks)
  })

  it('a repository with no deployments: commits and pull requests, no deployments, nothing invented', async () => {
    const w = new RepoWorld('acme/checkout')
    w.squash(H(9), { number: 3, createdAt: H(8) })
    w.push(H(10))
    const { imported, webhooks, summary } = await importWorld(w)
    expect(summary.status).toBe('succeeded')
    expect(summary.recordsRead).toBe(3) // two commits, one merged PR
    expect(imported.deployments).toEqual([])
    expect(imported.changes).toEqual([])
    expect(rows<{ number: number; deploymentId: string | null }>(imported.pullRequests).map((p) => [p.number, p.deploymentId])).toEqual([[3, null]])
    expect(imported).toEqual(webhooks)
  })

  it('the --since baseline: the first deployment in the range walks back to the range start, never to the first commit', async () => {
    const w = new RepoWorld('acme/checkout')
    w.push(D(1, 9).replace('07-01', '06-01'))
    const old = w.push(D(1, 9).replace('07-01', '06-15'))
    w.deploy(100, old, 'production', [['success', D(1, 12).replace('07-01', '06-15')]])
    const b = w.push(D(1, 9))
    const c = w.push(D(1, 10))
    w.deploy(101, c, 'production', [['success', D(1, 11)]])
    const { imported } = await importWorld(w, { since: '2026-07-01T00:00:00Z' })
    // Only the range's commits, the first one included; June's deployment is outside the range.
    expect(changesOf(imported)).toEqual([`github:acme/checkout#101:${b.slice(0, 7)}:7200`, `github:acme/checkout#101:${c.slice(0, 7)}:3600`].sort())
    expect(deploymentsOf(imported)).toEqual([{ id: 'github:acme/checkout#101', changes: 2, deployedAt: Date.parse(D(1, 11)) }])
    expect(gh!.stats.paths.filter((p) => p.includes('/commits')).every((p) => p.includes('since=2026-07-01'))).toBe(true)
  })

  it('incident issues with their events: the same incidents as the issue webhooks, pull requests in the issues list skipped', async () => {
    const w = new RepoWorld('acme/checkout')
    const a = w.push(H(8))
    w.deploy(101, a, 'production', [['success', H(9)]])
    w.incidentIssue(7, `checkout broken since ${a.slice(0, 9)}`, H(10), H(11))
    w.incidentIssue(8, 'still open', H(12), null)
    w.issues.push({ number: 9, title: 'a PR', body: '', labels: ['incident'], createdAt: H(12), closedAt: null, updatedAt: H(12), events: [], isPull: true })
    w.issues.push({ number: 10, title: 'not an incident', body: '', labels: ['bug'], createdAt: H(12), closedAt: null, updatedAt: H(12), events: [] })
    const { imported, webhooks } = await importWorld(w)
    const incidents = rows<{ id: string; resolvedAt: number | null; linkKind: string }>(imported.incidents).map((i) => [i.id, i.resolvedAt, i.linkKind])
    expect(incidents.sort()).toEqual([
      ['github:acme/checkout#7', Date.parse(H(11)), 'explicit'],
      ['github:acme/checkout#8', null, 'window'],
    ])
    expect(gh!.stats.paths.some((p) => p.includes('/issues/9/events') || p.includes('/issues/10/events'))).toBe(false)
    expect(imported).toEqual(webhooks)
  })
})
