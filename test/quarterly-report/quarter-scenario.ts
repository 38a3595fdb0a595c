import { DateTime } from 'luxon'
import type { DomainEvent, IncidentTransitioned } from '../../contracts/events.ts'
import { commit, extDeploy, issue, pd, pr, push, status } from '../project/builders.ts'
import { lcg } from '../../generator/rng.ts'

/**
 * Two quarters (2026-Q2 and 2026-Q3) of a plausible engineering org, from a
 * seed: checkout (payments, Berlin), api-eu / api-us (core, one repository
 * split by environment), ledger (payments, generic deployments). Pushes of 1–8
 * commits, deployments of recent heads, rollbacks, failed attempts, PagerDuty
 * incidents whose odds grow with batch size and on Fridays (so the release-
 * practice findings have something to find), with acks, escalations,
 * reassignments and resolutions; Q3 is a little better than Q2.
 */
export const QUARTER_CONFIG = {
  metrics: { timezone: 'UTC' },
  services: [
    { name: 'checkout', team: 'payments', timezone: 'Europe/Berlin', repositories: ['acme/checkout'], pagerdutyServices: ['PCHECK'] },
    { name: 'ledger', team: 'payments', timezone: 'Europe/Berlin' },
    { name: 'api-eu', team: 'core', timezone: 'Europe/Berlin', repositories: ['acme/api'], environments: ['prod-eu'], pagerdutyServices: ['PAPIEU'] },
    { name: 'api-us', team: 'core', timezone: 'America/New_York', repositories: ['acme/api'], environments: ['prod-us'], pagerdutyServices: ['PAPIUS'] },
  ],
}

