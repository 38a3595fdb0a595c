/**
 * METRICS.md §16 paths for imported history: where `paths` split a repository the importer reads
 * each listed commit's files ("Get a commit"), and the projection splits the imported links as it
 * splits pushes — so a monorepo's per-service figures are the same by import as by webhooks.
 * Elsewhere it asks for no commit at all (counted in the stand-in).
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
const rows = <T>(t: string[]): T[] => t.map((r) => JSON.parse(r) as T)
const commitReads = (g: GithubStandin) => g.stats.paths.filter((p) => /\/commits\/[0-9a-f]{40}$/.test(p))

/** api and web own their paths; platform (no paths) the rest. */
const MONO = {
  services: [
    { name: 'api', team: 'core', repositories: ['acme/mono'], environments: ['prod-api'], paths: ['services/api/**'] },
    { name: 'web', team: 'front', repositories: ['acme/mono'], environments: ['prod-web'], paths: ['services/web/**', 'libs/ui/**'] },
    { name: 'platform', team: 'core', repositories: ['acme/mono'], environments: ['prod-platform'] },
  ],
}

/**
 *   c1 08:00 add services/api/a.ts                                  → api
 *   c2 09:00 modify services/api/b.ts + services/web/c.ts           → api, web
 *   c3 10:00 modify README.md                                       → platform (no listed path)
 *   c4 11:00 rename services/api/old.ts → services/web/new.ts       → api, web (old and new name)
 *   #1 prod-api of c4 at 12:00
 *   c5 12:30 modify libs/ui/button.tsx                              → web
 *   #2 prod-web, #3 prod-platform, #4 prod-api, all of c5, at 13:00, 14:00, 15:00
 *
 *   api      #1: c1 14400, c2 10800, c4 3600;  #4: nothing of its own (c5 is web's)
 *   web      #2: c2 14400, c4 7200, c5 1800
 *   platform #3: c3 14400 (its first deployment walks back to the start)
 */
function monorepo(): { w: RepoWorld; c: Record<'c1' | 'c2' | 'c3' | 'c4' | 'c5', string> } {
  const w = new RepoWorld('acme/mono')
  const c1 = w.pushTouching(H(8), [{ filename: 'services/api/a.ts', status: 'added' }])
  const c2 = w.pushTouching(H(9), [
    { filename: 'services/api/b.ts', status: 'modified' },
    { filename: 'services/web/c.ts', status: 'modified' },
  ])
  const c3 = w.pushTouching(H(10), [{ filename: 'README.md', status: 'modified' }])
  const c4 = w.pushTouching(H(11), [{ filename: 'services/web/new.ts', status: 'renamed', previous_filename: 'services/api/old.ts' }])
  w.deploy(1, c4, 'prod-api', [['success', H(12)]])
  const c5 = w.pushTouching(H(12, 30), [{ filename: 'libs/ui/button.tsx', status: 'modified' }])
  w.deploy(2, c5, 'prod-web', [['success', H(13)]])
  w.deploy(3, c5, 'prod-platform', [['success', H(14)]])
  w.deploy(4, c5, 'prod-api', [['success', H(15)]])
  return { w, c: { c1, c2, c3, c4, c5 } }
}

const byService = (t: { changes: string[] }) => {
  const out: Record<string, [string, string, number][]> = {}
  for (const x of rows<ChangeRecord>(t.changes)) (out[x.service] ??= []).push([x.sha, x.deploymentId.split('#')[1]!, x.leadTimeSeconds])
  for (const list of Object.values(out)) list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return out
}
const sorted = (xs: [string, string, number][]) => [...xs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))

