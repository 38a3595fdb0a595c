import { z } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import { parseInstant } from '../contracts/instant.ts'
import type { CorrectionNote } from '../contracts/records.ts'
import { releaseNotesOf } from './release-records.ts'

/**
 * The records behind the figures: deployments with their changes, failure
 * causes and linked incidents; incidents with their timeline and suspected
 * deployments — so a manager can see why a number is what it is.
 */
export const isoOrDate = z.string().refine((s) => !Number.isNaN(parseInstant(s)), { message: 'must be a date (2026-07-01) or an ISO instant' })

export const recordsQuerySchema = z.object({
  from: isoOrDate.optional(),
  to: isoOrDate.optional(),
  service: z.string().max(512).optional(),
  team: z.string().max(512).optional(),
  failed: z.enum(['true', 'false']).optional(),
  status: z.enum(['open', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
})
export type RecordsQuery = z.infer<typeof recordsQuerySchema>

export const ms = (s: string | undefined, fallback: number) => (s ? parseInstant(s.length === 10 ? `${s}T00:00:00Z` : s) : fallback)

function window(q: RecordsQuery) {
  return { from: ms(q.from, 0), to: ms(q.to, 8_640_000_000_000) }
}

const FILTERS = `
  AND ({service:String} = '' OR service = {service:String})
  AND ({team:String} = '' OR team = {team:String})`

const iso = (col: string) => `if(isNull(${col}), NULL, formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC'))`
// formatDateTime %f prints microseconds for DateTime64(3): cut to milliseconds.
export const isoMs = (col: string) => `if(isNull(${col}), NULL, concat(substring(formatDateTime(${col}, '%Y-%m-%dT%H:%i:%S.%f', 'UTC'), 1, 23), 'Z'))`
void iso

/** §18: the correction column holds the note as JSON (the projection wrote it), or NULL. */
const correctionOf = (v: unknown): CorrectionNote | null => (typeof v === 'string' && v !== '' ? (JSON.parse(v) as CorrectionNote) : null)

export async function listDeployments(db: Db, q: RecordsQuery) {
  const { from, to } = window(q)
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, service, team, origin, repo, environment, version, sha, artifact,
            ${isoMs('deployed_at')} AS deployedAt, url, previous_id AS previousId,
            is_rollback = 1 AS isRollback, failed = 1 AS failed, failure_causes AS failureCauses,
            rework = 1 AS rework, rework_causes AS reworkCauses, ${isoMs('recovered_at')} AS recoveredAt,
            recovery_seconds AS recoverySeconds, change_count AS changeCount, incident_ids AS incidentIds, correction
       FROM deployments
      WHERE deployed_at >= fromUnixTimestamp64Milli({from:Int64}) AND deployed_at < fromUnixTimestamp64Milli({to:Int64})
        ${FILTERS}
        AND ({failed:String} = '' OR failed = ({failed:String} = 'true'))
      ORDER BY deployed_at DESC, id
      LIMIT {limit:UInt32}`,
    { from, to, service: q.service ?? '', team: q.team ?? '', failed: q.failed ?? '', limit: q.limit },
  )
  const ids = rows.map((r) => String(r.id))
  const changes = ids.length
    ? await db.query<Record<string, unknown>>(
        `SELECT deployment_id AS deploymentId, repo, sha, ${isoMs('committed_at')} AS committedAt, lead_time_seconds AS leadTimeSeconds, message, url, author, author_class AS authorClass
           FROM changes WHERE deployment_id IN {ids:Array(String)} ORDER BY committed_at, sha`,
        { ids },
      )
    : []
  const byDeployment = new Map<string, Record<string, unknown>[]>()
  for (const c of changes) {
    const k = String(c.deploymentId)
    byDeployment.set(k, [...(byDeployment.get(k) ?? []), c])
  }
  const notes = await releaseNotesOf(db, ids)
  return rows.map((r) => ({ ...r, isRollback: !!r.isRollback, failed: !!r.failed, rework: !!r.rework, correction: correctionOf(r.correction), changes: byDeployment.get(String(r.id)) ?? [], ...notes.get(String(r.id)) }))
}

export async function listIncidents(db: Db, q: RecordsQuery) {
  const { from, to } = window(q)
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, service, team, origin, title, url, ${isoMs('started_at')} AS startedAt, ${isoMs('acknowledged_at')} AS acknowledgedAt,
            ${isoMs('resolved_at')} AS resolvedAt, restore_seconds AS restoreSeconds, acknowledge_seconds AS acknowledgeSeconds,
            urgency, priority, status, reopen_count AS reopenCount, link_kind AS linkKind, deployment_ids AS deploymentIds, correction
       FROM incidents
      WHERE started_at >= fromUnixTimestamp64Milli({from:Int64}) AND started_at < fromUnixTimestamp64Milli({to:Int64})
        ${FILTERS}
        AND ({status:String} = '' OR status = {status:String})
      ORDER BY started_at DESC, id
      LIMIT {limit:UInt32}`,
    { from, to, service: q.service ?? '', team: q.team ?? '', status: q.status ?? '', limit: q.limit },
  )
  const ids = rows.map((r) => String(r.id))
  const events = ids.length
    ? await db.query<Record<string, unknown>>(
        `SELECT incident_id AS incidentId, transition, ${isoMs('at')} AS at, agent, detail FROM incident_events WHERE incident_id IN {ids:Array(String)} ORDER BY at, transition`,
        { ids },
      )
    : []
  const byIncident = new Map<string, Record<string, unknown>[]>()
  for (const e of events) {
    const k = String(e.incidentId)
    const { incidentId: _drop, ...rest } = e
    byIncident.set(k, [...(byIncident.get(k) ?? []), rest])
  }
  return rows.map((r) => ({ ...r, correction: correctionOf(r.correction), timeline: byIncident.get(String(r.id)) ?? [] }))
}