export function quarterEvents(seed = 7): DomainEvent[] {
  const rnd = lcg(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const iso = (ms: number) => new Date(ms).toISOString()
  const hex = () => Array.from({ length: 5 }, () => Math.floor(rnd() * 2 ** 32).toString(16).padStart(8, '0')).join('')
  const events: DomainEvent[] = []
  const start = Date.parse('2026-04-01T06:00:00Z')
  const end = Date.parse('2026-09-30T18:00:00Z')
  const people = ['Ana', 'Bo', 'Chen', 'Dana', 'Eli']
  let incidentNo = 0
  const agent = <T extends IncidentTransitioned>(e: T, who: string): T => ({ ...e, agent: who })

  const repos = [
    { repo: 'acme/checkout', envs: ['production'], pdFor: { production: 'PCHECK' } as Record<string, string>, gap: 14 },
    { repo: 'acme/api', envs: ['prod-eu', 'prod-us'], pdFor: { 'prod-eu': 'PAPIEU', 'prod-us': 'PAPIUS' } as Record<string, string>, gap: 20 },
  ]
  for (const { repo, envs, pdFor, gap } of repos) {
    let head = '0'.repeat(40)
    const deployedBy = new Map<string, string[]>() // env → shas deployed, in order
    let t = start
    let i = 0
    let prNo = 1
    while (t < end) {
      i++
      // Working hours mostly; Q3 deploys a little more often.
      t += Math.floor((0.3 + rnd()) * gap * (t > Date.parse('2026-07-01') ? 0.8 : 1) * 3600_000)
      const local = DateTime.fromMillis(t, { zone: 'Europe/Berlin' })
      if (local.weekday >= 6 && rnd() < 0.85) continue
      const n = 1 + Math.floor(rnd() * rnd() * 8)
      const spread = (0.2 + rnd() * rnd() * 5) * 86400_000
      const commits = Array.from({ length: n }, (_, k) => commit(hex(), iso(t - spread * ((n - k) / n)), pick(['Fix rounding in totals', 'Add retry to payment client', 'Bump dependencies', 'Refactor cart service', 'Speed up checkout query', 'Feature flag for new flow', 'Log correlation ids', 'Cache exchange rates\n\nCo-authored-by: Claude <noreply@anthropic.com>'])))
      const after = hex()
      events.push(push({ repo, before: head, after, commits, at: iso(t) }))
      if (rnd() < 0.5) events.push(pr({ repo, number: prNo++, createdAt: iso(t - spread - 86400_000 * rnd()), mergedAt: iso(t - 60_000), mergeSha: commits[n - 1]!.id }))
      head = after
      for (const env of envs) {
        if (rnd() < 0.25) continue
        const at = t + Math.floor((0.5 + rnd() * 3) * 3600_000)
        const id = 1000 * (envs.indexOf(env) + 1) + i
        if (rnd() < 0.08) events.push(status({ repo, id: id + 500_000, state: pick(['failure', 'error']), env, sha: head, at: iso(at - 600_000), statusId: `${repo}-f${env}${i}` }))
        events.push(status({ repo, id, env, sha: head, at: iso(at), statusId: `${repo}-s${env}${i}` }))
        const list = deployedBy.get(env) ?? []
        list.push(head)
        deployedBy.set(env, list)
        // Riskier: big batches, Fridays (local), and Q2 more than Q3.
        const friday = DateTime.fromMillis(at, { zone: 'Europe/Berlin' }).weekday === 5
        const risk = 0.06 + 0.035 * n + (friday ? 0.25 : 0) + (at < Date.parse('2026-07-01') ? 0.06 : 0)
        if (rnd() < risk) {
          const pdService = pdFor[env]!
          const qid = `Q${pdService}${++incidentNo}`
          const started = at + Math.floor((0.1 + rnd() * 6) * 3600_000)
          const who = pick(people)
          const title = rnd() < 0.35 ? `Errors after deploy of ${head.slice(0, 8)}` : pick(['Checkout latency p99 > 2s', 'Elevated 5xx on /pay', 'Queue backlog growing', 'Timeouts calling ledger'])
          const urgency = rnd() < 0.7 ? 'high' : 'low'
          const priority = pick(['P1', 'P2', 'P2', 'P3'])
          events.push(agent(pd({ id: qid, service: pdService, serviceName: pdService, transition: 'triggered', at: iso(started + 2000), createdAt: iso(started), title, urgency, priority }), 'Datadog'))
          const ack = started + Math.floor((1 + rnd() * rnd() * 40) * 60_000)
          if (rnd() < 0.3) events.push(agent(pd({ id: qid, service: pdService, serviceName: pdService, transition: 'escalated', at: iso(started + 15 * 60_000) }), 'PagerDuty'))
          if (rnd() < 0.92) events.push(agent(pd({ id: qid, service: pdService, serviceName: pdService, transition: 'acknowledged', at: iso(ack) }), who))
          if (rnd() < 0.2) events.push(agent(pd({ id: qid, service: pdService, serviceName: pdService, transition: 'reassigned', at: iso(ack + 10 * 60_000) }), who))
          let resolved = ack + Math.floor((10 + rnd() * rnd() * 600) * 60_000)
          // Sometimes the fix is a rollback to the sha deployed before.
          const prev = list[list.length - 2]
          if (prev && prev !== head && rnd() < 0.35) {
            const rb = ack + Math.floor((5 + rnd() * 40) * 60_000)
            events.push(status({ repo, id: id + 900_000, env, sha: prev, at: iso(rb), statusId: `${repo}-rb${env}${i}` }))
            list.push(prev)
            resolved = rb + Math.floor((5 + rnd() * 20) * 60_000)
          }
          if (rnd() < 0.95 || started < end - 30 * 86400_000) events.push(agent(pd({ id: qid, service: pdService, serviceName: pdService, transition: 'resolved', at: iso(resolved) }), who))
        }
      }
      if (rnd() < 0.015) {
        const created = iso(t + 3600_000)
        events.push(issue({ repo, number: 500 + i, action: 'opened', labels: ['incident'], createdAt: created, updatedAt: created, body: `Customers report failures since ${head.slice(0, 9)}` }))
        events.push(issue({ repo, number: 500 + i, action: 'closed', labels: ['incident'], createdAt: created, closedAt: iso(t + 3600_000 * (3 + rnd() * 30)), updatedAt: iso(t + 3600_000 * 40) }))
      }
      if (repo === 'acme/checkout' && rnd() < 0.3) events.push(extDeploy({ id: `ledger-${i}`, service: 'ledger', sha: head, at: iso(t + 7200_000), rollback: rnd() < 0.05 }))
    }
  }
  return events
}
