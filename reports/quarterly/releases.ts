import type { Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import { RECOVERY_PATHS, type RecoveryPath } from '../../contracts/release-records.ts'
import { humanizeSeconds } from '../../queries/format.ts'
import type { MetricsAnswerRow } from '../../queries/metrics.ts'
import { chInstant } from '../../queries/periods.ts'
import { listFlags, listReleases, type FlagView } from '../../queries/releases.ts'
import type { ReleaseFields } from '../../queries/release-metrics.ts'
import type { QuarterPeriod } from './period.ts'

/**
 * The quarterly review's release-engineering part (METRICS.md §12–§15): what was
 * released and how fast it rolled out, which kill switches saved us, which
 * flags are stale, rollback vs fix-forward, deployments during freezes with
 * their outcome, and what the canaries caught.
 */
export interface ReleaseReview {
  figures: ReleaseFields | null
  releases: { service: string; flag: string; releasedAtMs: number; exposure: number; fullReleaseAtMs: number | null; rolloutSeconds: number | null }[]
  killSwitches: { service: string; flag: string; changedAtMs: number; incidentId: string; timeToKillSeconds: number }[]
  staleFlags: FlagView[]
  freezeDeployments: { deploymentId: string; service: string; deployedAtMs: number; freeze: string; failed: boolean; recoveryPath: string | null }[]
  canaryAborts: { service: string; rollout: string; abortedAtMs: number; maxWeight: number }[]
  findings: string[]
}

const PATH_WORDS: Record<RecoveryPath, [string, string]> = {
  rollback: ['rollback', 'rollbacks'],
  kill_switch: ['kill switch', 'kill switches'],
  fix_forward: ['fix-forward', 'fix-forwards'],
  other: ['other recovery', 'other recoveries'],
}

/** "rollbacks recovered in a median of 40m (1), fix-forwards in 3h 40m (1)" — the paths that happened, in contract order. */
export function recoveryFinding(f: ReleaseFields): string | null {
  const parts = RECOVERY_PATHS.filter((p) => f.recoveryByPath[p].count > 0).map((p, i) => {
    const s = f.recoveryByPath[p]
    const name = PATH_WORDS[p][s.count === 1 ? 0 : 1]
    return `${name} ${i === 0 ? 'recovered in a median of' : 'in'} ${humanizeSeconds(s.median)} (${s.count})`
  })
  if (parts.length === 0) return null
  const text = parts.join(', ')
  return text.charAt(0).toUpperCase() + text.slice(1) + '.'
}

export function releaseFindings(r: Omit<ReleaseReview, 'findings'>): string[] {
  const f = r.figures
  if (!f) return []
  const out: string[] = []
  const recovery = recoveryFinding(f)
  if (recovery) out.push(recovery)
  if (f.release.releases > 0) {
    out.push(`${f.release.releases} flag release${f.release.releases === 1 ? '' : 's'}, ${f.release.fullReleases} reached 100 %${f.release.rolloutSeconds.median !== null ? ` in a median of ${humanizeSeconds(f.release.rolloutSeconds.median)}` : ''}.`)
  }
  if (f.release.killSwitches > 0) out.push(`${f.release.killSwitches} kill switch${f.release.killSwitches === 1 ? '' : 'es'} during incidents, a median of ${humanizeSeconds(f.release.timeToKillSeconds.median)} after the incident began.`)
  if (f.canaryAborts > 0) out.push(`${f.canaryAborts} bad release${f.canaryAborts === 1 ? '' : 's'} stopped by the canary at ≤ ${Math.max(...r.canaryAborts.map((a) => a.maxWeight))} % of traffic.`)
  if (f.freezeDeployments > 0) out.push(`${f.freezeDeployments} deployment${f.freezeDeployments === 1 ? '' : 's'} during a freeze, ${f.freezeFailedDeployments} of them failed.`)
  if (r.staleFlags.length > 0) out.push(`${r.staleFlags.length} flag${r.staleFlags.length === 1 ? ' is' : 's are'} stale (100 % and untouched for more than the configured days): remove ${r.staleFlags.length === 1 ? 'it' : 'them'} from the code.`)
  return out
}

const ms = (iso: unknown) => Date.parse(String(iso))

export async function loadReleaseReview(db: Db, config: Config, quarter: QuarterPeriod, team: string | null, overall: MetricsAnswerRow | null): Promise<ReleaseReview> {
  const q = { from: new Date(quarter.fromMs).toISOString(), to: new Date(quarter.toMs).toISOString(), limit: 200, ...(team ? { team } : {}) }
  const [lists, flags, freezes] = await Promise.all([
    listReleases(db, q),
    listFlags(db, config, { at: new Date(quarter.toMs).toISOString(), stale: 'true', limit: 500, ...(team ? { team } : {}) }),
    db.query<{ deployment_id: string; service: string; at: string; freeze_name: string; failed: number; path: string | null }>(
      `SELECT f.deployment_id AS deployment_id, f.service AS service, toUnixTimestamp64Milli(f.deployed_at) AS at, f.freeze_name AS freeze_name, f.failed AS failed,
              if(p.deployment_id = '', NULL, p.path) AS path
         FROM freeze_deployments AS f LEFT JOIN recovery_paths AS p ON p.deployment_id = f.deployment_id
        WHERE f.deployed_at >= {from:DateTime64(3, 'UTC')} AND f.deployed_at < {to:DateTime64(3, 'UTC')} AND ({team:String} = '' OR f.team = {team:String})
        ORDER BY f.deployed_at, f.deployment_id`,
      { from: chInstant(quarter.fromMs), to: chInstant(quarter.toMs), team: team ?? '' },
    ),
  ])
  const base: Omit<ReleaseReview, 'findings'> = {
    figures: overall,
    releases: (lists.releases as Record<string, unknown>[]).map((r) => ({ service: String(r['service']), flag: String(r['flag']), releasedAtMs: ms(r['releasedAt']), exposure: Number(r['exposure']), fullReleaseAtMs: r['fullReleaseAt'] ? ms(r['fullReleaseAt']) : null, rolloutSeconds: r['rolloutSeconds'] === null ? null : Number(r['rolloutSeconds']) })).reverse(),
    killSwitches: (lists.killSwitches as Record<string, unknown>[]).map((k) => ({ service: String(k['service']), flag: String(k['flag']), changedAtMs: ms(k['changedAt']), incidentId: String(k['incidentId']), timeToKillSeconds: Number(k['timeToKillSeconds']) })).reverse(),
    staleFlags: flags.flags,
    freezeDeployments: freezes.map((f) => ({ deploymentId: f.deployment_id, service: f.service, deployedAtMs: Number(f.at), freeze: f.freeze_name, failed: Number(f.failed) === 1, recoveryPath: f.path })),
    canaryAborts: (lists.rollouts as Record<string, unknown>[]).filter((x) => x['canaryAbort']).map((x) => ({ service: String(x['service']), rollout: String(x['id']), abortedAtMs: ms(x['abortedAt']), maxWeight: Number(x['maxWeight']) })).reverse(),
  }
  return { ...base, findings: releaseFindings(base) }
}
