/**
 * The benchmark workload: a year of history over thousands of repositories,
 * built from the recorded payloads of ../shared/fixtures/webhooks (real shapes
 * and sizes: push ≈ 9 KB with several commits, merged pull_request ≈ 26 KB,
 * deployment_status ≈ 10 KB, PagerDuty incident events ≈ 1.4 KB), signed as
 * GitHub and PagerDuty sign them. Deterministic from a seed and streamed:
 * nothing holds the whole history in memory.
 */
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Envelope } from '../../contracts/envelope.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'

export const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')
export const GITHUB_SECRET = 'bench-github-secret'
export const PAGERDUTY_SECRET = 'bench-pagerduty-secret'
export const YEAR_START = Date.parse('2025-01-01T00:00:00Z')
export const YEAR_MS = 365 * 86_400_000

const fixture = (p: string): any => JSON.parse(readFileSync(resolve(FIXTURES, p), 'utf8'))
const T = {
  push: fixture('github/push.json'),
  pr: fixture('github/pull_request.closed.merged.json'),
  status: fixture('github/deployment_status.created.json'),
  pd: {
    triggered: fixture('pagerduty/incident.triggered.json'),
    acknowledged: fixture('pagerduty/incident.acknowledged.json'),
    resolved: fixture('pagerduty/incident.resolved.json'),
  } as Record<string, any>,
}

export interface Delivery {
  source: 'github' | 'pagerduty'
  path: string
  headers: Record<string, string>
  body: string
  /** GitHub event name or PagerDuty event type. */
  kind: string
  /** The delivery id the envelope id derives from. */
  deliveryId: string
}

export const repoName = (i: number) => `org-${String(i % 97).padStart(2, '0')}/repo-${String(i).padStart(5, '0')}`
export const serviceName = (i: number) => `svc-${String(i).padStart(5, '0')}`
export const pdService = (i: number) => `PSV${String(i).padStart(5, '0')}`
export const teamName = (i: number) => `team-${String(i % 60).padStart(2, '0')}`

/** The YAML configuration of `repos` services (one repository and one PagerDuty service each). */
export function servicesYaml(repos: number): string {
  const lines = ['services:']
  for (let i = 0; i < repos; i++) {
    lines.push(`  - name: ${serviceName(i)}`, `    team: ${teamName(i)}`, `    repositories: [${repoName(i)}]`, `    pagerdutyServices: [${pdService(i)}]`)
  }
  return lines.join('\n')
}

function repository(fullName: string) {
  const repo = T.push.repository
  const [owner, name] = fullName.split('/')
  return { ...repo, full_name: fullName, name, owner: { ...repo.owner, login: owner, name: owner }, default_branch: 'main', master_branch: 'main' }
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex')

export function githubDelivery(event: string, payload: unknown, deliveryId: string): Delivery {
  const body = JSON.stringify(payload)
  return {
    source: 'github',
    kind: event,
    deliveryId,
    path: '/webhooks/github',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': '4242',
      'x-hub-signature-256': `sha256=${hmac(GITHUB_SECRET, body)}`,
    },
  }
}

export function pagerdutyDelivery(payload: { event: { id: string; event_type: string } }): Delivery {
  const body = JSON.stringify(payload)
  return {
    source: 'pagerduty',
    kind: payload.event.event_type,
    deliveryId: payload.event.id,
    path: '/webhooks/pagerduty',
    body,
    headers: { 'content-type': 'application/json', 'x-webhook-id': `wh-${payload.event.id}`, 'x-pagerduty-signature': `v1=${hmac(PAGERDUTY_SECRET, body)}` },
  }
}

/** Re-signs a PagerDuty body (the load generator gives every request its own event id). */
export const signPagerDuty = (body: string) => `v1=${hmac(PAGERDUTY_SECRET, body)}`

