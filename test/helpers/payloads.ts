import { expect } from 'vitest'
import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * Real-shaped webhook payloads: the recorded fixtures of ../shared with the
 * fields a scenario needs overridden, signed as the senders sign them.
 */
export const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/webhooks')
const fixture = (p: string): any => JSON.parse(readFileSync(resolve(FIXTURES, p), 'utf8'))

export interface Delivery {
  path: string
  headers: Record<string, string>
  body: string
}

function repository(fullName: string) {
  const repo = fixture('github/push.json').repository
  const [owner, name] = fullName.split('/')
  return { ...repo, full_name: fullName, name, owner: { ...repo.owner, login: owner, name: owner }, default_branch: 'main', master_branch: 'main' }
}

export function githubDelivery(event: string, payload: unknown, secret: string, deliveryId: string = randomUUID()): Delivery {
  const body = JSON.stringify(payload)
  return {
    path: '/webhooks/github',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': '4242',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  }
}

export function pushPayload(o: { repo: string; before: string; after: string; commits: { id: string; timestamp: string; message?: string; added?: string[]; removed?: string[]; modified?: string[] }[] }) {
  const p = fixture('github/push.json')
  const template = p.commits[0] ?? p.head_commit
  const commits = o.commits.map(({ id, timestamp, message, ...files }) => ({ ...template, id, tree_id: id, timestamp, message: message ?? `change ${id.slice(0, 7)}`, url: `https://github.com/${o.repo}/commit/${id}`, ...files }))
  return { ...p, ref: 'refs/heads/main', before: o.before, after: o.after, created: false, deleted: false, forced: false, commits, head_commit: commits.at(-1) ?? null, repository: repository(o.repo) }
}

export function deploymentStatusPayload(o: { repo: string; deploymentId: number; statusId: number; state: string; environment: string; sha: string; at: string }) {
  const p = fixture('github/deployment_status.created.json')
  return {
    ...p,
    deployment_status: { ...p.deployment_status, id: o.statusId, state: o.state, environment: o.environment, created_at: o.at, updated_at: o.at },
    deployment: { ...p.deployment, id: o.deploymentId, sha: o.sha, environment: o.environment, created_at: o.at, updated_at: o.at },
    repository: repository(o.repo),
  }
}

export function pullRequestMergedPayload(o: { repo: string; number: number; createdAt: string; mergedAt: string; mergeCommitSha: string }) {
  const p = fixture('github/pull_request.closed.merged.json')
  return {
    ...p,
    action: 'closed',
    number: o.number,
    pull_request: { ...p.pull_request, number: o.number, created_at: o.createdAt, merged_at: o.mergedAt, closed_at: o.mergedAt, merged: true, merge_commit_sha: o.mergeCommitSha },
    repository: repository(o.repo),
  }
}

export function issuePayload(o: { repo: string; action: string; number: number; labels: string[]; body: string; createdAt: string; closedAt: string | null; updatedAt: string }) {
  const p = fixture('github/issues.opened.json')
  const labelTemplate = p.issue.labels[0]
  return {
    ...p,
    action: o.action,
    issue: {
      ...p.issue,
      number: o.number,
      labels: o.labels.map((name) => ({ ...labelTemplate, name })),
      body: o.body,
      created_at: o.createdAt,
      closed_at: o.closedAt,
      updated_at: o.updatedAt,
      state: o.closedAt && o.action !== 'reopened' ? 'closed' : 'open',
    },
    repository: repository(o.repo),
  }
}

export function pagerdutyDelivery(payload: { event: { id: string } }, secret: string): Delivery {
  const body = JSON.stringify(payload)
  return {
    path: '/webhooks/pagerduty',
    body,
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': `wh-${payload.event.id}`,
      'x-pagerduty-signature': `v1=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
  }
}

export function pagerdutyPayload(o: { eventId: string; type: string; incidentId: string; service: string; occurredAt: string; createdAt?: string; title?: string; urgency?: string }) {
  const p = fixture(o.type === 'incident.resolved' ? 'pagerduty/incident.resolved.json' : o.type === 'incident.acknowledged' ? 'pagerduty/incident.acknowledged.json' : 'pagerduty/incident.triggered.json')
  const data = { ...p.event.data, id: o.incidentId, status: o.type.replace('incident.', ''), service: { ...p.event.data.service, id: o.service, summary: `PD ${o.service}` } }
  if (o.createdAt) data.created_at = o.createdAt
  if (o.title) data.title = o.title
  if (o.urgency) data.urgency = o.urgency
  return { event: { ...p.event, id: o.eventId, event_type: o.type, occurred_at: o.occurredAt, data } }
}

export async function send(baseUrl: string, d: Delivery): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${d.path}`, { method: 'POST', headers: d.headers, body: d.body })
  return { status: res.status, body: await res.json().catch(() => null) }
}

/** Polls until `check` returns a value (not undefined) or the deadline passes: no fixed sleeps. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  while (Date.now() < deadline) {
    try {
      const v = await check()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
}

/**
 * Waits until a running doraflow has processed everything it acknowledged, as its own
 * Prometheus figures say: processor lag 0 (log head = committed offset, which moves only
 * after ClickHouse accepted) and, in Kafka mode, an empty spool. Waiting on a partial
 * figure instead (say "2 incidents") races with the rest of the batch being processed.
 */
export async function processedAll(url: string, timeoutMs = 60_000): Promise<void> {
  await eventually(async () => {
    const text = await (await fetch(`${url}/metrics`)).text()
    const lag = /^doraflow_processor_lag_events (\S+)$/m.exec(text)?.[1]
    const spool = /^doraflow_spool_depth (\S+)$/m.exec(text)?.[1]
    return lag === '0' && (spool === undefined || spool === '0') ? true : undefined
  }, timeoutMs, `${url} to process every acknowledged event (doraflow_processor_lag_events 0)`)
}

/** An expected object whose numbers match to 6 decimals (quantiles interpolate in floating point). */
export function approx<T>(v: T): T {
  if (typeof v === 'number' && !Number.isInteger(v)) return expect.closeTo(v, 6) as unknown as T
  if (typeof v === 'number') return expect.closeTo(v, 6) as unknown as T
  if (Array.isArray(v)) return v.map(approx) as unknown as T
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, approx(x)])) as T
  return v
}
