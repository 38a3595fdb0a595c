/**
 * One fact, however it arrives (METRICS.md §10), as a property: a realistic
 * fortnight (linear pushes, merges, squashes, deployments with failures and
 * rollbacks, incident issues, PagerDuty incidents) is split between webhooks
 * and imports at random — webhooks up to some day, an import from an earlier
 * day (an overlap), some webhooks in the overlap lost, some delivered twice, a
 * second overlapping import, everything in any order — and the tables always
 * equal those of the whole history sent as webhooks. The imports are real:
 * octokit and fetch against the stand-ins over loopback.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Envelope } from '../../domain/envelope.ts'
import type { GithubStandin } from '../standins/github-api.ts'
import type { PagerdutyStandin } from '../standins/pagerduty-api.ts'
import { githubStandinFor, importConfig, importer, logged, pagerdutyStandinFor, tables } from './harness.ts'
import { hookEnvelope, PagerdutyWorld, RepoWorld, type WebhookFact } from './world.ts'

const DAYS = 14
const day = (d: number) => Date.parse('2026-07-01T00:00:00Z') + d * 86_400_000
const at = (d: number, hour: number, minute = 0) => new Date(day(d) + hour * 3600_000 + minute * 60_000).toISOString()

/** A small deterministic generator, so fast-check's seed decides the whole history. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function fortnight(seed: number): { repo: RepoWorld; pd: PagerdutyWorld } {
  const r = rng(seed)
  const pick = (n: number) => Math.floor(r() * n)
  const repo = new RepoWorld('acme/checkout')
  const pd = new PagerdutyWorld()
  let deployment = 100
  let pr = 1
  let issue = 1
  const deployed: string[] = []
  for (let d = 0; d < DAYS; d++) {
    // Work happens 08:00–18:00; the splits fall at midnight.
    let minute = 8 * 60 + pick(30)
    const next = () => (minute += 10 + pick(50))
    const time = () => at(d, 0, minute)
    for (let k = pick(4); k > 0; k--) {
      const kind = pick(3)
      if (kind === 0) repo.push(...Array.from({ length: 1 + pick(3) }, () => (next(), time())))
      else if (kind === 1) {
        const branch = Array.from({ length: 1 + pick(3) }, () => (next(), time()))
        next()
        repo.merge(time(), branch, { number: pr++, createdAt: at(d, 7) })
      } else {
        next()
        repo.squash(time(), { number: pr++, createdAt: at(d, 7, 30) })
      }
      if (r() < 0.6 && repo.head !== '0'.repeat(40)) {
        next()
        const start = time()
        next()
        const failedFirst = r() < 0.2
        // Now and then a rollback: the previous deployment's sha again.
        const sha = r() < 0.15 && deployed.length > 1 ? deployed.at(-2)! : repo.head
        repo.deploy(++deployment, sha, r() < 0.1 ? 'staging' : 'production', [['in_progress', start], [failedFirst ? 'failure' : 'success', time()]])
        deployed.push(sha)
        if (r() < 0.25) {
          next()
          const opened = time()
          next()
          repo.incidentIssue(issue++, r() < 0.5 ? `broken since ${sha.slice(0, 8)}` : 'checkout is slow', opened, r() < 0.8 ? time() : null)
        }
      }
    }
    if (r() < 0.3) {
      next()
      const t0 = time()
      next()
      const t1 = time()
      next()
      pd.incident({ id: `Q${d}`, service: 'PCHECK', title: `page ${d}`, entries: [['trigger_log_entry', t0], ['acknowledge_log_entry', t1], ['resolve_log_entry', time()]] })
    }
  }
  return { repo, pd }
}

let gh: GithubStandin
let pdServer: PagerdutyStandin
beforeAll(async () => {
  gh = await githubStandinFor()
  pdServer = await pagerdutyStandinFor(new PagerdutyWorld())
})
afterAll(async () => {
  await gh.close()
  await pdServer.close()
})

async function imported(repo: RepoWorld, pd: PagerdutyWorld, sinceDay: number): Promise<Envelope[]> {
  gh.repos.set('acme/checkout', repo.standin())
  pdServer.incidents.splice(0, pdServer.incidents.length, ...pd.incidents)
  const imp = importer(importConfig(gh, pdServer))
  const since = new Date(day(sinceDay)).toISOString()
  const g = await imp.github({ repos: ['acme/checkout'], since })
  const p = await imp.pagerduty({ since, until: new Date(day(DAYS + 1)).toISOString() })
  if (g.status !== 'succeeded' || p.status !== 'succeeded') throw new Error(`import failed: ${JSON.stringify([g.problem, g.scopes, p.problem])}`)
  return logged(imp.log)
}

describe('any split between webhooks and import gives the same tables (METRICS.md §10)', () => {
  it('the fortnight is realistic: deployments with changes, merges, failures, incidents of both kinds', () => {
    const { repo, pd } = fortnight(7)
    const t = tables([...repo.hooks, ...pd.hooks].map(hookEnvelope), importConfig(null, null))
    expect(t.deployments.length).toBeGreaterThan(5)
    expect(t.changes.length).toBeGreaterThan(10)
    expect(t.failedAttempts.length + t.incidents.length).toBeGreaterThan(1)
    expect(repo.commits.some((c) => c.parents.length === 2)).toBe(true)
  })

  it('webhooks until day W, imports from day S ≤ W (and an earlier one), losses and redeliveries in the overlap, any order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 0, max: DAYS }),
        fc.integer({ min: 0, max: DAYS }),
        fc.option(fc.integer({ min: 0, max: DAYS }), { nil: undefined }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer(),
        async (seed, a, b, second, lost, dupes, orderSeed) => {
          const [sinceDay, webhooksUntil] = a <= b ? [a, b] : [b, a]
          const { repo, pd } = fortnight(seed)
          const config = importConfig(null, null)
          const all: WebhookFact[] = [...repo.hooks, ...pd.hooks]
          const expected = tables(all.map(hookEnvelope), config)

          // Webhooks before the import's range all arrive; in the overlap some are lost.
          const sent = all.filter((h, i) => {
            const t = Date.parse(h.at)
            if (t >= day(webhooksUntil)) return false
            return t < day(sinceDay) || !lost[i % lost.length]
          })
          const hooks = [...sent, ...dupes.map((d) => sent[d % Math.max(1, sent.length)]!).filter(Boolean)].map(hookEnvelope)
          const fromImport = await imported(repo, pd, sinceDay)
          const again = second !== undefined ? await imported(repo, pd, Math.min(second, sinceDay)) : []
          const r = rng(orderSeed)
          const everything = [...hooks, ...fromImport, ...again].map((e) => ({ e, k: r() })).sort((x, y) => x.k - y.k).map((x) => x.e)
          expect(tables(everything, config)).toEqual(expected)
        },
      ),
      { numRuns: 25 },
    )
  }, 120_000)
})