const iso = (ms: number) => new Date(ms).toISOString()
const hex40 = (a: number, b: number) => (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0') + ((Math.imul(a, 2654435761) ^ b) >>> 0).toString(16).padStart(8, '0').repeat(3)

export function pushPayload(repo: string, before: string, after: string, commits: { id: string; timestamp: string; message: string }[]) {
  const p = T.push
  const template = p.commits[0] ?? p.head_commit
  const cs = commits.map((c) => ({ ...template, id: c.id, tree_id: c.id, timestamp: c.timestamp, message: c.message, url: `https://github.com/${repo}/commit/${c.id}` }))
  return { ...p, ref: 'refs/heads/main', before, after, created: false, deleted: false, forced: false, compare: `https://github.com/${repo}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`, commits: cs, head_commit: cs.at(-1) ?? null, repository: repository(repo) }
}

export function statusPayload(repo: string, deploymentId: number, statusId: number, state: string, environment: string, sha: string, at: string) {
  const p = T.status
  return {
    ...p,
    deployment_status: { ...p.deployment_status, id: statusId, state, environment, created_at: at, updated_at: at },
    deployment: { ...p.deployment, id: deploymentId, sha, environment, created_at: at, updated_at: at },
    repository: repository(repo),
  }
}

export function prPayload(repo: string, number: number, createdAt: string, mergedAt: string, mergeSha: string) {
  const p = T.pr
  return {
    ...p,
    action: 'closed',
    number,
    pull_request: { ...p.pull_request, number, title: `Change ${number}`, created_at: createdAt, merged_at: mergedAt, closed_at: mergedAt, merged: true, merge_commit_sha: mergeSha },
    repository: repository(repo),
  }
}

export function pdPayload(eventId: string, type: 'triggered' | 'acknowledged' | 'resolved', incidentId: string, service: string, occurredAt: string, createdAt: string) {
  const p = T.pd[type]
  const data = { ...p.event.data, id: incidentId, status: type, created_at: createdAt, service: { ...p.event.data.service, id: service, summary: `PD ${service}` } }
  return { event: { ...p.event, id: eventId, event_type: `incident.${type}`, occurred_at: occurredAt, data } }
}

/** The envelope ingest builds for a delivery (same function, so the log holds what `serve` would store). */
export function envelopeOf(d: Delivery, now: Date): Envelope {
  if (d.source === 'github') {
    return buildEnvelope(
      {
        source: 'github',
        deliveryId: d.deliveryId,
        path: '/webhooks/github/hooks/4242',
        type: `com.github.${d.kind}`,
        subject: (JSON.parse(d.body).repository?.full_name ?? 'github').toLowerCase(),
        headers: { 'x-github-event': d.kind, 'x-github-delivery': d.deliveryId, 'x-github-hook-id': '4242', 'content-type': 'application/json' },
        data: d.body,
      },
      now,
    )
  }
  const event = JSON.parse(d.body).event
  return buildEnvelope(
    {
      source: 'pagerduty',
      deliveryId: d.deliveryId,
      path: '/webhooks/pagerduty',
      type: `com.pagerduty.${event.event_type}`,
      subject: event.data?.service?.id ?? 'pagerduty',
      headers: { 'x-webhook-id': d.headers['x-webhook-id'], 'content-type': 'application/json' },
      data: d.body,
    },
    now,
  )
}

export interface WorkloadOptions {
  repos: number
  events: number
  seed?: number
  /** Prefix of delivery ids (separate runs into one log never collide). */
  prefix?: string
}

/**
 * Episodes per repository, round-robin over repositories and spread over the
 * year, so the stream is roughly in time order: a push of 1–4 commits, a
 * merged PR for 40 % of them, a production deployment (10 % preceded by a
 * failed attempt, 8 % deploy an older head = rollback), and one incident in
 * eight episodes (triggered, acknowledged, resolved 20 min – 6 h later).
 * ≈ 2.9 events per episode; stops after exactly `events` deliveries.
 */
export function* workload(o: WorkloadOptions): Generator<Delivery> {
  let s = (o.seed ?? 42) >>> 0 || 1
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  const prefix = o.prefix ?? 'b'
  const episodes = Math.max(1, Math.ceil(o.events / (o.repos * 2.9)))
  const step = YEAR_MS / episodes
  const heads: string[][] = Array.from({ length: o.repos }, () => ['0'.repeat(40)])
  let emitted = 0
  let seq = 0
  const id = () => `${prefix}-${(seq++).toString(36)}`
  for (let e = 0; e < episodes * 4; e++) {
    for (let r = 0; r < o.repos; r++) {
      const repo = repoName(r)
      const t0 = YEAR_START + ((e % episodes) + rnd() * 0.8) * step
      const hist = heads[r]!
      const before = hist[hist.length - 1]!
      const after = hex40(r * 100_003 + e, Math.floor(rnd() * 2 ** 31))
      const n = 1 + Math.floor(rnd() * 4)
      const commits = Array.from({ length: n }, (_, k) => ({ id: hex40(r * 7 + e * 13 + k, Math.floor(rnd() * 2 ** 31)), timestamp: iso(t0 - (n - k) * 1_800_000 - rnd() * 86_400_000), message: `feat: change ${e}.${k} of ${repo}` }))
      const out: Delivery[] = [githubDelivery('push', pushPayload(repo, before, after, commits), id())]
      hist.push(after)
      if (hist.length > 8) hist.shift()
      if (rnd() < 0.4) out.push(githubDelivery('pull_request', prPayload(repo, e + 1, iso(t0 - 2 * 86_400_000), iso(t0 - 600_000), commits[n - 1]!.id), id()))
      const depId = r * 100_000 + e
      const deployAt = t0 + 1_800_000 + rnd() * 7_200_000
      const sha = rnd() < 0.08 && hist.length > 3 ? hist[hist.length - 3]! : after
      if (rnd() < 0.1) out.push(githubDelivery('deployment_status', statusPayload(repo, depId, depId * 4 + 1, 'failure', 'production', sha, iso(deployAt - 300_000)), id()))
      out.push(githubDelivery('deployment_status', statusPayload(repo, depId, depId * 4 + 2, 'success', 'production', sha, iso(deployAt)), id()))
      if (rnd() < 0.125) {
        const inc = `INC${r}x${e}`
        const start = deployAt + rnd() * 12 * 3_600_000
        const svc = pdService(r)
        out.push(pagerdutyDelivery(pdPayload(id(), 'triggered', inc, svc, iso(start + 500), iso(start))))
        out.push(pagerdutyDelivery(pdPayload(id(), 'acknowledged', inc, svc, iso(start + 300_000), iso(start))))
        out.push(pagerdutyDelivery(pdPayload(id(), 'resolved', inc, svc, iso(start + 1_200_000 + rnd() * 6 * 3_600_000), iso(start))))
      }
      for (const d of out) {
        yield d
        if (++emitted >= o.events) return
      }
    }
  }
}
