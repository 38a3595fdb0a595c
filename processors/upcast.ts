import type { DomainEvent } from '../contracts/events.ts'
import { STABLE_KINDS } from '../sources/index.ts'

/**
 * Facts written before the domain events became source-neutral (issue 9) are
 * still in a running installation's `facts` table until its next
 * `doraflow replay`. They are read back as the events they stand for, so
 * processing goes on unchanged across the upgrade: the old key is kept (it is
 * the row's identity in `facts`), the fields are renamed. New code never
 * writes these shapes.
 */
type Old = Record<string, any>

export function upcast(e: Old): DomainEvent {
  switch (e.type) {
    case 'DeploymentStatusReported': {
      const deploymentId = `${String(e.repo).toLowerCase()}#${e.deploymentId}`
      return {
        type: 'DeploymentReported', key: e.key, routing: e.routing, origin: 'github', deploymentId, reportId: `status/${e.statusId}`,
        serviceName: e.repo, team: null, repo: e.repo, environment: e.environment, productionEnvironment: e.productionEnvironment,
        sha: String(e.sha).toLowerCase(), artifact: null, at: e.at, status: e.state, rollback: false, url: e.url,
      }
    }
    case 'ExternalDeploymentReported':
      return {
        type: 'DeploymentReported', key: e.key, routing: e.routing, origin: e.origin, deploymentId: e.id, reportId: e.key,
        serviceName: e.service, team: e.team, repo: null, environment: e.environment, productionEnvironment: null,
        sha: e.sha?.toLowerCase() ?? null, artifact: e.artifact, at: e.at, status: e.succeeded ? 'success' : 'failure', rollback: e.rollback, url: e.url,
      }
    case 'PushReceived':
      return { ...(e as DomainEvent), type: 'CommitsPushed', origin: 'github' } as DomainEvent
    case 'PullRequestMerged':
      return { ...(e as DomainEvent), type: 'ChangeMerged', origin: 'github' } as DomainEvent
    case 'IssueChanged':
      return e.origin ? (e as DomainEvent) : ({ ...e, origin: 'github', issueId: `${String(e.repo).toLowerCase()}#${e.number}` } as DomainEvent)
    default:
      return e as DomainEvent
  }
}

/** The fact types whose entity can be reported under several routings, old names included. */
export const MOVABLE_TYPES: readonly string[] = ['IncidentTransitioned', 'DeploymentReported', 'ExternalDeploymentReported']

/**
 * Whether a fact's entity may be reported under other routings too: its type
 * can move and its origin (the entity's second part, `deployment:<origin>:…`)
 * is not of a source whose entities are stable (sources/source.ts).
 */
export function isMovable(f: { type: string; entity: string }): boolean {
  return MOVABLE_TYPES.includes(f.type) && !STABLE_KINDS.has(f.entity.split(':')[1] ?? '')
}
