import type { Config } from '../../config/schema.ts'
import type { IncidentTransitioned } from '../../contracts/events.ts'

/**
 * Which GitLab and Jira issues are incidents is the configuration's call (§4, §11):
 * GitLab's incident type or a `gitlab.incidentLabels` label; Jira's `jira.issueTypes`
 * or `jira.incidentLabels`. Decided over all of an issue's events ("carries an incident
 * label at any time"), so the answer does not depend on which event arrived first.
 * Events of other sources carry no tags: incidents by their source.
 */
export function incidentsOnly(events: IncidentTransitioned[], config: Config): IncidentTransitioned[] {
  const wanted: Record<string, Set<string>> = {
    gitlab: new Set(['type:incident', ...config.gitlab.incidentLabels.map((l) => `label:${l.toLowerCase()}`)]),
    jira: new Set([...config.jira.issueTypes.map((t) => `type:${t.toLowerCase()}`), ...config.jira.incidentLabels.map((l) => `label:${l.toLowerCase()}`)]),
  }
  const incidents = new Set<string>()
  for (const e of events) {
    const want = wanted[e.origin]
    if (!e.tags || !want || e.tags.some((t) => want.has(t))) incidents.add(`${e.origin}:${e.incidentId}`)
  }
  return events.filter((e) => incidents.has(`${e.origin}:${e.incidentId}`))
}
