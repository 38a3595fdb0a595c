import { z } from 'zod'
import { DateTime } from 'luxon'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { isoMs, isoOrDate, ms } from './records.ts'

/**
 * The records behind the release figures (METRICS.md §12, §15): flag releases
 * with their full release, kill switches with the incident they answered,
 * canary attempts; and flags with their exposure and staleness at an instant.
 */
export const releasesQuerySchema = z.object({
  from: isoOrDate.optional(),
  to: isoOrDate.optional(),
  service: z.string().max(512).optional(),
  team: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
})
export type ReleasesQuery = z.infer<typeof releasesQuerySchema>

const FILTERS = `
  AND ({service:String} = '' OR service = {service:String})
  AND ({team:String} = '' OR team = {team:String})`

const params = (q: { from?: string; to?: string; service?: string; team?: string; limit: number }) => ({
  from: ms(q.from, 0),
  to: ms(q.to, 8_640_000_000_000),
  service: q.service ?? '',
  team: q.team ?? '',
  limit: q.limit,
})
const inWindow = (col: string) => `${col} >= fromUnixTimestamp64Milli({from:Int64}) AND ${col} < fromUnixTimestamp64Milli({to:Int64})`

export async function listReleases(db: Db, q: ReleasesQuery) {
  const p = params(q)
  // A release's full release is the change of the same flag whose released_at is the release's time.
  const releases = await db.query<Record<string, unknown>>(
    `SELECT r.flag AS flag, r.service AS service, r.team AS team, r.provider AS provider, r.environment AS environment,
            ${isoMs('r.changed_at')} AS releasedAt, r.exposure_after AS exposure, r.actor AS actor, r.id AS changeId,
            if(f.id = '', NULL, ${isoMs('f.changed_at')}) AS fullReleaseAt, if(f.id = '', NULL, f.rollout_seconds) AS rolloutSeconds
       FROM (SELECT * FROM flag_changes WHERE is_release = 1 AND ${inWindow('changed_at')} ${FILTERS}) AS r
       LEFT JOIN (SELECT * FROM flag_changes WHERE is_full_release = 1) AS f
         ON f.service = r.service AND f.provider = r.provider AND f.environment = r.environment AND f.flag = r.flag AND f.released_at = r.changed_at
      ORDER BY r.changed_at DESC, r.id
      LIMIT {limit:UInt32}`,
    p,
  )
  const killSwitches = await db.query<Record<string, unknown>>(
    `SELECT flag, service, team, provider, environment, ${isoMs('changed_at')} AS changedAt, exposure_before AS exposureBefore,
            kill_incident_id AS incidentId, time_to_kill_seconds AS timeToKillSeconds, actor, id AS changeId
       FROM flag_changes WHERE is_kill_switch = 1 AND ${inWindow('changed_at')} ${FILTERS}
      ORDER BY changed_at DESC, id LIMIT {limit:UInt32}`,
    p,
  )
  const rollouts = await db.query<Record<string, unknown>>(
    `SELECT id, rollout, service, team, origin, environment, ${isoMs('started_at')} AS startedAt, ${isoMs('ended_at')} AS endedAt,
            phase, max_weight AS maxWeight, canary_abort = 1 AS canaryAbort, ${isoMs('aborted_at')} AS abortedAt, sha
       FROM rollouts WHERE ${inWindow('started_at')} ${FILTERS}
      ORDER BY started_at DESC, id LIMIT {limit:UInt32}`,
    p,
  )
  return { releases, killSwitches, rollouts: rollouts.map((r) => ({ ...r, canaryAbort: !!r['canaryAbort'] })) }
}

export const flagsQuerySchema = z.object({
  /** The instant the flags are seen at (default now): exposure and staleness as of then. */
  at: isoOrDate.optional(),
  service: z.string().max(512).optional(),
  team: z.string().max(512).optional(),
  stale: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
})
export type FlagsQuery = z.infer<typeof flagsQuerySchema>

