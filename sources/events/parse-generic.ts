/** Deployments and incidents from other tools (POST /events) in doraflow's own JSON (sources/events/generic-schema.ts). */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type ExternalDeploymentReported, type IncidentTransition, type IncidentTransitioned, type ParseOutcome } from '../../contracts/events.ts'
import { genericEventSchema, type GenericDeployment, type GenericIncident } from './generic-schema.ts'
import { at, BadField, guard, isObj, optStr, parseJson, str, time } from '../fields.ts'

export function parseGeneric(env: Envelope): ParseOutcome {
  return guard('generic', () => {
    const parsed = genericEventSchema.safeParse(parseJson(env.data))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path.length ? issue.path.join('.') : 'body'
      throw new BadField(`${field}: ${issue?.message ?? 'invalid'}`)
    }
    const e = parsed.data
    const key = `generic:${env.id}`
    return ok([e.kind === 'deployment' ? genericDeployment(e, key) : genericIncident(e, key)])
  })
}

function genericDeployment(e: GenericDeployment, key: string): ExternalDeploymentReported {
  return {
    type: 'ExternalDeploymentReported',
    key,
    routing: `named:${e.service}`,
    origin: 'generic',
    id: e.id,
    service: e.service,
    team: e.team ?? null,
    environment: e.environment,
    sha: e.sha ?? null,
    artifact: e.artifact ?? null,
    at: e.deployedAt,
    // failure / error: a failed attempt (METRICS.md §2), never a deployment.
    succeeded: e.status === 'success',
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

function genericIncident(e: GenericIncident, key: string): IncidentTransitioned {
  return {
    type: 'IncidentTransitioned',
    key,
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
