/**
 * PagerDuty V3 webhooks → IncidentTransitioned. Body: {event: {id, event_type,
 * resource_type, occurred_at, agent, client, data}}, one event per request.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type IncidentTransition, type IncidentTransitioned, type ParseOutcome } from '../../contracts/events.ts'
import { at, guard, has, isObj, obj, optNonEmpty, optStr, optTime, parseJson, posInt, str, time } from '../fields.ts'

const KNOWN: readonly IncidentTransition[] = [
  'triggered', 'acknowledged', 'unacknowledged', 'escalated', 'reassigned',
  'delegated', 'priority_updated', 'annotated', 'resolved', 'reopened',
]

/** `incident.<suffix>`; other incident events (responder.added, workflow.*…) stay on the timeline as `updated`. */
function transitionOf(eventType: string): IncidentTransition {
  const suffix = eventType.slice('incident.'.length)
  return (KNOWN as readonly string[]).includes(suffix) ? (suffix as IncidentTransition) : 'updated'
}

export function parsePagerduty(env: Envelope): ParseOutcome {
  return guard('pagerduty', () => {
    const body = parseJson(env.data)
    obj(body, 'event')
    str(body, 'event.id') // every V3 event has one: a body without it is not PagerDuty's
    const eventType = str(body, 'event.event_type')
    if (!eventType.startsWith('incident.')) return drop(`pagerduty ${eventType} is not an incident event`, 'not_used_by_metrics')
    const data = obj(body, 'event.data')
    const transition = transitionOf(eventType)
    const when = time(body, 'event.occurred_at')
    const base = {
      type: 'IncidentTransitioned' as const,
      // What happened to which incident when: the webhook's event and the REST API's log entry of it agree on these, not on ids.
      key: `incident:pagerduty:${incidentIdOf(body)}:${transition}:${when}`,
      origin: 'pagerduty' as const,
      team: null,
      transition,
      at: when,
      links: [],
      agent: optStr(body, 'event.agent.summary'),
    }
    // Most incident.* events carry the incident itself; notes (annotated), responder
    // requests, status updates… carry their own object with a reference in data.incident.
    if (data['type'] !== 'incident' && isObj(data['incident'])) return reference(eventType, body, base)
    const serviceRef = str(body, 'event.data.service.id')
    const event: IncidentTransitioned = {
      ...base,
      routing: `pagerduty:${serviceRef}`,
      incidentId: str(body, 'event.data.id'),
      serviceRef,
      serviceName: optStr(body, 'event.data.service.summary') ?? serviceRef,
      createdAt: optTime(body, 'event.data.created_at'), // absent on pre-2022 payloads: the processor falls back to triggered
      title: optStr(body, 'event.data.title'),
      text: optStr(body, 'event.data.description') ?? optStr(body, 'event.data.body.details'),
      // undefined = this event does not carry it, so it cannot overwrite a known value.
      urgency: has(body, 'event.data.urgency') ? optStr(body, 'event.data.urgency') : undefined,
      priority: !has(body, 'event.data.priority') ? undefined : at(body, 'event.data.priority') === null ? null : str(body, 'event.data.priority.summary'),
      number: at(body, 'event.data.number') == null ? null : posInt(body, 'event.data.number'),
      url: optNonEmpty(body, 'event.data.html_url'),
    }
    return ok([event])
  })
}

/** The incident an event is about: its data, or the incident its data references (notes, status updates). */
function incidentIdOf(body: unknown): string {
  const data = at(body, 'event.data')
  return isObj(data) && data['type'] !== 'incident' && isObj(data['incident']) ? str(body, 'event.data.incident.id') : str(body, 'event.data.id')
}

type Base = Omit<IncidentTransitioned, 'routing' | 'incidentId' | 'serviceRef' | 'serviceName' | 'createdAt' | 'title' | 'text' | 'urgency' | 'priority' | 'number' | 'url'>

/**
 * An event whose data only references the incident. Its service is not in the
 * payload (an incident reference has id and summary only); without it we cannot
 * route the event, so it is dropped unless a service is present after all.
 */
function reference(eventType: string, body: unknown, base: Base): ParseOutcome {
  const incidentId = str(body, 'event.data.incident.id')
  const service = isObj(at(body, 'event.data.service')) ? 'service' : isObj(at(body, 'event.data.incident.service')) ? 'incident.service' : null
  if (service === null) return drop(`pagerduty ${eventType} on incident ${incidentId}: the payload names no service to route it to`, 'no_service_to_route')
  const serviceRef = str(body, `event.data.${service}.id`)
  return ok([
    {
      ...base,
      routing: `pagerduty:${serviceRef}`,
      incidentId,
      serviceRef,
      serviceName: optStr(body, `event.data.${service}.summary`) ?? serviceRef,
      createdAt: null,
      title: optStr(body, 'event.data.incident.summary'),
      text: optStr(body, 'event.data.content') ?? optStr(body, 'event.data.message'), // note content / status update message
      urgency: undefined,
      priority: undefined,
      number: null,
      url: optNonEmpty(body, 'event.data.incident.html_url'),
    },
  ])
}
