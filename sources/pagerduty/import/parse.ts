/**
 * `pagerduty-api` envelopes (an incident with its log entries, read by
 * `doraflow import pagerduty`) → IncidentTransitioned, one per log entry that
 * is a state change (METRICS.md §10). A webhook about the same change (same
 * incident, transition and second) outranks it
 * (processors/project/natural.ts), so the timeline shows it once.
 */
import type { Envelope } from '../../../contracts/envelope.ts'
import { drop, ok, type IncidentTransition, type IncidentTransitioned, type ParseOutcome } from '../../../contracts/events.ts'
import { arr, at, guard, has, idStr, optNonEmpty, optStr, parseJson, posInt, str, time } from '../../../sources/fields.ts'

/** Log entry type → the webhook transition it corresponds to; the rest (notify, snooze…) are not state changes. */
const TRANSITION: Record<string, IncidentTransition> = {
  trigger_log_entry: 'triggered',
  acknowledge_log_entry: 'acknowledged',
  unacknowledge_log_entry: 'unacknowledged',
  resolve_log_entry: 'resolved',
  reopen_log_entry: 'reopened',
  escalate_log_entry: 'escalated',
  assign_log_entry: 'reassigned',
  delegate_log_entry: 'delegated',
  annotate_log_entry: 'annotated',
  priority_change_log_entry: 'priority_updated',
}

export function parsePagerdutyApi(env: Envelope): ParseOutcome {
  return guard('pagerduty-api', () => {
    const p = parseJson(env.data)
    const serviceRef = str(p, 'incident.service.id')
    const entries = arr(p, 'log_entries')
      .map((_, i) => ({ i, type: str(p, `log_entries.${i}.type`), at: time(p, `log_entries.${i}.created_at`), id: idStr(p, `log_entries.${i}.id`) }))
      .filter((e) => e.type in TRANSITION)
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.id < b.id ? -1 : 1))
    if (entries.length === 0) return drop('pagerduty-api incident without state-changing log entries', 'not_used_by_metrics')
    const base = {
      type: 'IncidentTransitioned' as const,
      routing: `pagerduty:${serviceRef}`,
      origin: 'pagerduty' as const,
      incidentId: str(p, 'incident.id'),
      serviceRef,
      serviceName: optStr(p, 'incident.service.summary') ?? serviceRef,
      team: null,
      createdAt: time(p, 'incident.created_at'),
      title: optStr(p, 'incident.title'),
      text: optStr(p, 'incident.description'),
      // The API knows the current urgency and priority only: each transition carries them.
      urgency: has(p, 'incident.urgency') ? optStr(p, 'incident.urgency') : undefined,
      priority: !has(p, 'incident.priority') ? undefined : at(p, 'incident.priority') === null ? null : str(p, 'incident.priority.summary'),
      number: at(p, 'incident.incident_number') == null ? null : posInt(p, 'incident.incident_number'),
      url: optNonEmpty(p, 'incident.html_url'),
      links: [],
      imported: true as const,
    }
    let resolved = false
    const events: IncidentTransitioned[] = entries.map((e) => {
      let transition = TRANSITION[e.type]!
      // §10: an entry that triggers the incident again after a resolve reopens it.
      if (transition === 'triggered' && resolved) transition = 'reopened'
      if (transition === 'resolved') resolved = true
      if (transition === 'reopened') resolved = false
      return {
        ...base,
        // The webhook's key is (incident, transition, occurred_at to the ms); a log entry has seconds: its own key, collapsed by natural.ts.
        key: `incident:pagerduty:${base.incidentId}:${transition}:${e.at}:log/${e.id}`,
        transition,
        at: e.at,
        agent: optStr(p, `log_entries.${e.i}.agent.summary`),
        ...(transition === 'annotated' ? { text: optStr(p, `log_entries.${e.i}.channel.summary`) } : {}),
      }
    })
    return ok(events)
  })
}
