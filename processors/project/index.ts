import type { Config } from '../../config/schema.ts'
import { assertNever, type ChangeMerged, type CommitListed, type CommitsPushed, type CorrectionRecorded, type DeploymentReported, type DomainEvent, type IncidentTransitioned, type IssueChanged } from '../../contracts/events.ts'
import type { DeploymentRecord, IncidentRecord, Projection } from '../../contracts/records.ts'
import { changeAuthor } from './authors.ts'
import { attributeChanges, CommitGraph, pullRequestView } from './changes.ts'
import { CorrectionBook } from './corrections.ts'
import { findDeployments, orderDeployments, type DeploymentDraft } from './deployments.ts'
import { attributed, explicitLinks, findRollbacks, openIncidentsAt, recoveredAt, recoverySeconds } from './failures.ts'
import { incidentsOnly } from './incident-kinds.ts'
import { pathRulesFor, type PathRules } from './paths.ts'
import { issueIncidents, transitionIncidents, type IncidentDraft } from './incidents.ts'
import { collapseIssueChanges, collapseTransitions } from './natural.ts'
import { ServiceDirectory, type ServiceInfo } from './services.ts'
import { seconds } from './time.ts'

interface Sorted {
  deployments: DeploymentReported[]
  pushes: CommitsPushed[]
  commits: CommitListed[]
  prs: ChangeMerged[]
  issues: IssueChanged[]
  transitions: IncidentTransitioned[]
  corrections: CorrectionRecorded[]
}

/** Duplicates collapse by key; sorting by key removes any trace of arrival order. */
function sortEvents(events: DomainEvent[]): Sorted {
  const unique = new Map<string, DomainEvent>()
  for (const e of events) if (!unique.has(e.key)) unique.set(e.key, e)
  const keys = [...unique.keys()].sort()
  const s: Sorted = { deployments: [], pushes: [], commits: [], prs: [], issues: [], transitions: [], corrections: [] }
  for (const k of keys) {
    const e = unique.get(k)!
    switch (e.type) {
      case 'DeploymentReported': s.deployments.push(e); break
      case 'CommitsPushed': s.pushes.push(e); break
      case 'CommitListed': s.commits.push(e); break
      case 'ChangeMerged': s.prs.push(e); break
      case 'IssueChanged': s.issues.push(e); break
      case 'IncidentTransitioned': s.transitions.push(e); break
      // Not a metric input; parse-batch writes annotations to their own table and never as facts.
      case 'AnnotationAdded': case 'AnnotationRemoved': break
      case 'CorrectionRecorded': s.corrections.push(e); break
      // Release-engineering inputs: projected by processors/releases/ beside this projection.
      case 'FlagChanged': case 'RolloutStepReported': break
      default: assertNever(e)
    }
  }
  s.issues = collapseIssueChanges(s.issues)
  s.transitions = collapseTransitions(s.transitions)
  return s
}

/**
 * One spelling per repository routing, whatever order events came in: the
 * smallest seen (a sender may spell `Acme/Checkout` and `acme/checkout`).
 * Routings of no repository keep the name the event gives.
 */
function repoSpellings(s: Sorted): (routing: string, fallback: string) => string {
  const m = new Map<string, string>()
  for (const e of [...s.deployments, ...s.pushes, ...s.commits, ...s.prs, ...s.issues]) {
    if (e.repo === null) continue
    const cur = m.get(e.routing)
    if (cur === undefined || e.repo < cur) m.set(e.routing, e.repo)
  }
  return (routing, fallback) => m.get(routing) ?? fallback
}

/**
 * The projection: a pure function from the SET of domain events (and the
 * config) to every derived row. The same set in any order, with any number of
 * duplicates, gives deep-equal output.
 */
export function project(events: DomainEvent[], config: Config): Projection {
  const s = sortEvents(events)
  const dir = new ServiceDirectory(config)
  const spelling = repoSpellings(s)
  const found = findDeployments(s.deployments, dir, spelling)
  const incidents = [...transitionIncidents(incidentsOnly(s.transitions, dir.rules), dir), ...issueIncidents(s.issues, dir, spelling)]
  // Every service any source implies, so that pushes and PRs land on theirs too.
  const codeServices = (e: CommitsPushed | CommitListed | ChangeMerged) => dir.forRouting(e.routing, spelling(e.routing, e.repo))
  for (const e of [...s.pushes, ...s.commits, ...s.prs]) codeServices(e)

  const services = new Map<string, ServiceInfo>()
  const deploymentsOf = new Map<string, DeploymentDraft[]>()
  const incidentsOf = new Map<string, IncidentDraft[]>()
  const add = <T>(m: Map<string, T[]>, svc: ServiceInfo, x: T) => {
    services.set(svc.name, svc)
    // Pushed in place: a copy per draft was quadratic in a service's deployments (replay at 1 M events).
    const list = m.get(svc.name)
    if (list) list.push(x)
    else m.set(svc.name, [x])
  }
  for (const d of found.deployments) add(deploymentsOf, d.service, d)
  for (const i of incidents) add(incidentsOf, i.service, i)
  for (const e of [...s.pushes, ...s.commits, ...s.prs]) for (const svc of codeServices(e)) services.set(svc.name, svc)

  const out: Projection = { deployments: [], changes: [], pullRequests: [], failedAttempts: [], incidents: [], incidentEvents: [] }
  const windowMs = config.metrics.incidentAttributionWindowHours * 3600_000
  const book = new CorrectionBook(s.corrections, config.metrics.nonChangeIncidents)
  const paths = pathRulesFor(config)
  for (const svc of [...services.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    projectService(svc, deploymentsOf.get(svc.name) ?? [], incidentsOf.get(svc.name) ?? [], s, windowMs, out, config, book, paths)
  }
  for (const f of found.failedAttempts) {
    out.failedAttempts.push({ id: f.id, service: f.service.name, team: f.service.team, deploymentId: f.deploymentId, environment: f.environment, state: f.state, at: f.at })
  }
  out.failedAttempts.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))
  return out
}

