import type { Origin } from './events.ts'
/**
 * What the projection derives from the set of domain events: the rows of the
 * ClickHouse tables that reports read. Times are epoch milliseconds (UTC);
 * durations are seconds (fractions kept).
 */

/**
 * METRICS.md §18: what overruled the rules for a record — a correction (who, why, when) or a
 * `metrics.nonChangeIncidents` rule (`kind: 'rule'`, the matching rule as the reason).
 */
export interface CorrectionNote {
  id: string | null
  kind: 'not_caused_by_change' | 'linked' | 'failed' | 'not_failed' | 'rule'
  by: string | null
  reason: string
  at: string | null
  /** not_failed: the failure causes §5 derived and the correction overruled. */
  overruled?: string[]
}

export interface DeploymentRecord {
  id: string // github:<repo>#<deployment id> | generic:<id> | cdevents:<id>
  service: string
  team: string
  origin: Origin
  repo: string | null
  environment: string
  version: string // sha, or artifact when no sha
  sha: string | null
  artifact: string | null
  deployedAt: number
  url: string | null
  previousId: string | null
  isRollback: boolean
  failed: boolean
  /** Why failed: `incident:<incident id>` (explicit link), `window:<incident id>`, `rollback:<deployment id>`. */
  failureCauses: string[]
  rework: boolean
  /** `rollback` when it is one; `open-incident:<id>` for each incident open at deployedAt. */
  reworkCauses: string[]
  recoveredAt: number | null
  recoverySeconds: number | null
  changeCount: number
  /** Incidents linked (explicitly) or attributed (window) to it. */
  incidentIds: string[]
  /** §18: the correction that set `failed`, or null. */
  correction: CorrectionNote | null
}

/** METRICS.md §16: who made a change. */
export const AUTHOR_CLASSES = ['bot', 'ai_assisted', 'human'] as const
export type AuthorClass = (typeof AUTHOR_CLASSES)[number]

export interface ChangeRecord {
  service: string
  team: string
  deploymentId: string
  deployedAt: number
  repo: string
  sha: string
  committedAt: number
  leadTimeSeconds: number
  message: string
  url: string | null
  author: string | null
  /** §16 author class, by the configured rules. */
  authorClass: AuthorClass
  /** false when `metrics.excludeBots` leaves this (bot) change out of lead time. */
  inLeadTime: boolean
}

export interface PullRequestRecord {
  service: string
  team: string
  repo: string
  number: number
  title: string
  url: string | null
  createdAt: number
  mergedAt: number
  mergeCommitSha: string | null
  deploymentId: string | null
  deployedAt: number | null
  openedToMergedSeconds: number
  mergedToDeployedSeconds: number | null
  openedToDeployedSeconds: number | null
}

export interface FailedAttemptRecord {
  id: string
  service: string
  team: string
  deploymentId: string
  environment: string
  state: string
  at: number
}

export interface IncidentRecord {
  id: string // pagerduty:<data.id> | github:<repo>#<number> | generic:<id> | cdevents:<id>
  service: string
  team: string
  origin: Origin
  title: string
  url: string | null
  startedAt: number
  acknowledgedAt: number | null
  resolvedAt: number | null
  restoreSeconds: number | null
  acknowledgeSeconds: number | null
  urgency: string | null
  priority: string | null
  status: 'open' | 'resolved'
  reopenCount: number
  /** explicit: text/field names a deployed sha; window: attribution window; none. */
  linkKind: 'explicit' | 'window' | 'none'
  deploymentIds: string[]
  /** §18: the correction or nonChangeIncidents rule that decided its links, or null. */
  correction: CorrectionNote | null
}

export interface IncidentEventRecord {
  incidentId: string
  service: string
  team: string
  transition: string
  at: number
  agent: string | null
  detail: string | null
}

export interface Projection {
  deployments: DeploymentRecord[]
  changes: ChangeRecord[]
  pullRequests: PullRequestRecord[]
  failedAttempts: FailedAttemptRecord[]
  incidents: IncidentRecord[]
  incidentEvents: IncidentEventRecord[]
}
