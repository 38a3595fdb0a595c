/**
 * Deployments and incidents from other tools (POST /events): our own JSON
 * (sources/events/generic-schema.ts) and CDEvents, bare or inside a structured CloudEvent.
 */
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

/** A 40-hex git sha standing alone (not a slice of a longer sha256 digest). */
const SHA1 = /(?<![0-9a-f])[0-9a-f]{40}(?![0-9a-f])/i

function shaIn(...texts: (string | null)[]): string | null {
  for (const t of texts) {
    const m = t === null ? null : SHA1.exec(t)
    if (m) return m[0].toLowerCase()
  }
  return null
}

export function parseCdevents(env: Envelope): ParseOutcome {
  return guard('cdevents', () => {
    const body = parseJson(env.data)
    // Structured-mode CloudEvent: the CDEvent is its `data`. A bare CDEvent (binary
    // mode, or posted as is) has specversion only inside `context`.
    if (!(isObj(body) && 'specversion' in body && 'data' in body)) return cdevent(body)
    try {
      return cdevent(body['data'])
    } catch (err) {
      // Name the field as it sits in the body.
      throw err instanceof BadField ? new BadField(`data.${err.message}`) : err
    }
  })
}

function cdevent(cd: unknown): ParseOutcome {
  if (!isObj(cd)) throw new BadField('CDEvent must be a JSON object')
  const type = str(cd, 'context.type')
  const id = str(cd, 'context.id')
  // The type is in the key: the spec's own conformance files reuse one context.id
  // for incident.detected and incident.resolved; two facts must not collapse.
  const key = `cdevents:${id}:${type}`
  const kind = /^dev\.cdevents\.([a-z]+\.[a-z]+)\./.exec(type)?.[1]
  switch (kind) {
    case 'service.deployed':
    case 'service.upgraded':
    case 'service.rolledback': {
      const service = str(cd, 'subject.id')
      const artifact = optStr(cd, 'subject.content.artifactId')
      const custom = at(cd, 'customData')
      const event: ExternalDeploymentReported = {
        type: 'ExternalDeploymentReported',
        key,
        routing: `named:${service}`,
        origin: 'cdevents',
        id,
        service,
        team: null,
        environment: str(cd, 'subject.content.environment.id'),
        sha: shaIn(artifact, custom === undefined ? null : JSON.stringify(custom)),
        artifact,
        at: time(cd, 'context.timestamp'),
        // CDEvents has no failed-deployment event: deployed/upgraded/rolledback report a success.
        succeeded: true,
        rollback: kind === 'service.rolledback',
        url: null,
      }
      return ok([event])
    }
    case 'incident.detected':
    case 'incident.reported':
    case 'incident.resolved': {
      const service = str(cd, 'subject.content.service.id')
      const artifact = optStr(cd, 'subject.content.artifactId')
      const when = time(cd, 'context.timestamp')
      const triggered = kind !== 'incident.resolved'
      const event: IncidentTransitioned = {
        type: 'IncidentTransitioned',
        key,
        routing: `named:${service}`,
        origin: 'cdevents',
        // subject.id alone: the detecting tool (subject.source) and the resolving one
        // may differ, and adding the source would split one incident in two. Incidents
        // are grouped per origin and routed per named service, so clashes stay local.
        incidentId: str(cd, 'subject.id'),
        serviceRef: service,
        serviceName: service,
        team: null,
        transition: triggered ? 'triggered' : 'resolved',
        at: when,
        createdAt: triggered ? when : null,
        title: null,
        text: optStr(cd, 'subject.content.description'),
        urgency: undefined,
        priority: undefined,
        links: artifact === null ? [] : [artifact],
        number: null,
        url: null,
        agent: null,
      }
      return ok([event])
    }
    default:
      return drop(`cdevents ${type} is not used by the metrics`)
  }
}
