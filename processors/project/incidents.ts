import type { IncidentTransitioned, IssueChanged } from '../../contracts/events.ts'
import type { IncidentEventRecord, IncidentRecord } from '../../contracts/records.ts'
import type { ServiceDirectory, ServiceInfo } from './services.ts'
import { byTimeThenKey, ms } from './time.ts'

/** An incident before failure analysis (§4): the record's own fields, its service, and what §5 links by. */
export interface IncidentDraft extends Pick<IncidentRecord, 'id' | 'origin' | 'title' | 'url' | 'startedAt' | 'acknowledgedAt' | 'resolvedAt' | 'urgency' | 'priority' | 'reopenCount'> {
  service: ServiceInfo
  /** The text searched for deployed shas (§5 rule 1). */
  text: string
  /** Shas or artifacts named in a field of their own (generic/CDEvents). */
  links: string[]
  /** GitHub issues: the labels of the latest snapshot (§18 nonChangeIncidents.labels). */
  labels?: string[]
  timeline: Omit<IncidentEventRecord, 'service' | 'team'>[]
}

function groupBy<T>(xs: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>()
  for (const x of xs) {
    const k = key(x)
    const list = m.get(k)
    if (list) list.push(x)
    else m.set(k, [x])
  }
  return m
}

const latest = <T>(xs: T[]): T | undefined => xs[xs.length - 1]

/**
 * Resolution per §4: the latest `resolved` counts unless a `reopened`
 * occurred after it; then the incident is open.
 */
function resolution(events: { transition: string; at: number }[]): number | null {
  let resolvedAt: number | null = null
  for (const e of events) if (e.transition === 'resolved' && (resolvedAt === null || e.at > resolvedAt)) resolvedAt = e.at
  if (resolvedAt === null) return null
  return events.some((e) => e.transition === 'reopened' && e.at > resolvedAt!) ? null : resolvedAt
}

/** Incidents from incident tools, our JSON and CDEvents: one per incident id and origin. */
export function transitionIncidents(events: IncidentTransitioned[], dir: ServiceDirectory): IncidentDraft[] {
  const groups = groupBy(events, (e) => `${e.origin}:${e.incidentId}`)
  const out: IncidentDraft[] = []
  for (const [id, group] of groups) {
    const evs = [...group].sort(byTimeThenKey<IncidentTransitioned>((e) => ms(e.at)))
    const last = latest(evs)!
    // An incident moved between services belongs to where its latest event says it is.
    const service = dir.forRouting(last.routing, last.serviceName, last.team)[0]!
    const created = evs.filter((e) => e.createdAt).map((e) => ms(e.createdAt!))
    const triggered = evs.filter((e) => e.transition === 'triggered').map((e) => ms(e.at))
    // §4: data.created_at; older payloads lack it: the triggered event's occurred_at.
    // With neither (a subscription that missed the trigger), the earliest event we have.
    const startedAt = created.length ? Math.min(...created) : triggered.length ? Math.min(...triggered) : ms(evs[0]!.at)
    const acks = evs.filter((e) => e.transition === 'acknowledged').map((e) => ms(e.at))
    const withUrgency = evs.filter((e) => e.urgency !== undefined)
    const withPriority = evs.filter((e) => e.priority !== undefined)
    const timed = evs.map((e) => ({ transition: e.transition, at: ms(e.at) }))
    out.push({
      id,
      service,
      origin: last.origin,
      title: latest(evs.filter((e) => e.title))?.title ?? '',
      url: latest(evs.filter((e) => e.url))?.url ?? null,
      startedAt,
      acknowledgedAt: acks.length ? Math.min(...acks) : null,
      resolvedAt: resolution(timed),
      urgency: latest(withUrgency)?.urgency ?? null,
      priority: latest(withPriority)?.priority ?? null,
      reopenCount: evs.filter((e) => e.transition === 'reopened').length,
      // Notes (annotated) are not the incident's title or description: §5 searches those only.
      text: evs
        .filter((e) => e.transition !== 'annotated')
        .flatMap((e) => [e.title ?? '', e.text ?? ''])
        .join('\n'),
      links: [...new Set(evs.flatMap((e) => e.links))],
      timeline: evs.map((e) => ({
        incidentId: id,
        transition: e.transition,
        at: ms(e.at),
        agent: e.agent,
        detail: e.transition === 'annotated' ? e.text : e.transition === 'priority_updated' ? (e.priority ?? null) : null,
      })),
    })
  }
  return out
}

/**
 * Issues that carry an incident label at any time (§4): whole-name,
 * case-insensitive match over every snapshot we received.
 */
export function issueIncidents(events: IssueChanged[], dir: ServiceDirectory, spelling: (routing: string, fallback: string) => string): IncidentDraft[] {
  const groups = groupBy(events, (e) => `${e.origin}:${e.issueId}`)
  const out: IncidentDraft[] = []
  for (const [k, group] of groups) {
    if (!group.some((e) => e.labels.some((l) => dir.rules(e.origin).incidentLabels.has(l.toLowerCase())))) continue
    const evs = [...group].sort(byTimeThenKey<IssueChanged>((e) => ms(e.updatedAt)))
    const last = latest(evs)!
    const closes = evs.filter((e) => e.action === 'closed' && e.closedAt).map((e) => ms(e.closedAt!))
    let resolvedAt: number | null = closes.length ? Math.max(...closes) : null
    if (resolvedAt !== null) {
      const closed = resolvedAt
      // A reopen undoes the close it names (its snapshot keeps that closed_at) or any close before it.
      const reopened = evs.some((e) => e.action === 'reopened' && ((e.closedAt !== null && ms(e.closedAt) >= closed) || ms(e.updatedAt) > closed))
      if (reopened) resolvedAt = null
    }
    out.push({
      id: k,
      // The first service claiming its repository.
      service: dir.forRouting(last.routing, spelling(last.routing, last.repo))[0]!,
      origin: last.origin,
      title: last.title,
      url: last.url,
      startedAt: Math.min(...evs.map((e) => ms(e.createdAt))),
      acknowledgedAt: null,
      resolvedAt,
      urgency: null,
      priority: null,
      reopenCount: evs.filter((e) => e.action === 'reopened').length,
      text: [...new Set(evs.map((e) => e.body))].join('\n'),
      links: [],
      labels: last.labels,
      timeline: evs
        .filter((e) => ['opened', 'closed', 'reopened', 'labeled', 'unlabeled', 'assigned'].includes(e.action))
        .map((e) => ({
          incidentId: k,
          transition: e.action === 'opened' ? 'triggered' : e.action === 'closed' ? 'resolved' : e.action,
          at: ms(e.action === 'closed' && e.closedAt ? e.closedAt : e.action === 'opened' ? e.createdAt : e.updatedAt),
          agent: null,
          detail: null,
        })),
    })
  }
  return out
}
