import type { Db } from '../../clickhouse/client.ts'
import { isEnvelopeKind } from '../../sources/index.ts'
import type { Config } from '../../config/schema.ts'
import { chInstant } from '../../queries/periods.ts'

/**
 * What a post-mortem draft needs about one incident, read from the event-log
 * data in ClickHouse: the incident, its transitions (incident_events), the facts
 * it was derived from (for the description), the deployment(s) it is linked or
 * attributed to with their changes and pull requests, the service's deployments
 * around it (before it, rollbacks and fixes during it) and the service's usual
 * response times for comparison. Every value is a server-side parameter.
 */

export interface PmIncident {
  id: string
  service: string
  team: string
  origin: string
  title: string
  url: string | null
  startedAtMs: number
  acknowledgedAtMs: number | null
  resolvedAtMs: number | null
  restoreSeconds: number | null
  acknowledgeSeconds: number | null
  urgency: string | null
  priority: string | null
  status: string
  reopenCount: number
  linkKind: string
  deploymentIds: string[]
}

export interface PmEvent {
  transition: string
  atMs: number
  agent: string | null
  detail: string | null
}

export interface PmDeployment {
  id: string
  service: string
  version: string
  sha: string | null
  repo: string | null
  environment: string
  url: string | null
  deployedAtMs: number
  previousId: string | null
  isRollback: boolean
  failed: boolean
  failureCauses: string[]
  recoveredAtMs: number | null
  recoverySeconds: number | null
  changeCount: number
}

export interface PmChange {
  deploymentId: string
  repo: string
  sha: string
  message: string
  url: string | null
  author: string | null
  committedAtMs: number
  leadTimeSeconds: number
}

export interface PmPullRequest {
  deploymentId: string | null
  repo: string
  number: number
  title: string
  url: string | null
  createdAtMs: number
  mergedAtMs: number
}

export interface PostmortemData {
  incident: PmIncident
  timezone: string
  description: string | null
  events: PmEvent[]
  suspected: PmDeployment[]
  changes: PmChange[]
  pullRequests: PmPullRequest[]
  /** The service's deployments before the start: the two latest, and up to five in the attribution window (at least 24 h). */
  before: PmDeployment[]
  /** Deployments of the service from the start to the resolution (rollbacks, fixes). */
  during: PmDeployment[]
  /** Medians of the service's incidents over the 90 days before this one. */
  baseline: { incidents: number; acknowledgeMedian: number | null; restoreMedian: number | null }
  windowHours: number
  generatedAtMs: number
}

const DAY = 86_400_000
const isoMs = (col: string) => `toUnixTimestamp64Milli(${col})`
const nullableMs = (col: string) => `if(isNull(${col}), NULL, toUnixTimestamp64Milli(assumeNotNull(${col})))`
const num = (v: unknown) => Number(v ?? 0)
const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v))
const strOrNull = (v: unknown) => (v === null || v === undefined ? null : String(v))

const DEPLOYMENT_COLUMNS = `id, service, version, sha, repo, environment, url, ${isoMs('deployed_at')} AS deployedAtMs, previous_id AS previousId,
  is_rollback AS isRollback, failed, failure_causes AS failureCauses, ${nullableMs('recovered_at')} AS recoveredAtMs,
  recovery_seconds AS recoverySeconds, change_count AS changeCount`

function toDeployment(r: Record<string, unknown>): PmDeployment {
  return {
    id: String(r.id),
    service: String(r.service),
    version: String(r.version),
    sha: strOrNull(r.sha),
    repo: strOrNull(r.repo),
    environment: String(r.environment),
    url: strOrNull(r.url),
    deployedAtMs: num(r.deployedAtMs),
    previousId: strOrNull(r.previousId),
    isRollback: num(r.isRollback) === 1 || r.isRollback === true,
    failed: num(r.failed) === 1 || r.failed === true,
    failureCauses: (r.failureCauses as string[]) ?? [],
    recoveredAtMs: numOrNull(r.recoveredAtMs),
    recoverySeconds: numOrNull(r.recoverySeconds),
    changeCount: num(r.changeCount),
  }
}

