/** CDEvents (POST /events), bare or inside a structured CloudEvent: service.deployed/upgraded/rolledback, incident.detected/reported/resolved. */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type DeploymentReported, type IncidentTransitioned, type ParseOutcome } from '../../contracts/events.ts'
import { at, BadField, guard, isObj, optStr, parseJson, str, time } from '../fields.ts'

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
      throw err instanceof BadField ? new BadField(`data.${err.message}`, err.code) : err
    }
  })
}

function cdevent(cd: unknown): ParseOutcome {
  if (!isObj(cd)) throw new BadField('CDEvent must be a JSON object', 'bad_json')
  const type = str(cd, 'context.type')
  const id = str(cd, 'context.id')
  // The type is in the identity: the spec's own conformance files reuse one context.id
  // for incident.detected and incident.resolved; two facts must not collapse.
  const reportId = `cdevents:${id}:${type}`
  const kind = /^dev\.cdevents\.([a-z]+\.[a-z]+)\./.exec(type)?.[1]
  switch (kind) {
    case 'service.deployed':
    case 'service.upgraded':
    case 'service.rolledback': {
      const service = str(cd, 'subject.id')
      const artifact = optStr(cd, 'subject.content.artifactId')
      const custom = at(cd, 'customData')
      const event: DeploymentReported = {
        type: 'DeploymentReported',
        key: `deployment:cdevents:${id}:${reportId}`,
        routing: `named:${service}`,
        origin: 'cdevents',
        // Each CDEvent is its own deployment: the spec gives a deployment no identity of its own.
        deploymentId: id,
        reportId,
        serviceName: service,
        team: null,
        repo: null,
        environment: str(cd, 'subject.content.environment.id'),
        productionEnvironment: null,
        sha: shaIn(artifact, custom === undefined ? null : JSON.stringify(custom)),
        artifact,
        at: time(cd, 'context.timestamp'),
        // CDEvents has no failed-deployment event: deployed/upgraded/rolledback report a success.
        status: 'success',
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
        key: `incident:cdevents:${str(cd, 'subject.id')}:${kind}:${when}`,
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
      return drop(`cdevents ${type} is not used by the metrics`, 'not_used_by_metrics')
  }
}
