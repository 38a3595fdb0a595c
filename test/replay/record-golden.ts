/**
 * Records the golden replay fixture (run once, by hand: `npx tsx test/replay/record-golden.ts`, from the commit
 * before the sources/ restructuring; later recordings need the same helpers):
 * an event log of envelopes of every source — the end-to-end scenario, a seeded
 * history of two repositories, every shared real payload, our JSON, CDEvents,
 * annotations and bodies that must be dead-lettered — and the tables a replay of
 * it produces. test/replay/golden.test.ts replays the log with today's code and
 * compares. Re-record only when a change of the tables is intended, and say why
 * in the commit.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Envelope } from '../../contracts/envelope.ts'
import { annotationEnvelope } from '../../sources/annotation/envelope.ts'
import { cdeventsEnvelope, genericEnvelope, githubEnvelope, pagerdutyEnvelope } from '../helpers/envelope.ts'
import { deploymentStatusPayload, FIXTURES, issuePayload, pagerdutyPayload, pullRequestMergedPayload, pushPayload } from '../helpers/payloads.ts'
import { scenarioDeliveries } from '../helpers/scenario.ts'
import { GOLDEN_DIR, replayGolden } from './golden.ts'

function fromDelivery(d: { path: string; headers: Record<string, string>; body: string }): Envelope {
  if (d.path === '/webhooks/github') return githubEnvelope(d.headers['x-github-event']!, d.body, d.headers['x-github-delivery'])
  return pagerdutyEnvelope(d.body)
}

/** A seeded history: linear main with pushes, PRs, deployments to several environments, rollbacks, failures, incidents. */
function seededHistory(seed: number): Envelope[] {
  let s = seed
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const out: Envelope[] = []
  const iso = (ms: number) => new Date(ms).toISOString()
  const hex = (n: number) => n.toString(16).padStart(8, '0').repeat(5)
  let statusId = 5000
  for (const repo of ['acme/api', 'acme/web']) {
    let head = '0'.repeat(40)
    const heads: string[] = []
    let t = Date.parse('2026-06-01T00:00:00Z')
    for (let i = 0; i < 25; i++) {
      t += Math.floor(rnd() * 10 * 3600_000)
      const after = hex(Math.floor(rnd() * 2 ** 31))
      const commits = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => ({ id: hex(Math.floor(rnd() * 2 ** 31)).slice(0, 39) + k, timestamp: iso(t - k * 900_000) }))
      commits[commits.length - 1]!.id = after
      out.push(githubEnvelope('push', pushPayload({ repo, before: head, after, commits })))
      if (rnd() < 0.4) out.push(githubEnvelope('pull_request', pullRequestMergedPayload({ repo, number: 100 + i, createdAt: iso(t - 2 * 86400_000), mergedAt: iso(t - 60_000), mergeCommitSha: commits[0]!.id })))
      head = after
      heads.push(after)
      if (rnd() < 0.7) {
        const environment = repo === 'acme/api' ? pick(['production', 'production', 'staging', 'prod']) : pick(['production', 'live'])
        const sha = rnd() < 0.15 && heads.length > 3 ? heads[heads.length - 3]! : head
        const at = t + Math.floor(rnd() * 3600_000)
        const deploymentId = 9000 + i + (repo === 'acme/web' ? 100 : 0)
        if (rnd() < 0.25) out.push(githubEnvelope('deployment_status', deploymentStatusPayload({ repo, deploymentId, statusId: statusId++, state: pick(['failure', 'error']), environment, sha, at: iso(at - 300_000) })))
        out.push(githubEnvelope('deployment_status', deploymentStatusPayload({ repo, deploymentId, statusId: statusId++, state: 'success', environment, sha, at: iso(at) })))
        if (rnd() < 0.2) {
          const number = 500 + i
          const body = `broken since ${sha.slice(0, 10)}`
          out.push(githubEnvelope('issues', issuePayload({ repo, action: 'opened', number, labels: ['incident'], body, createdAt: iso(at + 1800_000), closedAt: null, updatedAt: iso(at + 1800_000) })))
          out.push(githubEnvelope('issues', issuePayload({ repo, action: 'closed', number, labels: ['incident'], body, createdAt: iso(at + 1800_000), closedAt: iso(at + 7200_000), updatedAt: iso(at + 7200_000) })))
        }
        if (rnd() < 0.25) {
          const incidentId = `Q${repo.length}${i}`
          const service = repo === 'acme/api' ? 'PAPI' : 'PWEB'
          out.push(pagerdutyEnvelope(pagerdutyPayload({ eventId: `${incidentId}-t`, type: 'incident.triggered', incidentId, service, occurredAt: iso(at + 3600_000), createdAt: iso(at + 3590_000), urgency: pick(['high', 'low']) })))
          if (rnd() < 0.7) out.push(pagerdutyEnvelope(pagerdutyPayload({ eventId: `${incidentId}-a`, type: 'incident.acknowledged', incidentId, service, occurredAt: iso(at + 3700_000) })))
          out.push(pagerdutyEnvelope(pagerdutyPayload({ eventId: `${incidentId}-r`, type: 'incident.resolved', incidentId, service, occurredAt: iso(at + 9000_000) })))
        }
      }
    }
  }
  return out
}

