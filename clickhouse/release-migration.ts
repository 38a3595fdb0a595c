import type { Migration } from './migrations.ts'

const T = "DateTime64(3, 'UTC')"

/** The release tables (METRICS.md §12–§15), derived per service like the others and rebuilt by replay. */
export const RELEASE_TABLES = ['flag_changes', 'recovery_paths', 'freeze_deployments', 'rollouts'] as const

export function releaseMigration(version: number): Migration {
  return {
    version,
    name: 'release tables (flag changes, recovery paths, freezes, rollouts)',
    statements: [
      `CREATE TABLE IF NOT EXISTS flag_changes (
        id String, service String, team String, provider LowCardinality(String), flag String, environment String,
        changed_at ${T}, exposure_before Float64, exposure_after Float64, actor Nullable(String),
        is_release UInt8, is_full_release UInt8, released_at Nullable(${T}), rollout_seconds Nullable(Float64),
        is_kill_switch UInt8, time_to_kill_seconds Nullable(Float64), kill_incident_id Nullable(String)
      ) ENGINE = MergeTree ORDER BY (service, changed_at, id)`,
      `CREATE TABLE IF NOT EXISTS recovery_paths (
        deployment_id String, service String, team String, deployed_at ${T},
        path LowCardinality(String), recovery_seconds Float64, via Nullable(String)
      ) ENGINE = MergeTree ORDER BY (service, deployed_at, deployment_id)`,
      `CREATE TABLE IF NOT EXISTS freeze_deployments (
        deployment_id String, service String, team String, deployed_at ${T},
        freeze String, freeze_name String, failed UInt8
      ) ENGINE = MergeTree ORDER BY (service, deployed_at, deployment_id)`,
      `CREATE TABLE IF NOT EXISTS rollouts (
        id String, rollout String, service String, team String, origin LowCardinality(String), environment Nullable(String),
        started_at ${T}, ended_at ${T}, phase LowCardinality(String), max_weight Float64,
        canary_abort UInt8, aborted_at Nullable(${T}), sha Nullable(String)
      ) ENGINE = MergeTree ORDER BY (service, started_at, id)`,
    ],
  }
}
