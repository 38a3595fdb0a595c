/**
 * One fact, however it arrives (METRICS.md §10). A webhook and an imported
 * record about the same deployment status, pull request or commit already share
 * a key. Incident changes cannot: a PagerDuty webhook's id is not its log
 * entry's id, and an issue webhook is a snapshot where the API gives events.
 * Their natural identity is (incident, transition, instant to the second —
 * PagerDuty's log entries carry seconds where its webhooks carry milliseconds):
 * when a webhook and an imported record share one, the webhook (the richer
 * snapshot) stands for both. Two webhooks never collapse here: they are
 * distinct deliveries, even within one second.
 */
import type { IncidentTransitioned, IssueChanged } from '../../contracts/events.ts'
import { parseInstant } from '../../contracts/instant.ts'

function outranked<T extends { imported?: true }>(events: T[], identity: (e: T) => string): T[] {
  const byWebhook = new Set(events.filter((e) => !e.imported).map(identity))
  return events.filter((e) => !e.imported || !byWebhook.has(identity(e)))
}

/** The instant an issue change happened, as the incident timeline reads it (incidents.ts). */
const issueInstant = (e: IssueChanged): string => (e.action === 'closed' && e.closedAt ? e.closedAt : e.action === 'opened' ? e.createdAt : e.updatedAt)

const second = (t: string): number => Math.floor(parseInstant(t) / 1000)

export const collapseIssueChanges = (events: IssueChanged[]): IssueChanged[] =>
  outranked(events, (e) => `${e.origin}:${e.issueId}|${e.action}|${second(issueInstant(e))}`)

export const collapseTransitions = (events: IncidentTransitioned[]): IncidentTransitioned[] =>
  outranked(events, (e) => `${e.origin}:${e.incidentId}|${e.transition}|${second(e.at)}`)