export interface FlagView {
  flag: string
  service: string
  team: string
  provider: string
  environment: string
  exposure: number
  /** When the exposure last changed (ISO). */
  since: string
  daysAtExposure: number
  stale: boolean
}

/** Flags as of `at`: each production flag's exposure from its changes before that instant (METRICS.md §12). */
export async function listFlags(db: Db, config: Config, q: FlagsQuery, now: number = Date.now()) {
  const at = ms(q.at, now)
  const rows = await db.query<{ flag: string; service: string; team: string; provider: string; environment: string; exposure: number; since: string }>(
    `SELECT flag, service, team, provider, environment,
            argMax(exposure_after, (changed_at, id)) AS exposure,
            toUnixTimestamp64Milli(argMax(changed_at, (changed_at, id))) AS since
       FROM flag_changes
      WHERE changed_at < fromUnixTimestamp64Milli({at:Int64}) AND exposure_after != exposure_before ${FILTERS}
      GROUP BY flag, service, team, provider, environment
      ORDER BY service, flag, environment, provider`,
    { at, service: q.service ?? '', team: q.team ?? '' },
  )
  const staleMs = config.metrics.staleFlagDays * 86_400_000
  const flags: FlagView[] = rows.map((r) => {
    const since = Number(r.since)
    const exposure = Number(r.exposure)
    return { flag: r.flag, service: r.service, team: r.team, provider: r.provider, environment: r.environment, exposure, since: new Date(since).toISOString(), daysAtExposure: Math.floor((at - since) / 86_400_000), stale: exposure === 100 && at - since > staleMs }
  })
  const wanted = q.stale === undefined ? flags : flags.filter((f) => f.stale === (q.stale === 'true'))
  return { at: new Date(at).toISOString(), staleFlagDays: config.metrics.staleFlagDays, flags: wanted.slice(0, q.limit) }
}

export const freezesQuerySchema = z.object({
  from: isoOrDate.optional(),
  to: isoOrDate.optional(),
})
export type FreezesQuery = z.infer<typeof freezesQuerySchema>

export interface FreezeView {
  /** `config:<name>` or `annotation:<id>` (what a deployment record names). */
  id: string
  name: string
  /** ISO instants; a config freeze's dates read in metrics.timezone (each service reads them in its own). */
  from: string
  to: string
  services: string[]
  teams: string[]
}

/** The freezes overlapping [from, to): the configured ones and the `freeze`-tagged annotations (METRICS.md §14). */
export async function listFreezes(db: Db, config: Config, q: FreezesQuery): Promise<{ freezes: FreezeView[] }> {
  const from = ms(q.from, 0)
  const to = ms(q.to, 8_640_000_000_000)
  const zone = config.metrics.timezone
  const local = (s: string) => DateTime.fromISO(s, { zone }).toMillis()
  const configured: FreezeView[] = config.freezes.map((f) => ({ id: `config:${f.name}`, name: f.name, from: new Date(local(f.from)).toISOString(), to: new Date(local(f.to)).toISOString(), services: f.services, teams: f.teams }))
  const rows = await db.query<{ id: string; text: string; at: string; end_at: string; service: string; team: string }>(
    `SELECT id, text, ${isoMs('at')} AS at, ${isoMs('end_at')} AS end_at, service, team FROM annotations FINAL
      WHERE removed = 0 AND has(tags, 'freeze') AND end_at IS NOT NULL AND end_at > at`,
  )
  const annotated: FreezeView[] = rows.map((r) => ({ id: `annotation:${r.id}`, name: r.text, from: r.at, to: r.end_at, services: r.service ? [r.service] : [], teams: r.team ? [r.team] : [] }))
  const overlapping = [...configured, ...annotated].filter((f) => Date.parse(f.from) < to && Date.parse(f.to) > from)
  return { freezes: overlapping.sort((a, b) => a.from.localeCompare(b.from) || a.id.localeCompare(b.id)) }
}
