import type { DomainEvent } from '../../contracts/events.ts'
import { commit, extDeploy, genericIncident, issue, pd, pr, push, status } from './builders.ts'
import { lcg } from '../../generator/rng.ts'

/**
 * A realistic event set from a seed: two repositories (one shared by two
 * services split by environment), a linear main history with pushes of 1–3
 * commits, deployments of recent heads (some redeploys, some rollbacks),
 * failed attempts, PagerDuty incidents (ack, resolve, reopen), labelled issues,
 * generic deployments and incidents.
 */
export function realisticEvents(seed: number): DomainEvent[] {
  const rnd = lcg(seed)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const events: DomainEvent[] = []
  const base = Date.parse('2026-07-01T00:00:00Z')
  const iso = (ms: number) => new Date(ms).toISOString()
  const hex = (n: number) => n.toString(16).padStart(8, '0').repeat(5)

  for (const repo of ['acme/checkout', 'acme/api']) {
    let head = '0'.repeat(40)
    const heads: string[] = []
    let t = base
    let c = 0
    for (let i = 0; i < 12; i++) {
      t += Math.floor(rnd() * 8 * 3600_000)
      const after = hex(Math.floor(rnd() * 2 ** 31))
      const commits = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => commit(`${repo}-c${c++}`.replace(/[^a-z0-9]/g, '') + k, iso(t - k * 600_000)))
      events.push(push({ repo, before: head, after, commits, at: iso(t) }))
      if (rnd() < 0.2) events.push(pr({ repo, number: i + 1, createdAt: iso(t - 86400_000), mergedAt: iso(t - 60_000), mergeSha: commits[0]!.id }))
      head = after
      heads.push(after)
      if (rnd() < 0.6) {
        const env = repo === 'acme/api' ? pick(['prod-eu', 'prod-us', 'staging']) : pick(['production', 'production', 'staging'])
        const sha = rnd() < 0.15 && heads.length > 2 ? heads[heads.length - 3]! : head
        const id = 1000 + i
        const at = iso(t + Math.floor(rnd() * 3600_000))
        if (rnd() < 0.2) events.push(status({ repo, id, state: pick(['failure', 'error']), env, sha, at, statusId: `${repo}-f${i}` }))
        events.push(status({ repo, id, state: 'success', env, sha, at, statusId: `${repo}-s${i}` }))
        if (rnd() < 0.3) events.push(status({ repo, id, state: 'success', env, sha, at: iso(Date.parse(at) + 60_000), statusId: `${repo}-s2${i}` }))
      }
      if (rnd() < 0.35) {
        const id = `Q${repo.length}${i}`
        const start = t + Math.floor(rnd() * 20 * 3600_000)
        const text = rnd() < 0.3 ? `broken by ${head.slice(0, 9)}` : 'latency'
        events.push(pd({ id, service: 'PCHECK', transition: 'triggered', at: iso(start + 500), createdAt: rnd() < 0.5 ? iso(start) : null, title: text, urgency: 'high' }))
        if (rnd() < 0.8) events.push(pd({ id, service: 'PCHECK', transition: 'acknowledged', at: iso(start + 120_000) }))
        if (rnd() < 0.7) events.push(pd({ id, service: 'PCHECK', transition: 'resolved', at: iso(start + 3_600_000 + Math.floor(rnd() * 1000)) }))
        if (rnd() < 0.1) events.push(pd({ id, service: 'PCHECK', transition: 'reopened', at: iso(start + 7_200_000) }))
      }
      if (rnd() < 0.15) {
        const created = iso(t + 1000)
        events.push(issue({ repo, number: 100 + i, action: 'opened', labels: rnd() < 0.7 ? ['incident'] : ['bug'], createdAt: created, updatedAt: created, body: `after ${head.slice(0, 7)}` }))
        if (rnd() < 0.6) events.push(issue({ repo, number: 100 + i, action: 'closed', labels: ['incident'], createdAt: created, closedAt: iso(t + 7_200_000), updatedAt: iso(t + 7_200_000) }))
      }
      if (rnd() < 0.2) events.push(extDeploy({ id: `g${repo.length}${i}`, service: 'ledger', sha: head, at: iso(t + 5000), rollback: rnd() < 0.2 }))
      if (rnd() < 0.1) {
        events.push(genericIncident({ id: `gi${i}`, service: 'ledger', transition: 'triggered', at: iso(t + 9000), links: [head] }))
        events.push(genericIncident({ id: `gi${i}`, service: 'ledger', transition: 'resolved', at: iso(t + 99000) }))
      }
    }
  }
  return events
}

export const SCENARIO_CONFIG = {
  services: [
    { name: 'checkout', team: 'payments', repositories: ['acme/checkout'], pagerdutyServices: ['PCHECK'] },
    { name: 'api-eu', team: 'core', repositories: ['acme/api'], environments: ['prod-eu'] },
    { name: 'api-us', team: 'core', repositories: ['acme/api'], environments: ['prod-us'] },
  ],
}
