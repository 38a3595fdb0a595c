/**
 * The importer under GitHub's real answers: rate limits (secondary with
 * Retry-After, a primary budget at 0 with X-RateLimit-Reset, 429), a 502, a GHES
 * answering 0/0, conditional re-runs, a bad token, a repository that does not exist.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { hookEnvelope, RepoWorld } from './world.ts'
import { GH_TOKEN, githubStandinFor, importConfig, importer, logged, tables } from './harness.ts'
import { startGithubStandin, type GithubStandin } from '../standins/github-api.ts'

let gh: GithubStandin | null = null
afterEach(async () => {
  await gh?.close()
  gh = null
})

const at = (minutes: number) => new Date(Date.parse('2026-07-01T00:00:00Z') + minutes * 60_000).toISOString()

/** 250 commits (3 pages), 120 deployments (2 pages), an incident issue. */
function busyRepo(name = 'acme/checkout'): RepoWorld {
  const w = new RepoWorld(name)
  for (let i = 0; i < 250; i++) {
    const sha = w.push(at(i * 10))
    if (i % 2 === 1 && i < 241) w.deploy(1000 + i, sha, 'production', [['success', at(i * 10 + 5)]])
  }
  w.incidentIssue(7, 'payments down', at(300), at(360))
  return w
}

