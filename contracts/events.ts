/**
 * Domain events: what the parsers make of raw envelopes, saying what happened,
 * not who said it. One discriminated union, past-tense names; a GitLab merge
 * request and a GitHub pull request are both a `ChangeMerged`, a deployment
 * from GitHub, our JSON or CDEvents is a `DeploymentReported`. Every event carries:
 *  - `key`: its natural identity (what it is about, not how it was delivered),
 *    so the same fact from a webhook and from an importer of the sender's API
 *    (METRICS.md §10) is stored once;
 *  - `routing`: the source key that decides which services it can affect
 *    (`github:<owner/name lowercase>`, `pagerduty:<service id>`, `named:<service>`;
 *    sources/<name>/index.ts `routing`);
 *  - `origin`: the system the fact comes from, one of the envelope kinds of
 *    sources/index.ts (`github`, `pagerduty`, `generic`, `cdevents`). An
 *    importer of a system's API uses that system's origin, not its own kind:
 *    `github-api` reports `origin: 'github'`, so its record of a deployment has
 *    the webhook's key, entity and record id, and the two collapse.
 * Times are ISO 8601 strings with their original precision (ms kept).
 */
import type { EnvelopeKind } from '../sources/index.ts'

export type Origin = EnvelopeKind

import type { FlagChanged, RolloutStepReported } from './release-events.ts'

export type { FlagChanged, RolloutStepReported }

export interface Commit {
  id: string
  timestamp: string
  message: string
  url: string | null
  author: string | null
  /** §16: the author's account (GitHub `author.username`), and e-mail, when the source names them. */
  authorLogin?: string | null
  authorEmail?: string | null
  /** §16 paths: every file the commit added, modified or removed; absent when the source does not list them. */
  files?: string[]
}

interface Keyed {
  key: string
  routing: string
}

interface Base extends Keyed {
  origin: Origin
}

/**
 * One report of a deployment's state by the tool that ran it (GitHub
 * `deployment_status`, our JSON, CDEvents service.deployed / rolledback).
 * A deployment counts once, at its earliest `success` report (METRICS.md §2);
 * `failure`/`error` reports of a production deployment are failed attempts.
 */
export interface DeploymentReported extends Base {
  type: 'DeploymentReported'
  /** The deployment's identity within its origin, e.g. `acme/checkout#101` (GitHub), `dep-1` (our JSON). */
  deploymentId: string
  /** This report's identity among the deployment's reports (names a failed attempt). */
  reportId: string
  /** The service to imply when no configured service claims the routing: the repository as spelled, or the named service. */
  serviceName: string
  team: string | null
  /** The code repository as spelled by the sender, when the deployment is of one. */
  repo: string | null
  environment: string
  /** The sender's own production flag (GitHub production_environment); null: it did not say. */
  productionEnvironment: boolean | null
  sha: string | null
  artifact: string | null
  at: string
  /** success | failure | error | pending | in_progress | queued | inactive | … (only the first three count). */
  status: string
  /** Declared a rollback by the sender (CDEvents service.rolledback, our JSON `rollback`). */
  rollback: boolean
  url: string | null
}

/**
 * A link of a branch's commit chain: the branch moved from `before` to
 * `after`, bringing `commits` (GitHub `push`). §3 walks these links back from
 * a deployed sha.
 */
export interface CommitsPushed extends Base {
  type: 'CommitsPushed'
  repo: string // as sent
  ref: string
  defaultBranch: string | null
  before: string
  after: string
  deleted: boolean
  forced: boolean
  pushedAt: string | null
  commits: Commit[]
  /**
   * The sender cut the commit list (GitLab's Push Hook sends at most 20; `total_commits_count`
   * says more): the walk prefers the imported commit graph here when it has one (METRICS.md §11).
   */
  truncated?: true
}

/**
 * A commit of a repository's default branch as its REST API lists it (imported
 * history, METRICS.md §10): not a push — a node of the commit graph, with its
 * parents. The projection turns first-parent steps into the links §3 walks
 * (processors/project/commit-links.ts); a merge's link needs the graph, which no
 * single record has.
 */
export interface CommitListed extends Base {
  type: 'CommitListed'
  repo: string
  sha: string
  /** In git order: the first parent is the branch the commit was made on. */
  parents: string[]
  committedAt: string
  message: string
  url: string | null
  author: string | null
  /** §16: the author's GitHub account (the API's `author.login`; null when the e-mail is no account's) and e-mail. */
  authorLogin: string | null
  authorEmail: string | null
  /** §16 paths: the files it touched (a rename's old and new name); absent when the import did not ask (no `paths` split the repository). */
  files?: string[]
}

