/** Deployments and incidents from other tools (POST /events) in doraflow's own JSON (sources/events/generic-schema.ts). */
import type { Envelope } from '../../contracts/envelope.ts'
import { assertNever, ok, type DeploymentReported, type IncidentTransition, type IncidentTransitioned, type ParseOutcome } from '../../contracts/events.ts'
import { genericEventSchema, type GenericDeployment, type GenericIncident } from './generic-schema.ts'
import { BadField, guard, parseJson, zodCode } from '../fields.ts'
import { genericFlag, genericRollout } from './parse-release.ts'

export function parseGeneric(env: Envelope): ParseOutcome {
  return guard('generic', () => {
    const parsed = genericEventSchema.safeParse(parseJson(env.data))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path.length ? issue.path.join('.') : 'body'
      throw new BadField(`${field}: ${issue?.message ?? 'invalid'}`, zodCode(issue))
    }
    const e = parsed.data
    switch (e.kind) {
      case 'deployment':
        return ok([genericDeployment(e, env.id)])
      case 'incident':
        return ok([genericIncident(e)])
      // Flag changes and rollout steps (METRICS.md §12, §15): identified by their `id`.
      case 'flag':
        return ok([genericFlag(e, `flag:generic:${e.id}`)])
      case 'rollout':
        return ok([genericRollout(e, `rollout:generic:${e.id}`)])
      default:
        return assertNever(e)
    }
  })
}

/**
 * A report is named by its envelope id (`deployment:<id>:<status>`, or the
 * sender's eventId): two reports the sender tells apart stay two failed attempts.
 */
function genericDeployment(e: GenericDeployment, envelopeId: string): DeploymentReported {
  const reportId = `generic:${envelopeId}`
  return {
    type: 'DeploymentReported',
    key: `deployment:generic:${e.id}:${reportId}`,
    routing: `named:${e.service}`,
    origin: 'generic',
    deploymentId: e.id,
    reportId,
    serviceName: e.service,
    team: e.team ?? null,
    repo: null,
    environment: e.environment,
    productionEnvironment: null,
    sha: e.sha?.toLowerCase() ?? null,
    artifact: e.artifact ?? null,
    at: e.deployedAt,
    // failure / error: a failed attempt (METRICS.md §2), never a deployment; recorded as `failure`.
    status: e.status === 'success' ? 'success' : 'failure',
    rollback: e.rollback,
    url: e.url ?? null,
  }
}

const GENERIC_TRANSITION: Record<GenericIncident['status'], IncidentTransition> = {
  detected: 'triggered',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  reopened: 'reopened',
}

function genericIncident(e: GenericIncident): IncidentTransitioned {
  return {
    type: 'IncidentTransitioned',
    // What happened to which incident when, in the sender's words.
    key: `incident:generic:${e.id}:${e.status}:${e.at}`,
    routing: `named:${e.service}`,
    origin: 'generic',
    incidentId: e.id,
    serviceRef: e.service,
    serviceName: e.service,
    team: e.team ?? null,
    transition: GENERIC_TRANSITION[e.status],
    at: e.at,
    createdAt: e.startedAt ?? (e.status === 'detected' ? e.at : null),
    title: e.title ?? null,
    text: e.description ?? null,
    urgency: e.urgency, // undefined when absent: this event does not carry it
    priority: e.priority,
    links: [e.sha, e.artifact].filter((x): x is string => x !== undefined),
    number: null,
    url: e.url ?? null,
    agent: null,
  }
}
