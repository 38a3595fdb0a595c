import { describe, expect, it } from 'vitest'
import type { Commit, DomainEvent } from '../../contracts/events.ts'
import { PathRules } from '../../processors/project/paths.ts'
import { project } from '../../processors/project/index.ts'
import { commit, config, deploy, pr, push, sha } from './builders.ts'

/**
 * METRICS.md §16 paths, by hand: the monorepo acme/mono with three services —
 * api (services/api/**), web (services/web/**, libs/ui/**) and platform (no paths: the rest).
 *
 *   0 → S1: c1 08:00 services/api/a.ts            → api
 *           c2 09:00 services/api/b.ts + services/web/c.ts → api, web
 *   S1 → S2: c3 10:00 README.md                   → platform (touches no listed path)
 *            c4 11:00 rename services/api/old.ts → services/web/new.ts → api, web
 *   S2 → S3: c5 12:30 libs/ui/button.tsx          → web
 *
 *   api      #1 at S2 12:00: c1 14400, c2 10800, c4 3600      #4 at S3 15:00: nothing of its own
 *   web      #2 at S3 13:00: c2 14400, c4 7200, c5 1800
 *   platform #3 at S3 14:00: c3 14400
 */
const MONO = {
  services: [
    { name: 'api', team: 'core', repositories: ['acme/mono'], environments: ['prod-api'], paths: ['services/api/**'] },
    { name: 'web', team: 'front', repositories: ['acme/mono'], environments: ['prod-web'], paths: ['services/web/**', 'libs/ui/**'] },
    { name: 'platform', team: 'core', repositories: ['acme/mono'], environments: ['prod-platform'] },
  ],
}
const files = (c: Commit, f: { added?: string[]; removed?: string[]; modified?: string[] }): Commit => ({ ...c, files: [...(f.added ?? []), ...(f.modified ?? []), ...(f.removed ?? [])] })
const c = {
  c1: files(commit(sha('c1'), '2026-07-01T08:00:00'), { added: ['services/api/a.ts'] }),
  c2: files(commit(sha('c2'), '2026-07-01T09:00:00'), { modified: ['services/api/b.ts', 'services/web/c.ts'] }),
  c3: files(commit(sha('c3'), '2026-07-01T10:00:00'), { modified: ['README.md'] }),
  c4: files(commit(sha('c4'), '2026-07-01T11:00:00'), { removed: ['services/api/old.ts'], added: ['services/web/new.ts'] }),
  c5: files(commit(sha('c5'), '2026-07-01T12:30:00'), { modified: ['libs/ui/button.tsx'] }),
}
const ZERO = '0'.repeat(40)
const repo = 'acme/mono'
const events = (): DomainEvent[] => [
  push({ repo, before: ZERO, after: sha('S1'), commits: [c.c1, c.c2] }),
  push({ repo, before: sha('S1'), after: sha('S2'), commits: [c.c3, c.c4] }),
  push({ repo, before: sha('S2'), after: sha('S3'), commits: [c.c5] }),
  deploy({ repo, id: 1, env: 'prod-api', sha: sha('S2'), at: '2026-07-01T12:00:00' }),
  deploy({ repo, id: 2, env: 'prod-web', sha: sha('S3'), at: '2026-07-01T13:00:00' }),
  deploy({ repo, id: 3, env: 'prod-platform', sha: sha('S3'), at: '2026-07-01T14:00:00' }),
  deploy({ repo, id: 4, env: 'prod-api', sha: sha('S3'), at: '2026-07-01T15:00:00' }),
]
const changesOf = (p: ReturnType<typeof project>) =>
  Object.fromEntries(['api', 'web', 'platform'].map((s) => [s, p.changes.filter((x) => x.service === s).map((x) => [x.sha.slice(0, 7), x.deploymentId.split('#')[1], x.leadTimeSeconds]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))]))

describe('§16 paths in a monorepo', () => {
  it('each service walks the shared history but collects only its own changes; a rename counts for both paths', () => {
    const p = project(events(), config(MONO))
    expect(changesOf(p)).toEqual({
      api: [[sha('c1').slice(0, 7), '1', 14400], [sha('c2').slice(0, 7), '1', 10800], [sha('c4').slice(0, 7), '1', 3600]],
      web: [[sha('c2').slice(0, 7), '2', 14400], [sha('c4').slice(0, 7), '2', 7200], [sha('c5').slice(0, 7), '2', 1800]],
      platform: [[sha('c3').slice(0, 7), '3', 14400]],
    })
    // api's second deployment walks S3 → S2 (its previous): c5 is web's, so no changes
    expect(p.deployments.find((d) => d.id === 'github:acme/mono#4')?.changeCount).toBe(0)
  })

  it('without paths every service of the repository takes every change (the rule is off)', () => {
    const p = project(events(), config({ services: MONO.services.map(({ paths: _, ...s }) => s) }))
    expect(p.changes.filter((x) => x.service === 'platform').length).toBe(5)
  })

  it('changing paths moves the changes: libs/ui/** to api', () => {
    const moved = { services: [{ ...MONO.services[0]!, paths: ['services/api/**', 'libs/ui/**'] }, { ...MONO.services[1]!, paths: ['services/web/**'] }, MONO.services[2]!] }
    const p = project(events(), config(moved))
    // api #4 at S3 15:00 now gets c5 (12:30 → 9000 s); web loses it
    expect(p.changes.filter((x) => x.service === 'api' && x.deploymentId.endsWith('#4')).map((x) => x.leadTimeSeconds)).toEqual([9000])
    expect(p.changes.filter((x) => x.service === 'web').map((x) => x.leadTimeSeconds).sort()).toEqual([14400, 7200])
  })

  it('pull requests in a split repository follow their merge commit', () => {
    const p = project([...events(), pr({ repo, number: 9, createdAt: '2026-07-01T07:00:00', mergedAt: '2026-07-01T12:30:00', mergeSha: sha('c5') })], config(MONO))
    expect(p.pullRequests.map((x) => [x.service, x.deploymentId])).toEqual([['web', 'github:acme/mono#2']])
  })

  it('PathRules: paths split only a repository several services list; unknown files touch no listed path', () => {
    const rules = new PathRules(config({ services: [...MONO.services, { name: 'solo', repositories: ['acme/solo'], paths: ['src/**'] }] }))
    expect(rules.owns('solo', 'acme/solo', { files: ['docs/x.md'] })).toBe(true) // only service of its repository
    expect(rules.owns('api', repo, {})).toBe(false)
    expect(rules.owns('platform', repo, {})).toBe(true)
    expect(rules.owns('web', repo, { files: ['libs/ui/.eslintrc'] })).toBe(true) // dotfiles match
    expect(rules.owns('platform', repo, { files: ['services/api/x', 'README.md'] })).toBe(false) // it touches a listed path
  })
})