function projectService(svc: ServiceInfo, drafts: DeploymentDraft[], unordered: IncidentDraft[], s: Sorted, windowMs: number, out: Projection, config: Config, book: CorrectionBook, paths: PathRules): void {
  // By the incidents' own order, not by their events' keys: an issue known from webhooks and one
  // known from an import (different keys) must list the same way (METRICS.md §10).
  const incidents = [...unordered].sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))
  const ordered = orderDeployments(drafts)
  const rollbacks = findRollbacks(ordered)
  const graph = new CommitGraph()
  const routings = new Set(svc.routings)
  for (const p of s.pushes) if (routings.has(p.routing)) graph.add(paths.ownPush(svc.name, p))
  // Imported history (METRICS.md §10): the listed commits are push links, split by `paths` like
  // pushes (the importer reads their files where paths split the repository).
  graph.links.own = (p) => paths.ownPush(svc.name, p)
  for (const c of s.commits) if (routings.has(c.routing)) graph.links.add(c)
  if (graph.links.size) graph.links.markMainline(ordered.flatMap((d) => (d.sha ? [d.sha] : [])))
  const attributedChanges = attributeChanges(ordered, (d) => rollbacks.has(d.id), graph, svc.team, changeAuthor(config.metrics))
  out.changes.push(...attributedChanges.changes)
  const ownPr = (p: ChangeMerged) => routings.has(p.routing) && (!paths.splits(p.repo.toLowerCase()) || attributedChanges.deploymentOf.has(p.mergeCommitSha?.toLowerCase() ?? ''))
  out.pullRequests.push(...pullRequestView(s.prs.filter(ownPr), attributedChanges.deploymentOf, svc.name, svc.team))

  // §5 rules 1–2: each incident links explicitly, or else by the attribution window.
  const incidentsByDeployment = new Map<string, IncidentDraft[]>()
  const causes = new Map<string, string[]>(ordered.map((d) => [d.id, []]))
  const incidentRows: IncidentRecord[] = []
  for (const inc of incidents) {
    const { explicit, windowed, correction } = book.links(inc, ordered, windowMs, attributedChanges.deploymentOf)
    const linked = explicit.length ? explicit : windowed ? [windowed] : []
    for (const d of linked) {
      incidentsByDeployment.set(d.id, [...(incidentsByDeployment.get(d.id) ?? []), inc])
      causes.get(d.id)!.push(`${explicit.length ? 'incident' : 'window'}:${inc.id}`)
    }
    incidentRows.push({
      id: inc.id,
      service: svc.name,
      team: svc.team,
      origin: inc.origin,
      title: inc.title,
      url: inc.url,
      startedAt: inc.startedAt,
      acknowledgedAt: inc.acknowledgedAt,
      resolvedAt: inc.resolvedAt,
      restoreSeconds: inc.resolvedAt === null ? null : seconds(inc.startedAt, inc.resolvedAt),
      acknowledgeSeconds: inc.acknowledgedAt === null ? null : seconds(inc.startedAt, inc.acknowledgedAt),
      urgency: inc.urgency,
      priority: inc.priority,
      status: inc.resolvedAt === null ? 'open' : 'resolved',
      reopenCount: inc.reopenCount,
      linkKind: explicit.length ? 'explicit' : windowed ? 'window' : 'none',
      deploymentIds: linked.map((d) => d.id),
      correction,
    })
    for (const t of inc.timeline) out.incidentEvents.push({ ...t, service: svc.name, team: svc.team })
  }
  out.incidents.push(...incidentRows)

  // §5 rule 3 and §6 recovery.
  ordered.forEach((d, i) => {
    const next = ordered[i + 1] ?? null
    const rolledBackBy = next && rollbacks.has(next.id) ? next : null
    if (rolledBackBy) causes.get(d.id)!.push(`rollback:${rolledBackBy.id}`)
    const { failed, failureCauses, correction } = book.deploymentFailure(d.id, causes.get(d.id)!)
    const recovered = failed ? recoveredAt(rolledBackBy, incidentsByDeployment.get(d.id) ?? []) : null
    const reworkCauses = [...(rollbacks.has(d.id) ? ['rollback'] : []), ...openIncidentsAt(d.deployedAt, incidents).map((x) => `open-incident:${x.id}`)]
    const row: DeploymentRecord = {
      id: d.id,
      service: svc.name,
      team: svc.team,
      origin: d.origin,
      repo: d.repo,
      environment: d.environment,
      version: d.version,
      sha: d.sha,
      artifact: d.artifact,
      deployedAt: d.deployedAt,
      url: d.url,
      previousId: i > 0 ? ordered[i - 1]!.id : null,
      isRollback: rollbacks.has(d.id),
      failed,
      failureCauses,
      rework: reworkCauses.length > 0,
      reworkCauses,
      recoveredAt: recovered,
      recoverySeconds: failed ? recoverySeconds(d.deployedAt, recovered) : null,
      changeCount: attributedChanges.counts.get(d.id) ?? 0,
      incidentIds: (incidentsByDeployment.get(d.id) ?? []).map((x) => x.id),
      correction,
    }
    out.deployments.push(row)
  })
}
