/**
 * A realistic fortnight of one repository and its PagerDuty service, decided by
 * a seed: linear pushes, merges and squashes with their PRs, deployments (some
 * failing first, some rollbacks, some to staging), incident issues naming a sha
 * or not, pages. Work happens 08:00–18:00, so splits at midnight cut no push,
 * deployment or incident in two.
 */
import { PagerdutyWorld, RepoWorld } from './world.ts'

export const DAYS = 14
export const day = (d: number) => Date.parse('2026-07-01T00:00:00Z') + d * 86_400_000
const at = (d: number, hour: number, minute = 0) => new Date(day(d) + hour * 3600_000 + minute * 60_000).toISOString()

/** A small deterministic generator, so fast-check's seed decides the whole history. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function fortnight(seed: number): { repo: RepoWorld; pd: PagerdutyWorld } {
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

