/**
 * `doraflow import gitlab` against the stand-in over loopback (real fetch,
 * real HTTP): the import fills what the Push Hook's 20-commit cap left out,
 * agrees with the hooks on every shared fact whatever the order, changes
 * nothing the second time, resumes at its checkpoint, waits out rate limits,
 * names the token key on a 401, reports a missing project while others go on,
 * and reads a group's projects.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import type { ChangeRecord, DeploymentRecord, IncidentRecord } from '../../contracts/records.ts'
import { importGitlab, type GitlabImportRequest } from '../../sources/gitlab/import/importer.ts'
import { importRequestSchema } from '../../sources/shared/import/request.ts'
import { ImportState } from '../../sources/shared/import/state.ts'
import { MemoryEventLog } from '../helpers/memory-log.ts'
import { startGitlabStandin, type GitlabStandin } from '../standins/gitlab-api.ts'
import { logged, tables } from './harness.ts'
import { cappedWorld, GitlabWorld, T } from './gitlab-world.ts'

const TOKEN = 'glpat-standin-token-1'
let gl: GitlabStandin | null = null
afterEach(async () => {
  await gl?.close()
  gl = null
})

function config(url: string, token = TOKEN): Config {
  return parseConfig({
    gitlab: { token, apiUrl: url },
    imports: { path: mkdtempSync(join(tmpdir(), 'doraflow-imports-')) },
    services: [{ name: 'shop', team: 'web', gitlabProjects: ['acme/shop'] }],
  })
}

function importer(cfg: Config, log = new MemoryEventLog()) {
  const state = new ImportState(cfg.imports.path)
  return { cfg, log, state, run: (req: Partial<GitlabImportRequest>) => importGitlab({ projects: [], ...req }, { config: cfg, log, state, backoffMs: 5 }) }
}

const changes = (t: { changes: string[] }) => t.changes.map((r) => JSON.parse(r) as ChangeRecord).map((c) => [c.deploymentId, c.sha, c.leadTimeSeconds] as const).sort((a, b) => a[2] - b[2])

describe('import gitlab (METRICS.md §10, §11)', () => {
  it('fills the push the hook cut at 20 commits: lead times are the full history\'s', async () => {
    const { w, c0, pushed } = cappedWorld()
    gl = await startGitlabStandin({ token: TOKEN })
    gl.projects.push(w.project)
    const imp = importer(config(gl.url))
    const summary = await imp.run({ projects: ['acme/shop'] })
    expect(summary.status).toBe('succeeded')
    const d2 = 'gitlab:acme/shop#2'
    // Hand-computed: commit i of the push at 10:i, deployed at 11:00 → (60 − i) minutes; c0 at 09:00 deployed 09:10.
    const full = [['gitlab:acme/shop#1', c0, 600] as const, ...pushed.map((sha, i) => [d2, sha, (60 - (i + 1)) * 60] as const)].sort((a, b) => a[2] - b[2])
    const hooksOnly = tables(w.hooks, imp.cfg)
    // The hooks alone: only the 20 commits sent (10:06…10:25), as the walk uses what was sent.
    expect(changes(hooksOnly).filter((c) => c[0] === d2).map((c) => c[2])).toEqual(Array.from({ length: 20 }, (_, i) => (35 + i) * 60))
    const imported = logged(imp.log)
    const importedOnly = tables(imported, imp.cfg)
    expect(changes(importedOnly)).toEqual(full)
    const hooksThenImport = tables([...w.hooks, ...imported], imp.cfg)
    const importThenHooks = tables([...imported, ...w.hooks], imp.cfg)
    expect(changes(hooksThenImport)).toEqual(full)
    expect(hooksThenImport).toEqual(importThenHooks)
    // Merge requests and incidents are the same facts both ways: one each, as the hooks told them.
    for (const k of ['pullRequests', 'incidents'] as const) expect(hooksThenImport[k]).toEqual(hooksOnly[k])
    // The import alone tells the merge request exactly as its hook did (merged_at to the second).
    expect(importedOnly.pullRequests).toEqual(hooksOnly.pullRequests)
    // Deployments: the same rows as the import alone (25 changes for #2, where the hooks alone count 20).
    expect(hooksThenImport.deployments).toEqual(importedOnly.deployments)
    expect(hooksOnly.deployments.map((r) => (JSON.parse(r) as DeploymentRecord).changeCount).sort()).toEqual([1, 20])
    expect(importedOnly.deployments.map((r) => (JSON.parse(r) as DeploymentRecord).changeCount).sort()).toEqual([1, 25])
    const deployments = hooksThenImport.deployments.map((r) => JSON.parse(r) as DeploymentRecord).map((d) => [d.id, d.deployedAt, d.sha]).sort()
    expect(deployments).toEqual([
      ['gitlab:acme/shop#1', Date.parse(T(9, 10)), c0],
      ['gitlab:acme/shop#2', Date.parse(T(11)), pushed.at(-1)],
    ])
    const incidents = importedOnly.incidents.map((r) => JSON.parse(r) as IncidentRecord).map((i) => [i.id, i.restoreSeconds, i.status])
    expect(incidents).toEqual([['gitlab:acme/shop#1', 45 * 60, 'resolved']])
  })

  it('importing twice changes nothing', async () => {
    const { w } = cappedWorld()
    gl = await startGitlabStandin({ token: TOKEN })
    gl.projects.push(w.project)
    const imp = importer(config(gl.url))
    const first = await imp.run({ projects: ['acme/shop'] })
    const size = imp.log.entries.length
    const second = await imp.run({ projects: ['acme/shop'] })
    expect(first.newFacts).toBe(size)
    // 2 deployments + 26 commits + 1 MR + 1 incident issue.
    expect(size).toBe(30)
    expect(second.status).toBe('succeeded')
    expect(second.recordsRead).toBe(30)
    expect(second.newFacts).toBe(0)
    expect(imp.log.entries.length).toBe(size)
  })

  it('resumes at the page after the last one in the log when a run was cut short', async () => {
    const { w } = cappedWorld()
    gl = await startGitlabStandin({ token: TOKEN, perPage: 10 })
    gl.projects.push(w.project)
    const isPage2 = (p: string) => p.includes('/repository/commits?') && /[?&]page=2(&|$)/.test(p)
    // Page 2 of the commits fails every retry: the run stops there, pages 1 in the log.
    for (let i = 0; i < 4; i++) gl.faults.push({ fault: { kind: 'bad-gateway' }, match: isPage2 })
    const imp = importer(config(gl.url))
    const cut = await imp.run({ projects: ['acme/shop'] })
    expect(cut.status).toBe('failed')
    expect(cut.scopes[0]!.problem?.reason).toBe('http_error')
    expect(imp.log.entries.length).toBe(2 + 10)
    gl.requests.length = 0
    const resumed = await imp.run({ projects: ['acme/shop'] })
    expect(resumed.status).toBe('succeeded')
    const commitPages = gl.requests.filter((p) => p.includes('/repository/commits?')).map((p) => new URL(p, 'http://x').searchParams.get('page'))
    expect(commitPages).toEqual(['2', '3'])
    const fresh = importer(config(gl.url))
    await fresh.run({ projects: ['acme/shop'] })
    expect(tables(logged(imp.log), imp.cfg)).toEqual(tables(logged(fresh.log), fresh.cfg))
    expect(imp.log.entries.length).toBe(fresh.log.entries.length)
  })

  it('waits out 429s (Retry-After, RateLimit-Reset) and retries a 502', async () => {
    const { w } = cappedWorld()
    gl = await startGitlabStandin({ token: TOKEN })
    gl.projects.push(w.project)
    gl.faults.push(
      { fault: { kind: 'rate-limited', retryAfterSeconds: 1 }, match: (p) => p.includes('/deployments?') },
      { fault: { kind: 'rate-limited', resetInSeconds: 1 }, match: (p) => p.includes('/merge_requests?') },
      { fault: { kind: 'bad-gateway' }, match: (p) => p.includes('/issues?') },
    )
    const imp = importer(config(gl.url))
    const summary = await imp.run({ projects: ['acme/shop'] })
    expect(summary.status).toBe('succeeded')
    expect(summary.retries).toBe(3)
    // 1 s for Retry-After; up to 2 s until the reset second (an epoch second, rounded up).
    expect(summary.waitedOnLimitsMs).toBeGreaterThan(1000)
    expect(summary.waitedOnLimitsMs).toBeLessThanOrEqual(3000)
    expect(summary.newFacts).toBe(30)
  })

  it('a 401 stops the run and names gitlab.token', async () => {
    gl = await startGitlabStandin({ token: TOKEN })
    gl.projects.push(cappedWorld().w.project)
    const imp = importer(config(gl.url, 'glpat-wrong'))
    const summary = await imp.run({ projects: ['acme/shop'] })
    expect(summary.status).toBe('failed')
    expect(summary.problem?.reason).toBe('bad_token')
    expect(summary.problem?.message).toContain('gitlab.token')
    expect(summary.problem?.message).toContain('read_api')
    expect(imp.log.entries.length).toBe(0)
  })

  it('a missing project is named and the others go on', async () => {
    gl = await startGitlabStandin({ token: TOKEN })
    gl.projects.push(cappedWorld().w.project)
    const imp = importer(config(gl.url))
    const summary = await imp.run({ projects: ['acme/missing', 'acme/shop'] })
    expect(summary.status).toBe('failed')
    expect(summary.scopes.map((s) => [s.scope, s.status, s.problem?.reason ?? null])).toEqual([
      ['acme/missing', 'failed', 'not_found'],
      ['acme/shop', 'done', null],
    ])
    expect(summary.scopes[0]!.problem?.message).toContain('acme/missing')
    expect(summary.newFacts).toBe(30)
  })

  it('--group reads every project of the group', async () => {
    gl = await startGitlabStandin({ token: TOKEN })
    const shop = cappedWorld().w
    const web = new GitlabWorld(43, 'acme/platform/web')
    const [c] = web.push([T(8)])
    web.deploy(7, c!, T(8, 30))
    gl.projects.push(shop.project, web.project)
    gl.groups.set('acme', ['acme/shop', 'acme/platform/web'])
    const imp = importer(config(gl.url))
    const summary = await imp.run({ group: 'acme' })
    expect(summary.status).toBe('succeeded')
    expect(summary.scopes.map((s) => [s.scope, s.status])).toEqual([
      ['acme/shop', 'done'],
      ['acme/platform/web', 'done'],
    ])
    const t = tables(logged(imp.log), imp.cfg)
    expect(t.deployments.map((r) => (JSON.parse(r) as DeploymentRecord).id).sort()).toEqual(['gitlab:acme/platform/web#7', 'gitlab:acme/shop#1', 'gitlab:acme/shop#2'])
    const missing = await importer(config(gl.url)).run({ group: 'nope' })
    expect(missing.problem?.reason).toBe('not_found')
    expect(missing.problem?.message).toContain('group nope')
  })

  it('the request names projects or a group, not both, not neither', () => {
    const bad = (r: unknown) => importRequestSchema.safeParse(r).error?.issues.map((i) => i.message)
    expect(bad({ source: 'gitlab' })).toContain('name projects (projects / --project GROUP/NAME) or a group (group / --group GROUP)')
    expect(bad({ source: 'gitlab', projects: ['a/b'], group: 'a' })).toContain('name projects or a group, not both')
    expect(bad({ source: 'gitlab', projects: ['noslash'] })).toContain('must be a project path such as group/name or group/subgroup/name')
    expect(importRequestSchema.parse({ source: 'gitlab', group: 'acme', since: '2026-07-01' })).toEqual({ source: 'gitlab', projects: [], group: 'acme', since: '2026-07-01T00:00:00.000Z' })
  })
})
