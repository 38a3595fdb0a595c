import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { RECOVERY_PATHS, type RecoveryPath } from '../contracts/release-records.ts'
import { chInstant, type BucketSpan, type GroupBy, type ResolvedQuery } from './periods.ts'

import { num, statsOf, type Stats } from './stats.ts'

/** The release figures every metrics row carries (METRICS.md §12–§15, "In the metrics answer"). */
export interface ReleaseFields {
  release: { releases: number; fullReleases: number; rolloutSeconds: Stats; killSwitches: number; timeToKillSeconds: Stats; staleFlags: number }
  recoveryByPath: Record<RecoveryPath, Stats>
  freezeDeployments: number
  freezeFailedDeployments: number
  canaryAborts: number
  blastRadiusPercent: Stats
}

export const RELEASE_SQL_NAMES = ['releases', 'recovery_paths', 'freezes', 'canary'] as const
export type ReleaseSqlName = (typeof RELEASE_SQL_NAMES)[number]

type Raw = Record<string, unknown>

export function releaseFields(cell: Partial<Record<ReleaseSqlName, Raw>>, staleFlags: number): ReleaseFields {
  const r = cell.releases
  return {
    release: {
      releases: num(r?.['releases']),
      fullReleases: num(r?.['full_releases']),
      rolloutSeconds: statsOf(r, 'rollout'),
      killSwitches: num(r?.['kill_switches']),
      timeToKillSeconds: statsOf(r, 'kill'),
      staleFlags,
    },
    recoveryByPath: Object.fromEntries(RECOVERY_PATHS.map((p) => [p, statsOf(cell.recovery_paths, p)])) as Record<RecoveryPath, Stats>,
    freezeDeployments: num(cell.freezes?.['freeze_deployments']),
    freezeFailedDeployments: num(cell.freezes?.['freeze_failed_deployments']),
    canaryAborts: num(cell.canary?.['canary_aborts']),
    blastRadiusPercent: statsOf(cell.canary, 'blast'),
  }
}

/** The metrics answer's group key ([service, team, author class]) of a flag's service and team. */
export const groupKeyOf = (groupBy: GroupBy, service: string, team: string): [string, string, string] =>
  groupBy === 'service' ? [service, team, ''] : groupBy === 'team' ? ['', team, ''] : ['', '', '']

/**
 * Stale flags at the end of each span (METRICS.md §12): a flag whose exposure,
 * as of the changes before that instant, is 100 and has not changed for more
 * than `metrics.staleFlagDays`. Keyed by JSON [g_service, g_team], then span key.
 */
export async function staleFlags(db: Db, config: Config, rq: ResolvedQuery, spans: BucketSpan[]): Promise<Map<string, Map<string, number>>> {
  const rows = await db.query<{ service: string; team: string; k: string; at: string; exposure: number }>(
    `SELECT service, team, concat(provider, '\\n', environment, '\\n', flag) AS k, toUnixTimestamp64Milli(changed_at) AS at, exposure_after AS exposure
     FROM flag_changes
     WHERE exposure_after != exposure_before AND changed_at < {to:DateTime64(3, 'UTC')}
       AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
       AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
     ORDER BY changed_at, id`,
    { to: chInstant(rq.toMs), services: rq.service === null ? [] : [rq.service], teams: rq.team === null ? [] : [rq.team] },
  )
  const staleMs = config.metrics.staleFlagDays * 86_400_000
  const flags = new Map<string, { service: string; team: string; steps: { at: number; exposure: number }[] }>()
  for (const r of rows) {
    const id = JSON.stringify([r.service, r.k])
    let f = flags.get(id)
    if (!f) flags.set(id, (f = { service: r.service, team: r.team, steps: [] }))
    f.steps.push({ at: Number(r.at), exposure: Number(r.exposure) })
  }
  const out = new Map<string, Map<string, number>>()
  for (const f of flags.values()) {
    const gk = JSON.stringify(groupKeyOf(rq.groupBy, f.service, f.team))
    for (const span of spans) {
      const t = span.endMs
      const last = f.steps.filter((s) => s.at < t).at(-1)
      if (!last || last.exposure !== 100 || t - last.at <= staleMs) continue
      const m = out.get(gk) ?? new Map<string, number>()
      m.set(span.key, (m.get(span.key) ?? 0) + 1)
      out.set(gk, m)
    }
  }
  return out
}

/** The release fields of a row with none of them (tests and zero-filled rows). */
export const EMPTY_RELEASE_FIELDS: ReleaseFields = releaseFields({}, 0)
