import type { IncidentTransitioned } from '../../contracts/events.ts'
import type { OriginRules } from '../../sources/index.ts'

/**
 * Which issue-tracker issues are incidents is the configuration's call (§4, §11): an
 * incident type or label of the origin's rules (sources/<name>/index.ts `rules`: GitLab's
 * type Incident and `gitlab.incidentLabels`, Jira's `jira.issueTypes` and
 * `jira.incidentLabels`). Decided over all of an issue's events ("carries an incident label
 * at any time"), so the answer does not depend on which event arrived first. Events without
 * tags (PagerDuty, incident.io, our JSON) are incidents by their source.
 */
export function incidentsOnly(events: IncidentTransitioned[], rules: (origin: string) => OriginRules): IncidentTransitioned[] {
  const isIncident = (e: IncidentTransitioned): boolean => {
    if (!e.tags) return true
    const r = rules(e.origin)
    return e.tags.some((t) => (t.startsWith('type:') ? r.incidentTypes.has(t.slice(5)) : t.startsWith('label:') && r.incidentLabels.has(t.slice(6))))
  }
  const incidents = new Set(events.filter(isIncident).map((e) => `${e.origin}:${e.incidentId}`))
  return events.filter((e) => incidents.has(`${e.origin}:${e.incidentId}`))
}