describe('import github: §16 paths split imported history', () => {
  it('a monorepo: per-service changes by path, hand-computed, the same as the webhooks give', async () => {
    const { w, c } = monorepo()
    gh = await githubStandinFor(w)
    const config = importConfig(gh, null, MONO)
    const imp = importer(config)
    const summary = await imp.github({ repos: [w.fullName] })
    expect(summary.status).toBe('succeeded')
    // One "Get a commit" per listed commit, each once.
    expect(commitReads(gh).sort()).toEqual(Object.values(c).map((s) => `/repos/acme/mono/commits/${s}`).sort())
    const imported = tables(logged(imp.log), config)
    expect(byService(imported)).toEqual({
      api: sorted([[c.c1, '1', 14400], [c.c2, '1', 10800], [c.c4, '1', 3600]]),
      web: sorted([[c.c2, '2', 14400], [c.c4, '2', 7200], [c.c5, '2', 1800]]),
      platform: [[c.c3, '3', 14400]],
    })
    expect(rows<DeploymentRecord>(imported.deployments).find((d) => d.id === 'github:acme/mono#4')?.changeCount).toBe(0)
    const webhooks = tables(w.hooks.map(hookEnvelope), config)
    expect(byService(webhooks)).toEqual(byService(imported))
    expect(imported).toEqual(webhooks)
  })

  it('the same import without paths: every service takes every change, and no commit is read on its own', async () => {
    const { w } = monorepo()
    gh = await githubStandinFor(w)
    const config = importConfig(gh, null, { services: MONO.services.map(({ paths: _, ...s }) => s) })
    const summary = await importer(config).github({ repos: [w.fullName] })
    expect(summary.status).toBe('succeeded')
    expect(commitReads(gh)).toEqual([])
  })

  it('a repository one service lists (paths split nothing): no per-commit requests', async () => {
    const w = new RepoWorld('acme/checkout')
    const a = w.pushTouching(H(8), [{ filename: 'src/a.ts', status: 'added' }])
    w.deploy(101, a, 'production', [['success', H(9)]])
    gh = await githubStandinFor(w)
    const config = importConfig(gh, null, { services: [{ name: 'checkout', team: 'payments', repositories: ['acme/checkout'], paths: ['src/**'] }] })
    const imp = importer(config)
    expect((await imp.github({ repos: [w.fullName] })).status).toBe('succeeded')
    expect(commitReads(gh)).toEqual([])
    expect(rows<ChangeRecord>(tables(logged(imp.log), config).changes).map((x) => x.leadTimeSeconds)).toEqual([3600])
  })

  it('a re-run after new commits reads the files of the new commits only', async () => {
    const { w, c } = monorepo()
    gh = await githubStandinFor(w)
    const config = importConfig(gh, null, MONO)
    const imp = importer(config)
    expect((await imp.github({ repos: [w.fullName] })).status).toBe('succeeded')
    const c6 = w.pushTouching(H(16), [{ filename: 'services/api/d.ts', status: 'modified' }])
    w.deploy(5, c6, 'prod-api', [['success', H(17)]])
    gh.repos.set('acme/mono', w.standin())
    gh.stats.paths.length = 0
    expect((await imp.github({ repos: [w.fullName] })).status).toBe('succeeded')
    expect(commitReads(gh)).toEqual([`/repos/acme/mono/commits/${c6}`])
    // api #5 gets c6 (16:00 → 17:00); nothing else moves.
    const changes = byService(tables(logged(imp.log), config))
    expect(changes['api']).toEqual(sorted([[c.c1, '1', 14400], [c.c2, '1', 10800], [c.c4, '1', 3600], [c6, '5', 3600]]))
    expect(changes['web']).toHaveLength(3)
  })

  it('paths added after an import: the next run reads the history again with files, and the split follows', async () => {
    const { w, c } = monorepo()
    gh = await githubStandinFor(w)
    const plain = importConfig(gh, null, { services: MONO.services.map(({ paths: _, ...s }) => s) })
    const first = importer(plain)
    expect((await first.github({ repos: [w.fullName] })).status).toBe('succeeded')
    expect(commitReads(gh)).toEqual([])
    // Same log and import state, now with paths: the commits list is not answered 304 from the first run's ETag.
    const config = { ...plain, services: importConfig(gh, null, MONO).services }
    const again = importer(config, first.log)
    expect((await again.github({ repos: [w.fullName] })).status).toBe('succeeded')
    expect(commitReads(gh)).toHaveLength(5)
    // The log holds each commit with and without files: the projection takes the one with files.
    expect(byService(tables(logged(again.log), config))['platform']).toEqual([[c.c3, '3', 14400]])
  })

  it('a commit of more than 300 files: every page of its file list is read (the api file is the 301st)', async () => {
    const w = new RepoWorld('acme/mono')
    const files = Array.from({ length: 300 }, (_, i) => ({ filename: `services/web/f${i}.ts`, status: 'added' as const }))
    const big = w.pushTouching(H(8), [...files, { filename: 'services/api/last.ts', status: 'added' }])
    w.deploy(1, big, 'prod-api', [['success', H(9)]])
    gh = await githubStandinFor(w)
    const config = importConfig(gh, null, MONO)
    const imp = importer(config)
    expect((await imp.github({ repos: [w.fullName] })).status).toBe('succeeded')
    expect(commitReads(gh)).toEqual([`/repos/acme/mono/commits/${big}`])
    expect(gh.stats.paths.filter((p) => p.startsWith(`/repos/acme/mono/commits/${big}?`))).toHaveLength(1)
    expect(byService(tables(logged(imp.log), config))['api']).toEqual([[big, '1', 3600]])
  })
})
