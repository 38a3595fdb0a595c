/**
 * incident.io webhooks → IncidentTransitioned (§4). Body: `{"event_type": E, E: payload}`.
 *
 * - `public_incident.incident_created_v2`: the incident → `triggered` at `created_at`
 *   (and `acknowledged` then too when it is declared straight into a live status);
 * - `public_incident.incident_status_updated_v2`: `{incident, previous_status, new_status}` →
 *   the transition the status categories say, at the incident's `updated_at`;
 * - `public_incident.incident_updated_v2`: a snapshot → `updated` (title, severity, service
 *   stay current; no state change is read from a snapshot, whose categories repeat on every edit).
 * Private incidents carry only an id and test/tutorial incidents are not incidents: dropped.
 */
import type { Envelope } from '../../contracts/envelope.ts'
import { drop, ok, type IncidentTransition, type IncidentTransitioned, type ParseOutcome } from '../../contracts/events.ts'
import { arr, at, BadField, guard, isObj, obj, optNonEmpty, optStr, parseJson, str, time } from '../fields.ts'

/** Impact over: the incident is resolved (learning = post-incident, closed). */
const RESOLVED = new Set(['learning', 'closed'])
/** Not an incident after all, or folded into another: it stops being open (DECISIONS.md). */
const WITHDRAWN = new Set(['declined', 'merged', 'canceled'])
const OPEN = new Set(['triage', 'live', 'paused'])

/** The custom field that names the affected service (catalog, option or text field). */
const SERVICE_FIELD = /^(affected )?services?$/i
/** Where no service field is filled in: an implied service of this name (team unassigned). */
export const UNMAPPED_SERVICE = 'incident.io'

function categoryOf(root: unknown, path: string): string {
  return str(root, `${path}.category`).toLowerCase()
}

/** previous → new category: the §4 state change, or null when the state did not change. */
export function statusTransition(previous: string, next: string): IncidentTransition | null {
  const wasOver = RESOLVED.has(previous) || WITHDRAWN.has(previous)
  if (RESOLVED.has(next) || WITHDRAWN.has(next)) return wasOver ? null : 'resolved'
  if (!OPEN.has(next)) throw new BadField(`new_status.category ${JSON.stringify(next)} is not one incident.io documents`)
  if (wasOver) return 'reopened'
  return next === 'live' && previous !== 'live' ? 'acknowledged' : null
}

/** The affected service: the first value of the first custom field named like one. */
export function serviceOf(incident: unknown): string | null {
  if (at(incident, 'custom_field_entries') == null) return null
  const entries = arr(incident, 'custom_field_entries')
  for (let i = 0; i < entries.length; i++) {
    const name = optStr(incident, `custom_field_entries.${i}.custom_field.name`)
    if (!name || !SERVICE_FIELD.test(name.trim())) continue
    const v = `custom_field_entries.${i}.values.0`
    const value = optNonEmpty(incident, `${v}.value_catalog_entry.name`) ?? optNonEmpty(incident, `${v}.value_option.value`) ?? optNonEmpty(incident, `${v}.value_text`)
    if (value) return value.trim()
  }
  return null
}

function referenceNumber(incident: unknown): number | null {
  const m = /-(\d+)$/.exec(optStr(incident, 'reference') ?? '')
  return m ? Number(m[1]) : null
}

export function parseIncidentio(env: Envelope): ParseOutcome {
  return guard('incidentio', () => {
    const body = parseJson(env.data)
    if (!isObj(body)) throw new BadField('body must be a JSON object', 'bad_json')
    const eventType = str(body, 'event_type')
    if (!isObj(body[eventType])) throw new BadField(`the body has no "${eventType}" object (event_type names the key of the payload)`)
    const payload = body[eventType]
    switch (eventType) {
      case 'public_incident.incident_created_v2':
        return incidentEvents(eventType, payload, null)
      case 'public_incident.incident_updated_v2':
        return incidentEvents(eventType, payload, null)
      case 'public_incident.incident_status_updated_v2': {
        obj(payload, 'incident')
        return incidentEvents(eventType, payload['incident'], statusTransition(categoryOf(payload, 'previous_status'), categoryOf(payload, 'new_status')))
      }
      default:
        return drop(`incident.io ${eventType} is not used by the metrics${eventType.startsWith('private_') ? ' (private incidents carry only an id)' : ''}`, 'not_used_by_metrics')
    }
  })
}

function incidentEvents(eventType: string, incident: unknown, statusChange: IncidentTransition | null): ParseOutcome {
  const id = str(incident, 'id')
  const mode = optStr(incident, 'mode') ?? 'standard'
  if (mode === 'test' || mode === 'tutorial') return drop(`incident.io incident ${id} is a ${mode} incident`, 'not_used_by_metrics')
  const createdAt = time(incident, 'created_at')
  const updatedAt = time(incident, 'updated_at')
  const service = serviceOf(incident)
  const serviceName = service ?? UNMAPPED_SERVICE
  const base: Omit<IncidentTransitioned, 'key' | 'transition' | 'at'> = {
    type: 'IncidentTransitioned',
    routing: `incidentio:${serviceName.toLowerCase()}`,
    origin: 'incidentio',
    incidentId: id,
    serviceRef: serviceName.toLowerCase(),
    serviceName,
    team: null,
    createdAt,
    title: optStr(incident, 'name'),
    text: optStr(incident, 'summary'),
    urgency: undefined,
    // incident.io's severity (Minor, Major, Critical… ranked by the workspace) is the incident's priority.
    priority: at(incident, 'severity') === null ? null : at(incident, 'severity') === undefined ? undefined : str(incident, 'severity.name'),
    links: [],
    number: referenceNumber(incident),
    url: optNonEmpty(incident, 'permalink'),
    agent: null,
  }
  const event = (transition: IncidentTransition, when: string): IncidentTransitioned => ({ ...base, key: `incident:incidentio:${id}:${transition}:${when}`, transition, at: when })
  if (eventType === 'public_incident.incident_created_v2') {
    const live = categoryOf(incident, 'incident_status') === 'live'
    return ok(live ? [event('triggered', createdAt), event('acknowledged', createdAt)] : [event('triggered', createdAt)])
  }
  return ok([event(statusChange ?? 'updated', updatedAt)])
}
