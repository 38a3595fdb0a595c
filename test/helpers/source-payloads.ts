/**
 * Real-shaped GitLab, incident.io and Jira deliveries: the recorded fixtures (GitLab,
 * Jira) and incident.io's documented examples with the fields a scenario needs
 * overridden, authenticated as the senders do it.
 */
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { Webhook } from 'standardwebhooks'
import { FIXTURES, type Delivery } from './payloads.ts'

const shared = (p: string): any => JSON.parse(readFileSync(resolve(FIXTURES, p), 'utf8'))
const local = (p: string): any => JSON.parse(readFileSync(resolve(import.meta.dirname, '../sources/fixtures', p), 'utf8'))

export function gitlabDelivery(event: string, payload: unknown, token: string, idempotencyKey: string): Delivery {
  return {
    path: '/webhooks/gitlab',
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json', 'x-gitlab-event': event, 'x-gitlab-token': token, 'idempotency-key': idempotencyKey, 'x-gitlab-event-uuid': `uuid-${idempotencyKey}` },
  }
}

function project(path: string) {
  const p = shared('gitlab/deployment.success.json').project
  return { ...p, path_with_namespace: path, name: path.split('/').at(-1), default_branch: 'main', web_url: `https://gitlab.example.com/${path}` }
}

export function gitlabPush(o: { project: string; before: string; after: string; commits: { id: string; timestamp: string }[] }) {
  const p = shared('gitlab/push.default-branch.gitlab-docs.json')
  const commits = o.commits.map((c) => ({ ...p.commits[0], id: c.id, timestamp: c.timestamp, message: `change ${c.id.slice(0, 7)}`, url: `https://gitlab.example.com/${o.project}/-/commit/${c.id}` }))
  return { ...p, ref: 'refs/heads/main', before: o.before, after: o.after, checkout_sha: o.after, commits, total_commits_count: commits.length, project: project(o.project) }
}

/** `at` in GitLab's Deployment Hook format, e.g. `2026-08-02 09:00:00 +0000`. */
export function gitlabDeployment(o: { project: string; deploymentId: number; status: string; environment: string; tier: string; sha: string; at: string }) {
  const p = shared('gitlab/deployment.success.json')
  return { ...p, status: o.status, status_changed_at: o.at, deployment_id: o.deploymentId, environment: o.environment, environment_slug: o.environment, environment_tier: o.tier, short_sha: o.sha.slice(0, 8), commit_url: `https://gitlab.example.com/${o.project}/-/commit/${o.sha}`, project: project(o.project) }
}

/** `createdAt`/`updatedAt` in GitLab's merge-request format, e.g. `2026-08-01 10:00:00 UTC`. */
export function gitlabMergeRequest(o: { project: string; iid: number; createdAt: string; updatedAt: string; mergeCommitSha: string }) {
  const p = shared('gitlab/merge_request.merged.json')
  return { ...p, project: project(o.project), object_attributes: { ...p.object_attributes, iid: o.iid, id: 9000 + o.iid, created_at: o.createdAt, updated_at: o.updatedAt, merge_commit_sha: o.mergeCommitSha } }
}

export function gitlabIncident(o: { project: string; iid: number; action: 'open' | 'close'; description: string; createdAt: string; updatedAt: string; closedAt: string | null }) {
  const p = shared(o.action === 'open' ? 'gitlab/issue.incident.opened.json' : 'gitlab/issue.incident.closed.json')
  return {
    ...p,
    project: project(o.project),
    object_attributes: { ...p.object_attributes, iid: o.iid, id: 7000 + o.iid, action: o.action, state: o.action === 'open' ? 'opened' : 'closed', description: o.description, created_at: o.createdAt, updated_at: o.updatedAt, closed_at: o.closedAt, url: `https://gitlab.example.com/${o.project}/-/issues/${o.iid}` },
  }
}

export function incidentioDelivery(payload: unknown, secret: string, messageId: string): Delivery {
  const body = JSON.stringify(payload)
  const now = new Date()
  return {
    path: '/webhooks/incidentio',
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': messageId, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign(messageId, now, body) },
  }
}

const STATUS = (category: string, name: string) => ({ ...local('incidentio/public_incident.incident_created_v2.json')['public_incident.incident_created_v2'].incident_status, category, name })

function incidentioIncident(o: { id: string; reference: string; service: string; createdAt: string; updatedAt: string; category: string; status: string; name: string }) {
  const base = local('incidentio/public_incident.incident_created_v2.json')['public_incident.incident_created_v2']
  return {
    ...base,
    id: o.id,
    reference: o.reference,
    name: o.name,
    permalink: `https://app.incident.io/acme/incidents/${o.reference}`,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    incident_status: STATUS(o.category, o.status),
    custom_field_entries: [
      ...base.custom_field_entries,
      { custom_field: { id: '01SERVICES', name: 'Affected services', field_type: 'multi_select', description: 'Services affected', options: [] }, values: [{ value_catalog_entry: { id: '01ENTRY', name: o.service, aliases: [], external_id: null } }] },
    ],
  }
}

type IncidentioIncident = Parameters<typeof incidentioIncident>[0]

export function incidentioCreated(o: IncidentioIncident) {
  const e = 'public_incident.incident_created_v2'
  return { event_type: e, [e]: incidentioIncident(o) }
}

export function incidentioStatusUpdated(o: IncidentioIncident & { previous: [category: string, name: string] }) {
  const e = 'public_incident.incident_status_updated_v2'
  const incident = incidentioIncident(o)
  return { event_type: e, [e]: { incident, message: 'status changed', previous_status: STATUS(...o.previous), new_status: incident.incident_status } }
}

export function jiraDelivery(payload: unknown, secret: string, identifier: string): Delivery {
  const body = JSON.stringify(payload)
  return {
    path: '/webhooks/jira',
    body,
    headers: { 'content-type': 'application/json', 'x-atlassian-webhook-identifier': identifier, 'x-hub-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` },
  }
}

/** The recorded Jira payload as issue `key` (id `id`) of `project`; `created` in Jira's format (`+0200`). */
export function jiraIssue(o: { event: 'jira:issue_created' | 'jira:issue_updated'; id: string; key: string; project: string; type: string; created: string; at: string; category: string; status: string; from?: string }) {
  const p = shared('jira/issue_updated.status.json')
  const f = p.issue.fields
  return {
    ...p,
    webhookEvent: o.event,
    timestamp: Date.parse(o.at),
    issue: {
      ...p.issue,
      id: o.id,
      key: o.key,
      fields: { ...f, issuetype: { ...f.issuetype, name: o.type }, project: { ...f.project, key: o.project, name: o.project }, created: o.created, status: { ...f.status, name: o.status, statusCategory: { ...f.status.statusCategory, key: o.category } } },
    },
    changelog: o.from ? { id: `cl-${o.id}-${o.at}`, items: [{ field: 'status', fieldtype: 'jira', fromString: o.from, toString: o.status }] } : undefined,
  }
}