function sharedFixtures(): Envelope[] {
  const out: Envelope[] = []
  const files = (dir: string) => readdirSync(path.join(FIXTURES, dir)).filter((f) => f.endsWith('.json')).sort()
  for (const f of files('github')) out.push(githubEnvelope(f.split('.')[0]!, readFileSync(path.join(FIXTURES, 'github', f), 'utf8'), `fixture-${f}`))
  for (const f of files('pagerduty')) out.push(pagerdutyEnvelope(readFileSync(path.join(FIXTURES, 'pagerduty', f), 'utf8')))
  for (const f of files('cdevents')) out.push(cdeventsEnvelope(readFileSync(path.join(FIXTURES, 'cdevents', f), 'utf8')))
  return out
}

function ourJson(): Envelope[] {
  const sha = '0123456789abcdef0123456789abcdef01234567'
  return [
    genericEnvelope({ kind: 'deployment', id: 'dep-1', service: 'billing', team: 'payments', environment: 'production', sha, deployedAt: '2026-07-01T12:00:00.123Z' }),
    genericEnvelope({ kind: 'deployment', id: 'dep-2', service: 'billing', environment: 'production', sha: 'fedcba9876543210fedcba9876543210fedcba98', deployedAt: '2026-07-02T12:00:00Z', status: 'failure' }),
    genericEnvelope({ kind: 'deployment', id: 'dep-3', service: 'billing', environment: 'production', artifact: 'billing:1.0.1', deployedAt: '2026-07-02T13:00:00Z', rollback: true }),
    genericEnvelope({ kind: 'deployment', id: 'dep-4', service: 'billing', environment: 'staging', sha, deployedAt: '2026-07-02T14:00:00Z' }),
    genericEnvelope({ kind: 'incident', id: 'inc-1', service: 'billing', status: 'detected', at: '2026-07-01T13:00:00Z', sha, title: 'down', urgency: 'high' }),
    genericEnvelope({ kind: 'incident', id: 'inc-1', service: 'billing', status: 'acknowledged', at: '2026-07-01T13:10:00Z' }),
    genericEnvelope({ kind: 'incident', id: 'inc-1', service: 'billing', status: 'resolved', at: '2026-07-01T14:00:00Z' }),
    genericEnvelope({ kind: 'incident', id: 'inc-2', service: 'billing', status: 'detected', at: '2026-07-03T08:00:00+02:00' }),
    // Dead letters: the reasons are part of the tables.
    genericEnvelope('{"kind":'),
    genericEnvelope({ kind: 'deployment', id: 'bad-1', service: 'billing', deployedAt: 'yesterday' }),
    githubEnvelope('push', { ref: 'refs/heads/main', after: sha, commits: [] }, 'no-repository'),
    pagerdutyEnvelope({ event: { id: 'PDBAD', event_type: 'incident.triggered', occurred_at: 'soon', data: { id: 'X', service: { id: 'PAPI' } } } }),
    annotationEnvelope({ action: 'added', id: 'note-1', at: '2026-07-01T09:00:00.000Z', endAt: null, text: 'freeze', tags: ['release'], service: 'checkout', team: null }),
    annotationEnvelope({ action: 'added', id: 'note-2', at: '2026-07-02T09:00:00.000Z', endAt: '2026-07-02T10:00:00.000Z', text: 'game day', tags: [], service: null, team: 'payments' }),
    annotationEnvelope({ action: 'removed', id: 'note-2', at: '2026-07-02T11:00:00.000Z' }),
  ]
}

const envelopes = [...scenarioDeliveries().map(fromDelivery), ...seededHistory(7), ...sharedFixtures(), ...ourJson()]
writeFileSync(path.join(GOLDEN_DIR, 'log.jsonl.gz'), gzipSync(envelopes.map((e) => JSON.stringify(e)).join('\n') + '\n', { level: 9 }))
const tables = await replayGolden(mkdtempSync(path.join(tmpdir(), 'doraflow-golden-')))
writeFileSync(path.join(GOLDEN_DIR, 'tables.json'), JSON.stringify(tables, null, 1) + '\n')
console.log(Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length])))
