/**
 * Real-shaped webhook payloads: the recorded templates (templates/README.md) with
 * the fields a generated history needs overridden, signed as the senders sign them.
 * The one place tests, benchmarks and `doraflow demo` build GitHub and PagerDuty
 * deliveries.
 */
import { createHmac, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const TEMPLATES = resolve(import.meta.dirname, 'templates')
const template = (p: string): any => JSON.parse(readFileSync(resolve(TEMPLATES, p), 'utf8'))
// Read once: a benchmark builds millions of payloads from them.
const T = {
  push: template('github/push.json'),
  pr: template('github/pull_request.closed.merged.json'),
  status: template('github/deployment_status.created.json'),
  issue: template('github/issues.opened.json'),
  pd: {
    triggered: template('pagerduty/incident.triggered.json'),
    acknowledged: template('pagerduty/incident.acknowledged.json'),
    resolved: template('pagerduty/incident.resolved.json'),
  } as Record<string, any>,
}

/** An HTTP request a sender would make. */
export interface Delivery {
  path: string
  headers: Record<string, string>
  body: string
}

/** A generated delivery, with what the generator knows about it. */
export interface SourcedDelivery extends Delivery {
  source: 'github' | 'pagerduty' | 'gitlab' | 'events'
  /** GitHub event name or PagerDuty event type. */
  kind: string
  /** The sender's delivery id (the envelope id derives from it). */
  deliveryId: string
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex')

export function githubDelivery(event: string, payload: unknown, secret: string, deliveryId: string = randomUUID()): SourcedDelivery {
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
      'x-hub-signature-256': `sha256=${hmac(secret, body)}`,
    },
  }
}

export function pagerdutyDelivery(payload: { event: { id: string; event_type?: string } }, secret: string): SourcedDelivery {
  const body = JSON.stringify(payload)
  return {
    source: 'pagerduty',
    kind: payload.event.event_type ?? 'unknown',
    deliveryId: payload.event.id,
    path: '/webhooks/pagerduty',
    body,
    headers: { 'content-type': 'application/json', 'x-webhook-id': `wh-${payload.event.id}`, 'x-pagerduty-signature': `v1=${signPagerDutyBody(secret, body)}` },
  }
}

/** PagerDuty's V3 signature of a body (without the `v1=` prefix). */
export const signPagerDutyBody = (secret: string, body: string) => hmac(secret, body)

function repository(fullName: string) {
  const repo = T.push.repository
  const [owner, name] = fullName.split('/')
  return { ...repo, full_name: fullName, name, owner: { ...repo.owner, login: owner, name: owner }, default_branch: 'main', master_branch: 'main' }
}

export interface CommitSpec {
  id: string
  timestamp: string
  message?: string
  /** Files the commit touched (push `commits[].modified`): what `paths` of a shared repository match. */
  modified?: string[]
  added?: string[]
  removed?: string[]
  author?: { name: string; email: string; username?: string }
}

export function pushPayload(o: { repo: string; before: string; after: string; commits: CommitSpec[] }) {
  const p = T.push
  const tpl = p.commits[0] ?? p.head_commit
  const commits = o.commits.map((c) => ({
    ...tpl,
    id: c.id,
    tree_id: c.id,
    timestamp: c.timestamp,
    message: c.message ?? `change ${c.id.slice(0, 7)}`,
    url: `https://github.com/${o.repo}/commit/${c.id}`,
    ...(c.added || c.removed || c.modified ? { added: c.added ?? [], removed: c.removed ?? [], modified: c.modified ?? [] } : {}),
    ...(c.author ? { author: c.author, committer: c.author } : {}),
  }))
  return {
    ...p,
    ref: 'refs/heads/main',
    before: o.before,
    after: o.after,
    created: false,
    deleted: false,
    forced: false,
    compare: `https://github.com/${o.repo}/compare/${o.before.slice(0, 12)}...${o.after.slice(0, 12)}`,
    commits,
    head_commit: commits.at(-1) ?? null,
    repository: repository(o.repo),
  }
}

export function deploymentStatusPayload(o: { repo: string; deploymentId: number; statusId: number; state: string; environment: string; sha: string; at: string }) {
  const p = T.status
  return {
    ...p,
    deployment_status: { ...p.deployment_status, id: o.statusId, state: o.state, environment: o.environment, created_at: o.at, updated_at: o.at },
    deployment: { ...p.deployment, id: o.deploymentId, sha: o.sha, environment: o.environment, created_at: o.at, updated_at: o.at },
    repository: repository(o.repo),
  }
}

export function pullRequestMergedPayload(o: { repo: string; number: number; createdAt: string; mergedAt: string; mergeCommitSha: string; title?: string }) {
  const p = T.pr
  return {
    ...p,
    action: 'closed',
    number: o.number,
    pull_request: { ...p.pull_request, number: o.number, ...(o.title ? { title: o.title } : {}), created_at: o.createdAt, merged_at: o.mergedAt, closed_at: o.mergedAt, merged: true, merge_commit_sha: o.mergeCommitSha },
    repository: repository(o.repo),
  }
}

export function issuePayload(o: { repo: string; action: string; number: number; labels: string[]; body: string; createdAt: string; closedAt: string | null; updatedAt: string; title?: string }) {
  const p = T.issue
  const labelTemplate = p.issue.labels[0]
  return {
    ...p,
    action: o.action,
    issue: {
      ...p.issue,
      number: o.number,
      ...(o.title ? { title: o.title } : {}),
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

export function pagerdutyPayload(o: { eventId: string; type: string; incidentId: string; service: string; occurredAt: string; createdAt?: string; title?: string; urgency?: string; serviceSummary?: string }) {
  const status = o.type.replace('incident.', '')
  const p = T.pd[status] ?? T.pd.triggered
  const data = { ...p.event.data, id: o.incidentId, status, service: { ...p.event.data.service, id: o.service, summary: o.serviceSummary ?? `PD ${o.service}` } }
  if (o.createdAt) data.created_at = o.createdAt
  if (o.title) data.title = o.title
  if (o.urgency) data.urgency = o.urgency
  return { event: { ...p.event, id: o.eventId, event_type: o.type, occurred_at: o.occurredAt, data } }
}
