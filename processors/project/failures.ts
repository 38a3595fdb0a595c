import type { DeploymentDraft } from './deployments.ts'
import type { IncidentDraft } from './incidents.ts'
import { seconds } from './time.ts'

/** Rollbacks (§5 rule 3): the next deployment returns to an earlier sha, or says it is one. */
export function findRollbacks(ordered: DeploymentDraft[]): Set<string> {
  const rollbacks = new Set<string>()
  const earlier = new Set<string>() // versions deployed before D (D = ordered[i - 1])
  for (let i = 1; i < ordered.length; i++) {
    const d = ordered[i - 1]!
    const next = ordered[i]!
    if (next.declaredRollback || (next.version !== d.version && earlier.has(next.version))) rollbacks.add(next.id)
    earlier.add(d.version)
  }
  if (ordered[0]?.declaredRollback) rollbacks.add(ordered[0].id)
  return rollbacks
}

const SHA_WORD = /\b[0-9a-f]{7,40}\b/gi

/**
 * §5 rule 1: a sha written in full, or as a prefix of at least 7 hex
 * characters standing as a word, in the incident's text; or a sha/artifact in
 * a field of its own. Each sha links to the earliest deployment of the service
 * that deployed it or carries it among its changes (§3, `changeOf`: commit sha
 * → the deployment it is attributed to), so "root cause: <commit>" names the
 * deployment that shipped the commit even when it was not the deployed head.
 */
export function explicitLinks(incident: IncidentDraft, ordered: DeploymentDraft[], changeOf: ReadonlyMap<string, DeploymentDraft> = new Map()): DeploymentDraft[] {
  const linked = new Map<string, DeploymentDraft>()
  const rank = new Map(ordered.map((d, i) => [d.id, i]))
  const earliestBySha = new Map<string, DeploymentDraft>()
  const earliestByArtifact = new Map<string, DeploymentDraft>()
  const keepEarlier = (m: Map<string, DeploymentDraft>, k: string, d: DeploymentDraft) => {
    const cur = m.get(k)
    if (!cur || rank.get(d.id)! < rank.get(cur.id)!) m.set(k, d)
  }
  for (const d of ordered) {
    if (d.sha) keepEarlier(earliestBySha, d.sha, d)
    if (d.artifact && !earliestByArtifact.has(d.artifact)) earliestByArtifact.set(d.artifact, d)
  }
  for (const [sha, d] of changeOf) if (rank.has(d.id)) keepEarlier(earliestBySha, sha, d)
  const byPrefix = (token: string) => {
    const t = token.toLowerCase()
    for (const [sha, d] of earliestBySha) if (sha.startsWith(t)) linked.set(d.id, d)
  }
  for (const m of incident.text.matchAll(SHA_WORD)) byPrefix(m[0])
  for (const l of incident.links) {
    const d = earliestByArtifact.get(l)
    if (d) linked.set(d.id, d)
    if (/^[0-9a-f]{7,64}$/i.test(l)) byPrefix(l)
  }
  return [...linked.values()]
}

/** §5 rule 2: the latest deployment at or before the start, within the window (0 = off). */
export function attributed(incident: IncidentDraft, ordered: DeploymentDraft[], windowMs: number): DeploymentDraft | null {
  if (windowMs <= 0) return null
  let found: DeploymentDraft | null = null
  for (const d of ordered) {
    if (d.deployedAt > incident.startedAt) break
    found = d
  }
  return found && incident.startedAt - found.deployedAt <= windowMs ? found : null
}

/** §5 rework: an incident of the service open at deployedAt (started at or before, not resolved before it). */
export function openIncidentsAt(t: number, incidents: IncidentDraft[]): IncidentDraft[] {
  return incidents.filter((i) => i.startedAt <= t && !(i.resolvedAt !== null && i.resolvedAt < t))
}

/**
 * §6 recovery: the earliest of the rollback's deployedAt and — when every
 * incident linked or attributed to D is resolved — the latest of their
 * resolvedAt. Null when unrecovered.
 */
export function recoveredAt(rollback: DeploymentDraft | null, incidents: IncidentDraft[]): number | null {
  const candidates: number[] = []
  if (rollback) candidates.push(rollback.deployedAt)
  if (incidents.length && incidents.every((i) => i.resolvedAt !== null)) candidates.push(Math.max(...incidents.map((i) => i.resolvedAt!)))
  return candidates.length ? Math.min(...candidates) : null
}

/** Seconds from deploy to recovery; an incident closed before the deploy it names counts as 0, not negative. */
export const recoverySeconds = (deployedAt: number, recovered: number | null): number | null =>
  recovered === null ? null : Math.max(0, seconds(deployedAt, recovered))
