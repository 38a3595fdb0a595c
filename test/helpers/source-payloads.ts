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

/** GitLab's builders live with the generator (`doraflow demo` sends them too). */
export { gitlabDelivery, gitlabDeployment, gitlabIncident, gitlabMergeRequest, gitlabPush } from '../../generator/gitlab-payloads.ts'

const shared = (p: string): any => JSON.parse(readFileSync(resolve(FIXTURES, p), 'utf8'))
const local = (p: string): any => JSON.parse(readFileSync(resolve(import.meta.dirname, '../sources/fixtures', p), 'utf8'))

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
