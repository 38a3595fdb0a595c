/**
 * Domain events: what the parsers make of raw envelopes. One discriminated
 * union, past-tense names. Every event carries:
 *  - `key`: its identity; the same fact delivered twice has the same key, so
 *    storing facts keyed by it makes processing idempotent;
 *  - `routing`: the source key that decides which services it can affect
 *    (`github:<owner/name lowercase>`, `pagerduty:<service id>`, `named:<service>`).
 * Times are ISO 8601 strings with their original precision (ms kept).
 */

export interface Commit {
  id: string
  timestamp: string
  message: string
  url: string | null
  author: string | null
}

interface Base {
  key: string
  routing: string
}

/** GitHub `deployment_status`: one status of one deployment. */
export interface DeploymentStatusReported extends Base {
  type: 'DeploymentStatusReported'
  repo: string // full_name as sent
  deploymentId: string
  statusId: string
  state: string // success | failure | error | pending | in_progress | queued | inactive
  environment: string
  productionEnvironment: boolean | null
  sha: string
  ref: string | null
  at: string // deployment_status.created_at
  url: string | null
}

/** A deployment reported by another tool: our JSON or a CDEvents service.deployed / service.rolledback. */
export interface ExternalDeploymentReported extends Base {
  type: 'ExternalDeploymentReported'
  origin: 'generic' | 'cdevents'
  id: string
  service: string
  team: string | null
  environment: string
  sha: string | null
  artifact: string | null
  at: string
  succeeded: boolean
  rollback: boolean
  url: string | null
}

/** GitHub `push`. */
export interface PushReceived extends Base {
  type: 'PushReceived'
  repo: string
  ref: string
  defaultBranch: string | null
  before: string
  after: string
  deleted: boolean
  forced: boolean
  pushedAt: string | null
  commits: Commit[]
}

/** GitHub `pull_request` closed with merged: true. */
export interface PullRequestMerged extends Base {
  type: 'PullRequestMerged'
  repo: string
  number: number
  title: string
  url: string | null
  createdAt: string
  mergedAt: string
  mergeCommitSha: string | null
}

/** GitHub `issues` (any action): a snapshot of the issue at that event. */
export interface IssueChanged extends Base {
  type: 'IssueChanged'
  repo: string
  number: number
  action: string
  labels: string[] // names on the issue at that event, plus the `label` of labeled/unlabeled
  title: string
  body: string
  createdAt: string
  closedAt: string | null
  updatedAt: string
  url: string | null
}

export type IncidentTransition =
  | 'triggered'
  | 'acknowledged'
  | 'unacknowledged'
  | 'escalated'
  | 'reassigned'
  | 'delegated'
  | 'priority_updated'
  | 'annotated'
  | 'resolved'
  | 'reopened'
  | 'updated'

/**
 * One state change of an incident from PagerDuty, our JSON or CDEvents.
 * (GitHub issue incidents come as IssueChanged: whether an issue is an incident
 * depends on its labels over the whole event set.)
 */
export interface IncidentTransitioned extends Base {
  type: 'IncidentTransitioned'
  origin: 'pagerduty' | 'generic' | 'cdevents' | 'gitlab' | 'incidentio' | 'jira'
  incidentId: string // PagerDuty data.id, or the generic/CDEvents incident id
  /** PagerDuty service id (origin pagerduty) or the named service. */
  serviceRef: string
  serviceName: string // PagerDuty service summary, or the named service
  team: string | null
  transition: IncidentTransition
  at: string // occurred_at / timestamp
  createdAt: string | null // PagerDuty data.created_at, generic startedAt
  title: string | null
  text: string | null // description / note, searched for sha links together with the title
  urgency: string | null | undefined // undefined: this event does not carry it
  priority: string | null | undefined
  /** Sha or artifact named in a field of its own (generic/CDEvents): an explicit link. */
  links: string[]
  number: number | null
  url: string | null
  agent: string | null
  /**
   * GitLab and Jira: what the configuration decides incident-ness on (`type:<issue type>`,
   * `label:<label>`, lowercase); an incident whose events never carry a configured one is
   * not an incident. Absent: the event is an incident by its source.
   */
  tags?: string[]
}

/** An annotation pinned on the timeline (POST /api/v1/annotations). Not a metric input. */
export interface AnnotationAdded extends Base {
  type: 'AnnotationAdded'
  id: string
  at: string
  endAt: string | null
  text: string
  tags: string[]
  service: string | null
  team: string | null
}

/** An annotation taken off the timeline (DELETE /api/v1/annotations/{id}). */
export interface AnnotationRemoved extends Base {
  type: 'AnnotationRemoved'
  id: string
  at: string
}

export type DomainEvent =
  | DeploymentStatusReported
  | ExternalDeploymentReported
  | PushReceived
  | PullRequestMerged
  | IssueChanged
  | IncidentTransitioned
  | AnnotationAdded
  | AnnotationRemoved

export type DomainEventType = DomainEvent['type']

/** What a parser makes of one envelope: expected outcomes are values, not exceptions. */
export type ParseOutcome =
  | { kind: 'ok'; events: DomainEvent[] }
  | { kind: 'drop'; reason: string } // well-formed, but nothing for the metrics (ping, workflow_run, non-incident notes…)
  | { kind: 'dlq'; reason: string } // cannot be understood: dead-letter table

export const ok = (events: DomainEvent[]): ParseOutcome => ({ kind: 'ok', events })
export const drop = (reason: string): ParseOutcome => ({ kind: 'drop', reason })
export const dlq = (reason: string): ParseOutcome => ({ kind: 'dlq', reason })

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}
