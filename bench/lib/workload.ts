/**
 * The benchmark workload: a year of history over thousands of repositories, from
 * the one history generator (generator/history.ts) that also makes the tests' and
 * `doraflow demo`'s data: recorded payload shapes and sizes (push ≈ 9 KB with
 * several commits, merged pull_request ≈ 26 KB, deployment_status ≈ 10 KB,
 * PagerDuty incident events ≈ 1.4 KB), signed as GitHub and PagerDuty sign them.
 * Deterministic from a seed and streamed: nothing holds the whole history in memory.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { history, type Profile } from '../../generator/history.ts'
import { deploymentStatusPayload, githubDelivery as signedGithubDelivery, signPagerDutyBody, type SourcedDelivery } from '../../generator/payloads.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'

export const GITHUB_SECRET = 'bench-github-secret'
export const PAGERDUTY_SECRET = 'bench-pagerduty-secret'
export const YEAR_START = Date.parse('2025-01-01T00:00:00Z')
export const YEAR_MS = 365 * 86_400_000

export type Delivery = SourcedDelivery

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

export const githubDelivery = (event: string, payload: unknown, deliveryId: string): Delivery => signedGithubDelivery(event, payload, GITHUB_SECRET, deliveryId)

/** Re-signs a PagerDuty body (the load generator gives every request its own event id). */
export const signPagerDuty = (body: string) => `v1=${signPagerDutyBody(PAGERDUTY_SECRET, body)}`

export const statusPayload = (repo: string, deploymentId: number, statusId: number, state: string, environment: string, sha: string, at: string) =>
  deploymentStatusPayload({ repo, deploymentId, statusId, state, environment, sha, at })

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
 * The same team everywhere, around the clock: a push of 1–4 commits, a merged PR
 * for 40 % of them, a production deployment (10 % preceded by a failed attempt,
 * 8 % deploy an older head = rollback), and one incident in eight episodes
 * (triggered, acknowledged, resolved 20 min – 6 h later). ≈ 2.9 events per
 * episode; stops after exactly `events` deliveries (the year repeats if needed).
 */
const BENCH_PROFILE: Omit<Profile, 'episodes'> = { maxCommits: 4, commitAgeHours: 24, prShare: 0.4, failedAttemptShare: 0.1, rollbackShare: 0.08, incidentShare: 0.125, issueShare: 0, maxRestoreHours: 6, workdays: false }

export function* workload(o: WorkloadOptions): Generator<Delivery> {
  const episodes = Math.max(1, Math.ceil(o.events / (o.repos * 2.9)))
  const repos = Array.from({ length: o.repos }, (_, i) => ({ repo: repoName(i), targets: [{ environment: 'production', pagerdutyService: pdService(i), dir: null }], profile: { ...BENCH_PROFILE, episodes } }))
  for (const { at: _at, ...d } of history({ repos, start: YEAR_START, span: YEAR_MS, seed: o.seed ?? 42, githubSecret: GITHUB_SECRET, pagerdutySecret: PAGERDUTY_SECRET, prefix: o.prefix ?? 'b', maxDeliveries: o.events, rounds: 4 })) {
    yield d
  }
}
