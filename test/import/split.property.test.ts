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
import type { Envelope } from '../../contracts/envelope.ts'
import type { GithubStandin } from '../standins/github-api.ts'
import type { PagerdutyStandin } from '../standins/pagerduty-api.ts'
import { githubStandinFor, importConfig, importer, logged, pagerdutyStandinFor, tables } from './harness.ts'
import { hookEnvelope, PagerdutyWorld, type RepoWorld, type WebhookFact } from './world.ts'
import { day, DAYS, fortnight, rng } from './fortnight.ts'

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
      { numRuns: Number(process.env.IMPORT_SPLIT_RUNS ?? 25), ...(process.env.IMPORT_SPLIT_SEED ? { seed: Number(process.env.IMPORT_SPLIT_SEED) } : {}) },
    )
  }, 120_000)
})
