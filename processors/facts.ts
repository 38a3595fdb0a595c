import type { DomainEvent } from '../contracts/events.ts'
import { assertNever } from '../contracts/events.ts'
import { chTime } from '../clickhouse/client.ts'
import { parseInstant } from '../contracts/instant.ts'

/**
 * The entity a fact is about, named by what it is (not by who reported it):
 * `deployment:<origin>:<id>`, `incident:<incident id>` (the id the incidents
 * table shows, labelled issues included). Facts of one entity may arrive under
 * several routings (an incident moved to another PagerDuty service); the
 * processor loads all of an entity's facts together.
 */
export function entityOf(e: DomainEvent): string {
  switch (e.type) {
    case 'DeploymentReported':
      return `deployment:${e.origin}:${e.deploymentId}`
    case 'IncidentTransitioned':
      return `incident:${e.origin}:${e.incidentId}`
    case 'IssueChanged':
      return `incident:${e.origin}:${e.issueId}`
    case 'CommitsPushed':
    case 'CommitListed':
    case 'ChangeMerged':
      return e.key
    case 'AnnotationAdded':
    case 'AnnotationRemoved':
      return `annotation:${e.id}`
    case 'CorrectionRecorded':
      return `correction:${e.id}`
    case 'FlagChanged':
      return `flag:${e.provider}:${e.environment}:${e.flag}`
    case 'RolloutStepReported':
      return `${e.origin}-rollout:${e.rollout}`
    default:
      return assertNever(e)
  }
}

/** The time a fact is filed under (informational: the projection reads the body). */
function timeOf(e: DomainEvent): string {
  switch (e.type) {
    case 'DeploymentReported':
    case 'IncidentTransitioned':
      return e.at
    case 'IssueChanged':
      return e.updatedAt
    case 'CommitsPushed':
      return e.pushedAt ?? '1970-01-01T00:00:00Z'
    case 'CommitListed':
      return e.committedAt
    case 'ChangeMerged':
      return e.mergedAt
    case 'AnnotationAdded':
    case 'AnnotationRemoved':
    case 'CorrectionRecorded':
    case 'RolloutStepReported':
      return e.at
    case 'FlagChanged':
      return e.changedAt
    default:
      return assertNever(e)
  }
}

export interface FactRow {
  key: string
  routing: string
  entity: string
  type: string
  at: string
  body: string
  envelope_id: string
  log_offset: number
}

export function factRow(e: DomainEvent, envelopeId: string, offset: number): FactRow {
  const t = parseInstant(timeOf(e))
  return {
    key: e.key,
    routing: e.routing,
    entity: entityOf(e),
    type: e.type,
    at: chTime(Number.isNaN(t) ? 0 : t),
    body: JSON.stringify(e),
    envelope_id: envelopeId,
    log_offset: offset,
  }
}