describe('import github: rate limits, failures, conditional requests', () => {
  it('waits out secondary limits, a spent budget, a 429 and a 502, then imports everything exactly once', async () => {
    const w = busyRepo()
    gh = await githubStandinFor(w)
    gh.faults.push(
      { fault: { kind: 'secondary', retryAfter: 1 }, match: (p) => p.includes('/commits') && p.includes('page=2') },
      { fault: { kind: 'secondary', retryAfter: 1, status: 429 }, match: (p) => p.includes('/deployments?') },
      { fault: { kind: 'bad-gateway' }, match: (p) => p.includes('/pulls') },
      { fault: { kind: 'primary', resetInSeconds: 1 }, match: (p) => p.includes('/issues?') },
    )
    const imp = importer(importConfig(gh, null))
    const summary = await imp.github({ repos: [w.fullName] })
    expect(summary.status).toBe('succeeded')
    expect(gh.stats.faults).toBe(4)
    expect(summary.budget).toMatchObject({ limit: 5000, remaining: 4999 })
    // At least three limit waits (≥ 1 s, 1 s and the reset), counted — a spent budget also stops the
    // other lists' requests in flight until the reset; the 502 was retried by the retry plugin.
    expect(summary.retries).toBeGreaterThanOrEqual(3)
    expect(summary.waitedOnLimitsMs).toBeGreaterThanOrEqual(3000)
    expect(summary.recordsRead).toBe(250 + 120 + 1)
    expect(summary.newFacts).toBe(250 + 120 + 1)
    expect(tables(logged(imp.log), imp.config)).toEqual(tables(w.hooks.map(hookEnvelope), imp.config))
  })

  it('a GitHub Enterprise Server answering 0/0 (rate limiting off) does not hang: the import runs through, a 403 there is a refusal', async () => {
    const w = new RepoWorld('acme/checkout')
    w.deploy(1, w.push(at(0)), 'production', [['success', at(5)]])
    const other = new RepoWorld('acme/locked')
    other.push(at(0))
    gh = await startGithubStandin({ token: GH_TOKEN, ghesZeroLimits: true })
    gh.repos.set('acme/checkout', w.standin())
    gh.repos.set('acme/locked', other.standin())
    gh.faults.push({ fault: { kind: 'forbidden' }, match: (p) => p.startsWith('/repos/acme/locked/deployments') })
    const imp = importer(importConfig(gh, null))
    const summary = await imp.github({ repos: ['acme/checkout', 'acme/locked'] })
    expect(summary.waitedOnLimitsMs).toBe(0)
    // GET /rate_limit answers 404 there: no budget to wait for.
    expect(summary.budget).toEqual({ limit: 0, remaining: 0, resetAt: null })
    expect(summary.scopes.map((s) => [s.scope, s.status, s.problem?.reason ?? null])).toEqual([
      ['acme/checkout', 'done', null],
      ['acme/locked', 'failed', 'forbidden'],
    ])
    // acme/locked's deployments were refused; its commit (another list) was still read.
    expect(summary.recordsRead).toBe(3)
  })

  it('a re-run asks with If-None-Match and fetches only what changed', async () => {
    const w = busyRepo()
    gh = await githubStandinFor(w)
    const imp = importer(importConfig(gh, null))
    const first = await imp.github({ repos: [w.fullName] })
    const again = await imp.github({ repos: [w.fullName] })
    expect(again.newFacts).toBe(0)
    // Deployments, commits and pulls answer 304 on their first page; issues are asked only since the last update.
    expect(again.notModified).toBe(3)
    expect(gh.stats.notModified).toBe(3)
    expect(again.requests).toBeLessThan(first.requests / 10)
    // New work since: one commit and its deployment.
    const sha = w.push(at(2600))
    w.deploy(5000, sha, 'production', [['success', at(2605)]])
    gh.repos.set(w.fullName, w.standin())
    const third = await imp.github({ repos: [w.fullName] })
    expect(third.newFacts).toBe(2)
    expect(third.requests).toBeLessThan(first.requests / 10)
    expect(tables(logged(imp.log), imp.config)).toEqual(tables(w.hooks.map(hookEnvelope), imp.config))
  })

  it('ETags belong to the token that read them: another token asks unconditionally, then has its own', async () => {
    const w = busyRepo()
    gh = await startGithubStandin({ token: [GH_TOKEN, 'ghp_second_token'] })
    gh.repos.set(w.fullName.toLowerCase(), w.standin())
    const imp = importer(importConfig(gh, null))
    await imp.github({ repos: [w.fullName] })
    imp.config.github.token = 'ghp_second_token'
    const other = await imp.github({ repos: [w.fullName] })
    expect(other.notModified).toBe(0)
    expect(gh.stats.notModified).toBe(0)
    expect(other.newFacts).toBe(0) // the same records: the log has them
    const again = await imp.github({ repos: [w.fullName] })
    // All four lists now: the issues list asked since the last update is the same request again.
    expect(again.notModified).toBe(4)
  })

  it('a bad token stops at once with an error that names github.token', async () => {
    const w = new RepoWorld('acme/checkout')
    w.push(at(0))
    gh = await githubStandinFor(w)
    const config = importConfig(gh, null)
    config.github.token = 'ghp_revoked'
    const summary = await importer(config).github({ repos: ['acme/checkout', 'acme/other'] })
    expect(summary.status).toBe('failed')
    expect(summary.problem?.reason).toBe('bad_token')
    expect(summary.problem?.message).toContain('github.token')
    expect(gh.stats.paths).toEqual(['/user'])
  })

  it('a repository that does not exist is named; the others are imported', async () => {
    const a = new RepoWorld('acme/checkout')
    a.deploy(1, a.push(at(0)), 'production', [['success', at(5)]])
    const b = new RepoWorld('acme/search')
    b.push(at(0))
    gh = await githubStandinFor(a, b)
    const imp = importer(importConfig(gh, null))
    const summary = await imp.github({ repos: ['acme/checkout', 'acme/nope', 'acme/search'] })
    expect(summary.status).toBe('failed')
    expect(summary.scopes.map((s) => [s.scope, s.status, s.problem?.reason ?? null])).toEqual([
      ['acme/checkout', 'done', null],
      ['acme/nope', 'failed', 'not_found'],
      ['acme/search', 'done', null],
    ])
    expect(summary.scopes[1]!.problem!.message).toContain('acme/nope')
    expect(summary.recordsRead).toBe(3)
  })

  it('--org lists the organisation\'s repositories', async () => {
    const a = new RepoWorld('acme/checkout')
    a.push(at(0))
    const b = new RepoWorld('acme/search')
    b.push(at(0))
    b.push(at(1))
    gh = await githubStandinFor(a, b)
    gh.orgs.set('acme', ['acme/checkout', 'acme/search'])
    const summary = await importer(importConfig(gh, null)).github({ org: 'acme' })
    expect(summary.scopes.map((s) => [s.scope, s.read])).toEqual([
      ['acme/checkout', 1],
      ['acme/search', 2],
    ])
  })
})