/** A change request merged: GitHub pull request (closed with merged: true), GitLab merge request, … */
export interface ChangeMerged extends Base {
  type: 'ChangeMerged'
  repo: string
  number: number
  title: string
  url: string | null
  createdAt: string
  mergedAt: string
  mergeCommitSha: string | null
}

/**
 * An issue (ticket) changed: a snapshot of it at that event. Whether it is an
 * incident depends on its labels over the whole event set (§4), so the
 * projection decides, not the parser.
 */
export interface IssueChanged extends Base {
  type: 'IssueChanged'
  /** Identity within its origin, e.g. `acme/checkout#7`. */
  issueId: string
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
  /** Read from the origin's REST API (METRICS.md §10): a webhook about the same change outranks it (processors/project/natural.ts). */
  imported?: true
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
 * One state change of an incident from an incident tool (PagerDuty, incident.io),
 * an issue tracker's incident issue (GitLab, Jira), our JSON or CDEvents.
 * (Labelled GitHub issues come as IssueChanged.)
 */
export interface IncidentTransitioned extends Base {
  type: 'IncidentTransitioned'
  incidentId: string // PagerDuty data.id, or the generic/CDEvents incident id
  /** The incident tool's service id (PagerDuty), or the named service. */
  serviceRef: string
  /** The service to imply when no configured service claims the routing: PagerDuty's service summary, or the named service. */
  serviceName: string
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
  /** Read from the origin's REST API (a log entry, METRICS.md §10): a webhook about the same change outranks it. */
  imported?: true
  /**
   * Issue trackers (GitLab, Jira): what the configuration decides incident-ness on
   * (`type:<issue type>`, `label:<label>`, lowercase), over all of an incident's events
   * (processors/project/incident-kinds.ts). Absent: an incident by its source.
   */
  tags?: string[]
}

/** An annotation pinned on the timeline (POST /api/v1/annotations). Not a metric input. */
export interface AnnotationAdded extends Keyed {
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
export interface AnnotationRemoved extends Keyed {
  type: 'AnnotationRemoved'
  id: string
  at: string
}

/**
 * A correction (METRICS.md §18): `incident` + `deployment` (null: caused no failure), or
 * `deployment` + `failed`. A metric input for every service (routing `corrections`): the
 * projection applies the latest (at, id) per target.
 */
export interface CorrectionRecorded extends Keyed {
  type: 'CorrectionRecorded'
  id: string
  incident: string | null
  deployment: string | null
  failed: boolean | null
  by: string
  reason: string
  at: string
}

export type DomainEvent =
  | DeploymentReported
  | CommitsPushed
  | CommitListed
  | ChangeMerged
  | IssueChanged
  | IncidentTransitioned
  | AnnotationAdded
  | AnnotationRemoved
  | CorrectionRecorded
  | FlagChanged
  | RolloutStepReported

export type DomainEventType = DomainEvent['type']

/** What a parser makes of one envelope: expected outcomes are values, not exceptions. */
export type ParseOutcome =
  | { kind: 'ok'; events: DomainEvent[] }
  | { kind: 'drop'; reason: string; code: DropCode } // well-formed, but nothing for the metrics (ping, workflow_run, non-incident notes…)
  | { kind: 'dlq'; reason: string; code: DeadLetterCode } // cannot be understood: dead-letter table

export const ok = (events: DomainEvent[]): ParseOutcome => ({ kind: 'ok', events })
export const drop = (reason: string, code: DropCode): ParseOutcome => ({ kind: 'drop', reason, code })

/** Why a well-formed envelope gives no event, as a code beside the sentence (doraflow_processor_dropped_total{reason}). */
export const DROP_CODES = [
  'not_used_by_metrics', // an event type no figure reads (ping, workflow_run, release, responder events…)
  'not_a_merge', // a pull request event other than a merge
  'no_service_to_route', // the payload names no service to file it under
] as const
export type DropCode = (typeof DROP_CODES)[number]
export const dlq = (reason: string, code: DeadLetterCode): ParseOutcome => ({ kind: 'dlq', reason, code })

/**
 * Why an envelope was dead-lettered, as a code beside the sentence: a bounded
 * set (a Prometheus label, a filter), where the sentence names the field.
 */
export const DEAD_LETTER_CODES = [
  'bad_json', // the body is not JSON (or not an object where one is needed)
  'missing_repository', // a repository event without repository.full_name (Four Keys-style senders)
  'missing_field', // a field the parser needs is absent
  'bad_field', // a field has the wrong type or an unusable value
  'bad_number', // not a (positive whole) number where one is needed
  'bad_timestamp', // not a date-time, or outside years 0001–9999
  'unknown_source', // a log record of no source this version knows
  'parser_error', // a parser bug: the envelope is kept for a replay after the fix
  'refused_by_clickhouse', // its rows were refused by ClickHouse (processors/isolate.ts)
] as const
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number]

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}
