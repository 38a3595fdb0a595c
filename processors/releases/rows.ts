import { chTime, chTimeOrNull } from '../../clickhouse/client.ts'
import type { RELEASE_TABLES } from '../../clickhouse/release-migration.ts'
import type { ReleaseProjection } from '../../contracts/release-records.ts'

type Row = Record<string, unknown>
const b = (x: boolean) => (x ? 1 : 0)

/** The release projection as table rows (columns as in clickhouse/release-migration.ts). */
export function releaseRows(p: ReleaseProjection): Record<(typeof RELEASE_TABLES)[number], Row[]> {
  return {
    flag_changes: p.flagChanges.map((c) => ({
      id: c.id, service: c.service, team: c.team, provider: c.provider, flag: c.flag, environment: c.environment,
      changed_at: chTime(c.changedAt), exposure_before: c.exposureBefore, exposure_after: c.exposureAfter, actor: c.actor,
      is_release: b(c.isRelease), is_full_release: b(c.isFullRelease), released_at: chTimeOrNull(c.releasedAt), rollout_seconds: c.rolloutSeconds,
      is_kill_switch: b(c.isKillSwitch), time_to_kill_seconds: c.timeToKillSeconds, kill_incident_id: c.killIncidentId,
    })),
    recovery_paths: p.recoveryPaths.map((r) => ({ deployment_id: r.deploymentId, service: r.service, team: r.team, deployed_at: chTime(r.deployedAt), path: r.path, recovery_seconds: r.recoverySeconds, via: r.via })),
    freeze_deployments: p.freezeDeployments.map((f) => ({ deployment_id: f.deploymentId, service: f.service, team: f.team, deployed_at: chTime(f.deployedAt), freeze: f.freeze, freeze_name: f.freezeName, failed: b(f.failed) })),
    rollouts: p.rollouts.map((r) => ({
      id: r.id, rollout: r.rollout, service: r.service, team: r.team, origin: r.origin, environment: r.environment,
      started_at: chTime(r.startedAt), ended_at: chTime(r.endedAt), phase: r.phase, max_weight: r.maxWeight,
      canary_abort: b(r.canaryAbort), aborted_at: chTimeOrNull(r.abortedAt), sha: r.sha,
    })),
  }
}
