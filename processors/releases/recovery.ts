import type { DeploymentRecord } from '../../contracts/records.ts'
import type { FlagChangeRecord, RecoveryPathRecord } from '../../contracts/release-records.ts'

const ROLLBACK_CAUSE = 'rollback:'

/**
 * METRICS.md §13: every failed deployment D with a recoveredAt R gets the first
 * path that holds — rollback (R is its rollback's deployedAt), kill_switch (a
 * kill switch of the service in [D.deployedAt, R]), fix_forward (a deployment
 * of the service with changes in (D.deployedAt, R]), other.
 */
export function recoveryPaths(deployments: DeploymentRecord[], flagChanges: FlagChangeRecord[]): RecoveryPathRecord[] {
  const byId = new Map(deployments.map((d) => [d.id, d]))
  const ofService = new Map<string, DeploymentRecord[]>()
  for (const d of deployments) ofService.set(d.service, [...(ofService.get(d.service) ?? []), d])
  const killsOf = new Map<string, FlagChangeRecord[]>()
  for (const k of flagChanges) if (k.isKillSwitch) killsOf.set(k.service, [...(killsOf.get(k.service) ?? []), k])
  const earliest = <T>(xs: T[], time: (x: T) => number, id: (x: T) => string): T | null =>
    xs.reduce<T | null>((best, x) => (best === null || time(x) < time(best) || (time(x) === time(best) && id(x) < id(best)) ? x : best), null)

  const out: RecoveryPathRecord[] = []
  for (const d of deployments) {
    if (!d.failed || d.recoveredAt === null || d.recoverySeconds === null) continue
    const R = d.recoveredAt
    const base = { deploymentId: d.id, service: d.service, team: d.team, deployedAt: d.deployedAt, recoverySeconds: d.recoverySeconds }
    const rollbackId = d.failureCauses.find((c) => c.startsWith(ROLLBACK_CAUSE))?.slice(ROLLBACK_CAUSE.length)
    const rollback = rollbackId === undefined ? undefined : byId.get(rollbackId)
    if (rollback && rollback.deployedAt === R) {
      out.push({ ...base, path: 'rollback', via: rollback.id })
      continue
    }
    const kill = earliest((killsOf.get(d.service) ?? []).filter((k) => k.changedAt >= d.deployedAt && k.changedAt <= R), (k) => k.changedAt, (k) => k.id)
    if (kill) {
      out.push({ ...base, path: 'kill_switch', via: kill.id })
      continue
    }
    const fix = earliest((ofService.get(d.service) ?? []).filter((x) => x.id !== d.id && x.changeCount > 0 && x.deployedAt > d.deployedAt && x.deployedAt <= R), (x) => x.deployedAt, (x) => x.id)
    out.push(fix ? { ...base, path: 'fix_forward', via: fix.id } : { ...base, path: 'other', via: null })
  }
  return out.sort((a, b) => a.deployedAt - b.deployedAt || (a.deploymentId < b.deploymentId ? -1 : 1))
}
