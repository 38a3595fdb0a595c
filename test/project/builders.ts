import type { ChangeMerged, Commit, CommitsPushed, DeploymentReported, DomainEvent, IncidentTransitioned, IssueChanged } from '../../contracts/events.ts'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'

/** Given/when/then builders: small domain events with readable defaults. */
export const sha = (n: number | string): string => String(n).padStart(7, 'a').padEnd(40, '0').toLowerCase()
export const T = (iso: string): string => (iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`)

let n = 0
const uniq = () => `${++n}`

export function config(raw: Record<string, unknown> = {}): Config {
  return parseConfig(raw)
}

export function status(o: { repo?: string; id: string | number; state?: string; env?: string; sha: string; at: string; statusId?: string | number; prod?: boolean | null }): DeploymentReported {
  const repo = o.repo ?? 'acme/checkout'
  const statusId = String(o.statusId ?? uniq())
  const deploymentId = `${repo.toLowerCase()}#${o.id}`
  return {
    type: 'DeploymentReported',
    key: `deployment:github:${deploymentId}:status/${statusId}`,
    routing: `github:${repo.toLowerCase()}`,
    origin: 'github',
    deploymentId,
    reportId: `status/${statusId}`,
    serviceName: repo,
    team: null,
    repo,
    environment: o.env ?? 'production',
    productionEnvironment: o.prod ?? null,
    sha: o.sha,
    artifact: null,
    at: T(o.at),
    status: o.state ?? 'success',
    rollback: false,
    url: null,
  }
}

export const deploy = (o: Parameters<typeof status>[0]) => status(o)

export function commit(id: string, timestamp: string, message = 'change'): Commit {
  return { id, timestamp: T(timestamp), message, url: null, author: 'dev' }
}

export function push(o: { repo?: string; before: string; after: string; commits: Commit[]; at?: string; ref?: string; deleted?: boolean; defaultBranch?: string }): CommitsPushed {
  const repo = o.repo ?? 'acme/checkout'
  const ref = o.ref ?? 'refs/heads/main'
  return {
    type: 'CommitsPushed',
    key: `push:github:${repo.toLowerCase()}:${o.before}:${o.after}:${ref}`,
    routing: `github:${repo.toLowerCase()}`,
    origin: 'github',
    repo,
    ref,
    defaultBranch: o.defaultBranch ?? 'main',
    before: o.before,
    after: o.after,
    deleted: o.deleted ?? false,
    forced: false,
    pushedAt: o.at ? T(o.at) : (o.commits.at(-1)?.timestamp ?? null),
    commits: o.commits,
  }
}

export function pr(o: { repo?: string; number: number; createdAt: string; mergedAt: string; mergeSha: string }): ChangeMerged {
  const repo = o.repo ?? 'acme/checkout'
  return {
    type: 'ChangeMerged',
    key: `change:github:${repo.toLowerCase()}#${o.number}`,
    routing: `github:${repo.toLowerCase()}`,
    origin: 'github',
    repo,
    number: o.number,
    title: `PR ${o.number}`,
    url: null,
    createdAt: T(o.createdAt),
    mergedAt: T(o.mergedAt),
    mergeCommitSha: o.mergeSha,
  }
}

export function issue(o: { repo?: string; number: number; action: string; labels?: string[]; body?: string; createdAt: string; closedAt?: string | null; updatedAt: string }): IssueChanged {
  const repo = o.repo ?? 'acme/checkout'
  return {
    type: 'IssueChanged',
    key: `issue:github:${repo.toLowerCase()}#${o.number}:${o.action}:${o.updatedAt}:${uniq()}`,
    routing: `github:${repo.toLowerCase()}`,
    origin: 'github',
    issueId: `${repo.toLowerCase()}#${o.number}`,
    repo,
    number: o.number,
    action: o.action,
    labels: o.labels ?? ['incident'],
    title: `Issue ${o.number}`,
    body: o.body ?? '',
    createdAt: T(o.createdAt),
    closedAt: o.closedAt ? T(o.closedAt) : null,
    updatedAt: T(o.updatedAt),
    url: null,
  }
}

export function pd(o: { id: string; transition: IncidentTransitioned['transition']; at: string; service?: string; serviceName?: string; createdAt?: string | null; title?: string; text?: string; urgency?: string | null; priority?: string | null }): IncidentTransitioned {
  return {
    type: 'IncidentTransitioned',
    key: `incident:pagerduty:${o.id}:${uniq()}`,
    routing: `pagerduty:${o.service ?? 'PCHECK'}`,
    origin: 'pagerduty',
    incidentId: o.id,
    serviceRef: o.service ?? 'PCHECK',
    serviceName: o.serviceName ?? 'Checkout PD',
    team: null,
    transition: o.transition,
    at: T(o.at),
    createdAt: o.createdAt ? T(o.createdAt) : null,
    title: o.title ?? null,
    text: o.text ?? null,
    urgency: o.urgency,
    priority: o.priority,
    links: [],
    number: 1,
    url: null,
    agent: null,
  }
}

export function extDeploy(o: { id: string; service?: string; env?: string; sha?: string; artifact?: string; at: string; succeeded?: boolean; rollback?: boolean }): DeploymentReported {
  const service = o.service ?? 'checkout'
  const reportId = `generic:${o.id}:${uniq()}`
  return {
    type: 'DeploymentReported',
    key: `deployment:generic:${o.id}:${reportId}`,
    routing: `named:${service}`,
    origin: 'generic',
    deploymentId: o.id,
    reportId,
    serviceName: service,
    team: null,
    repo: null,
    environment: o.env ?? 'production',
    productionEnvironment: null,
    sha: o.sha ?? null,
    artifact: o.artifact ?? null,
    at: T(o.at),
    status: (o.succeeded ?? true) ? 'success' : 'failure',
    rollback: o.rollback ?? false,
    url: null,
  }
}

export function genericIncident(o: { id: string; service?: string; transition: IncidentTransitioned['transition']; at: string; links?: string[]; text?: string }): IncidentTransitioned {
  const service = o.service ?? 'checkout'
  return {
    type: 'IncidentTransitioned',
    key: `incident:generic:${o.id}:${uniq()}`,
    routing: `named:${service}`,
    origin: 'generic',
    incidentId: o.id,
    serviceRef: service,
    serviceName: service,
    team: null,
    transition: o.transition,
    at: T(o.at),
    createdAt: o.transition === 'triggered' ? T(o.at) : null,
    title: null,
    text: o.text ?? null,
    urgency: undefined,
    priority: undefined,
    links: o.links ?? [],
    number: null,
    url: null,
    agent: null,
  }
}

export type { DomainEvent }

/** The standard config of these tests: checkout (payments) on acme/checkout, paged by PCHECK. */
export const CHECKOUT = {
  services: [{ name: 'checkout', team: 'payments', repositories: ['acme/checkout'], pagerdutyServices: ['PCHECK'] }],
}