/** The `facts.entity` of an incident id (processors/facts.ts entityOf); null when the id names no origin. */
export function incidentEntity(id: string): string | null {
  const origin = /^([^:]+):./.exec(id)?.[1]
  return origin !== undefined && isEnvelopeKind(origin) ? `incident:${id}` : null
}

/** null when no incident has this id. */
export async function loadPostmortem(db: Db, config: Config, id: string, now: number = Date.now()): Promise<PostmortemData | null> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, service, team, origin, title, url, ${isoMs('started_at')} AS startedAtMs, ${nullableMs('acknowledged_at')} AS acknowledgedAtMs,
            ${nullableMs('resolved_at')} AS resolvedAtMs, restore_seconds AS restoreSeconds, acknowledge_seconds AS acknowledgeSeconds,
            urgency, priority, status, reopen_count AS reopenCount, link_kind AS linkKind, deployment_ids AS deploymentIds
       FROM incidents WHERE id = {id:String} ORDER BY started_at LIMIT 1`,
    { id },
  )
  const r = rows[0]
  if (!r) return null
  const incident: PmIncident = {
    id: String(r.id),
    service: String(r.service),
    team: String(r.team),
    origin: String(r.origin),
    title: String(r.title ?? ''),
    url: strOrNull(r.url),
    startedAtMs: num(r.startedAtMs),
    acknowledgedAtMs: numOrNull(r.acknowledgedAtMs),
    resolvedAtMs: numOrNull(r.resolvedAtMs),
    restoreSeconds: numOrNull(r.restoreSeconds),
    acknowledgeSeconds: numOrNull(r.acknowledgeSeconds),
    urgency: strOrNull(r.urgency),
    priority: strOrNull(r.priority),
    status: String(r.status),
    reopenCount: num(r.reopenCount),
    linkKind: String(r.linkKind),
    deploymentIds: (r.deploymentIds as string[]) ?? [],
  }
  const svc = { service: incident.service }
  const windowHours = config.metrics.incidentAttributionWindowHours
  const lookback = Math.max(windowHours * 3_600_000, DAY)
  const duringEnd = incident.resolvedAtMs ?? Math.min(now, incident.startedAtMs + 7 * DAY)
  const entity = incidentEntity(incident.id)

  const [events, facts, suspectedRows, before, during, baseline] = await Promise.all([
    db.query<Record<string, unknown>>(
      `SELECT transition, ${isoMs('at')} AS atMs, agent, detail FROM incident_events WHERE incident_id = {id:String} ORDER BY at, transition`,
      { id },
    ),
    entity === null ? Promise.resolve([]) : db.query<{ body: string }>(`SELECT body FROM facts FINAL WHERE entity = {entity:String} ORDER BY at, key`, { entity }),
    incident.deploymentIds.length === 0
      ? Promise.resolve([])
      : db.query<Record<string, unknown>>(`SELECT ${DEPLOYMENT_COLUMNS} FROM deployments WHERE id IN {ids:Array(String)} AND service = {service:String} ORDER BY deployed_at, id`, { ids: incident.deploymentIds, ...svc }),
    db.query<Record<string, unknown>>(
      `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments
        WHERE service = {service:String} AND deployed_at <= {start:DateTime64(3, 'UTC')}
        ORDER BY deployed_at DESC, id DESC LIMIT 5`,
      { ...svc, start: chInstant(incident.startedAtMs) },
    ),
    db.query<Record<string, unknown>>(
      `SELECT ${DEPLOYMENT_COLUMNS} FROM deployments
        WHERE service = {service:String} AND deployed_at > {start:DateTime64(3, 'UTC')} AND deployed_at <= {end:DateTime64(3, 'UTC')}
        ORDER BY deployed_at, id LIMIT 20`,
      { ...svc, start: chInstant(incident.startedAtMs), end: chInstant(duringEnd) },
    ),
    db.query<Record<string, unknown>>(
      `SELECT count() AS incidents, quantileExactInclusive(0.5)(acknowledge_seconds) AS ack, quantileExactInclusive(0.5)(restore_seconds) AS restore,
              countIf(acknowledge_seconds IS NOT NULL) AS ackCount, countIf(restore_seconds IS NOT NULL) AS restoreCount
         FROM incidents
        WHERE service = {service:String} AND id != {id:String}
          AND started_at >= {since:DateTime64(3, 'UTC')} AND started_at < {start:DateTime64(3, 'UTC')}`,
      { ...svc, id, since: chInstant(incident.startedAtMs - 90 * DAY), start: chInstant(incident.startedAtMs) },
    ),
  ])
  const suspected = suspectedRows.map(toDeployment)
  const ids = suspected.map((d) => d.id)
  const [changes, prs] = ids.length
    ? await Promise.all([
        db.query<Record<string, unknown>>(
          `SELECT deployment_id AS deploymentId, repo, sha, message, url, author, ${isoMs('committed_at')} AS committedAtMs, greatest(lead_time_seconds, 0) AS leadTimeSeconds
             FROM changes WHERE deployment_id IN {ids:Array(String)} AND service = {service:String} ORDER BY committed_at, sha`,
          { ids, ...svc },
        ),
        db.query<Record<string, unknown>>(
          `SELECT deployment_id AS deploymentId, repo, number, title, url, ${isoMs('created_at')} AS createdAtMs, ${isoMs('merged_at')} AS mergedAtMs
             FROM pull_requests WHERE deployment_id IN {ids:Array(String)} AND service = {service:String} ORDER BY merged_at, number`,
          { ids, ...svc },
        ),
      ])
    : [[], []]
  const b = baseline[0] ?? {}
  return {
    incident,
    timezone: config.services.find((s) => s.name === incident.service)?.timezone ?? config.metrics.timezone,
    description: descriptionOf(facts.map((f) => f.body)),
    events: events.map((e) => ({ transition: String(e.transition), atMs: num(e.atMs), agent: strOrNull(e.agent), detail: strOrNull(e.detail) })),
    suspected,
    changes: changes.map((c) => ({
      deploymentId: String(c.deploymentId),
      repo: String(c.repo),
      sha: String(c.sha),
      message: String(c.message ?? ''),
      url: strOrNull(c.url),
      author: strOrNull(c.author),
      committedAtMs: num(c.committedAtMs),
      leadTimeSeconds: num(c.leadTimeSeconds),
    })),
    pullRequests: prs.map((p) => ({
      deploymentId: strOrNull(p.deploymentId),
      repo: String(p.repo),
      number: num(p.number),
      title: String(p.title ?? ''),
      url: strOrNull(p.url),
      createdAtMs: num(p.createdAtMs),
      mergedAtMs: num(p.mergedAtMs),
    })),
    // The two latest before the start whenever they were, and any other in the lookback (attribution window, at least 24 h).
    before: before
      .map(toDeployment)
      .filter((d, k) => k < 2 || d.deployedAtMs >= incident.startedAtMs - lookback)
      .reverse(),
    during: during.map(toDeployment),
    baseline: {
      incidents: num(b.incidents),
      acknowledgeMedian: num(b.ackCount) > 0 ? numOrNull(b.ack) : null,
      restoreMedian: num(b.restoreCount) > 0 ? numOrNull(b.restore) : null,
    },
    windowHours,
    generatedAtMs: now,
  }
}

/** The latest non-empty description the sources gave (PagerDuty description, issue body, generic text). */
function descriptionOf(bodies: string[]): string | null {
  let out: string | null = null
  for (const b of bodies) {
    try {
      const e = JSON.parse(b) as { type?: string; text?: string | null; body?: string; transition?: string }
      const t = e.type === 'IssueChanged' ? e.body : e.type === 'IncidentTransitioned' && e.transition !== 'annotated' ? e.text : null
      if (t && t.trim()) out = t.trim()
    } catch {
      // a fact body is always JSON; ignore one that is not
    }
  }
  return out
}
