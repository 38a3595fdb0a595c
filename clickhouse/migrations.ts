import type { Db } from './client.ts'
import { clusterStatement } from './ddl.ts'
import { RELEASE_TABLES, releaseMigration } from './release-migration.ts'

/**
 * Versioned schema. Each migration is a list of idempotent statements
 * (IF NOT EXISTS), applied in order at start; `schema_migrations` records
 * what ran. Change a table by adding a migration, never by editing one.
 *
 * Derived tables are rewritten per service by the sink (changed row groups deleted and inserted),
 * so they are plain MergeTree; `facts` and `dead_letters` are keyed by
 * identity (ReplacingMergeTree) so a redelivered or replayed event collapses.
 */
export interface Migration {
  version: number
  name: string
  statements: string[]
}

const T = "DateTime64(3, 'UTC')"

/**
 * The metric_rows view (migration 4); migration 5 recreates it with the changes filtered to
 * those counted in lead time (METRICS.md §16 `metrics.excludeBots`, column in_lead_time).
 */
function metricRowsView(changesFilter: string): string {
  return `CREATE VIEW IF NOT EXISTS metric_rows AS
      SELECT service AS svc, team AS tm, deployed_at AS t, 'deployment' AS src, failed, rework, recovery_seconds AS v FROM deployments
      UNION ALL
      -- a change is selected by its deployment's deployed_at; negative lead times (clock skew) count as 0
      SELECT service AS svc, team AS tm, deployed_at AS t, 'change' AS src, 0 AS failed, 0 AS rework, toNullable(greatest(lead_time_seconds, 0)) AS v FROM changes${changesFilter}
      UNION ALL
      SELECT service AS svc, team AS tm, at AS t, 'attempt' AS src, 0 AS failed, 0 AS rework, CAST(NULL, 'Nullable(Float64)') AS v FROM failed_attempts
      UNION ALL
      SELECT service AS svc, team AS tm, started_at AS t, 'incident' AS src, 0 AS failed, 0 AS rework, restore_seconds AS v FROM incidents`
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'core tables',
    statements: [
      `CREATE TABLE IF NOT EXISTS facts (
        key String, routing String, entity String, type LowCardinality(String), at ${T},
        body String, envelope_id String, log_offset UInt64
      ) ENGINE = ReplacingMergeTree ORDER BY (routing, key)`,
      // Facts of one entity (an incident, a deployment) can come under several routings when it moves between services.
      `ALTER TABLE facts ADD INDEX IF NOT EXISTS facts_entity entity TYPE bloom_filter GRANULARITY 4`,
      `CREATE TABLE IF NOT EXISTS dead_letters (
        envelope_id String, log_offset UInt64, envelope_type String, reason String,
        raw String, recorded_at ${T}
      ) ENGINE = ReplacingMergeTree ORDER BY envelope_id`,
      `CREATE TABLE IF NOT EXISTS deployments (
        id String, service String, team String, origin LowCardinality(String), repo Nullable(String),
        environment String, version String, sha Nullable(String), artifact Nullable(String),
        deployed_at ${T}, url Nullable(String), previous_id Nullable(String),
        is_rollback UInt8, failed UInt8, failure_causes Array(String),
        rework UInt8, rework_causes Array(String),
        recovered_at Nullable(${T}), recovery_seconds Nullable(Float64),
        change_count UInt32, incident_ids Array(String)
      ) ENGINE = MergeTree ORDER BY (service, deployed_at, id)`,
      `CREATE TABLE IF NOT EXISTS changes (
        service String, team String, deployment_id String, deployed_at ${T},
        repo String, sha String, committed_at ${T}, lead_time_seconds Float64,
        message String, url Nullable(String), author Nullable(String)
      ) ENGINE = MergeTree ORDER BY (service, deployed_at, sha)`,
      `CREATE TABLE IF NOT EXISTS pull_requests (
        service String, team String, repo String, number UInt64, title String, url Nullable(String),
        created_at ${T}, merged_at ${T}, merge_commit_sha Nullable(String),
        deployment_id Nullable(String), deployed_at Nullable(${T}),
        opened_to_merged_seconds Float64, merged_to_deployed_seconds Nullable(Float64),
        opened_to_deployed_seconds Nullable(Float64)
      ) ENGINE = MergeTree ORDER BY (service, merged_at, repo, number)`,
      `CREATE TABLE IF NOT EXISTS failed_attempts (
        id String, service String, team String, deployment_id String, environment String,
        state LowCardinality(String), at ${T}
      ) ENGINE = MergeTree ORDER BY (service, at, id)`,
      `CREATE TABLE IF NOT EXISTS incidents (
        id String, service String, team String, origin LowCardinality(String), title String,
        url Nullable(String), started_at ${T}, acknowledged_at Nullable(${T}), resolved_at Nullable(${T}),
        restore_seconds Nullable(Float64), acknowledge_seconds Nullable(Float64),
        urgency Nullable(String), priority Nullable(String), status LowCardinality(String),
        reopen_count UInt32, link_kind LowCardinality(String), deployment_ids Array(String)
      ) ENGINE = MergeTree ORDER BY (service, started_at, id)`,
      `CREATE TABLE IF NOT EXISTS incident_events (
        incident_id String, service String, team String, transition LowCardinality(String),
        at ${T}, agent Nullable(String), detail Nullable(String)
      ) ENGINE = MergeTree ORDER BY (service, incident_id, at)`,
    ],
  },
  {
    version: 2,
    name: 'annotations',
    statements: [
      // version = log offset: under FINAL the latest event of an annotation wins (a removal outranks its addition).
      `CREATE TABLE IF NOT EXISTS annotations (
        id String, at ${T}, end_at Nullable(${T}), text String, tags Array(String),
        service String, team String, removed UInt8, version UInt64, envelope_id String
      ) ENGINE = ReplacingMergeTree(version) ORDER BY id`,
    ],
  },
  {
    version: 3,
    name: 'dead-letter reason codes',
    // Rows written before it read '' (a replay fills them in).
    statements: [`ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS reason_code LowCardinality(String) DEFAULT '' AFTER reason`],
  },
  {
    version: 4,
    name: 'metric_rows view',
    // The rows every figure of METRICS.md §6 is aggregated from, tagged by src: the report
    // library's dora_summary and dora_trend (and any dashboard) read it instead of each
    // spelling the union again. A plain view: it stores nothing, replay needs nothing.
    statements: [
      metricRowsView(''),
    ],
  },
  {
    version: 5,
    name: 'authors and corrections (METRICS.md §16, §18)',
    statements: [
      `ALTER TABLE changes ADD COLUMN IF NOT EXISTS author_class LowCardinality(String) DEFAULT 'human'`,
      `ALTER TABLE changes ADD COLUMN IF NOT EXISTS in_lead_time UInt8 DEFAULT 1`,
      // The correction that changed the record (JSON: id, kind, by, reason, at), or NULL.
      `ALTER TABLE deployments ADD COLUMN IF NOT EXISTS correction Nullable(String)`,
      `ALTER TABLE incidents ADD COLUMN IF NOT EXISTS correction Nullable(String)`,
      // Bot changes metrics.excludeBots leaves out of lead time are not lead-time rows.
      `DROP VIEW IF EXISTS metric_rows`,
      metricRowsView(' WHERE in_lead_time = 1'),
    ],
  },
  releaseMigration(5),
]

export const DERIVED_TABLES = ['deployments', 'changes', 'pull_requests', 'failed_attempts', 'incidents', 'incident_events'] as const
/** Every table replay empties and rebuilds: the release tables (processors/releases/) are derived too. */
export const ALL_TABLES = ['facts', 'dead_letters', 'annotations', ...DERIVED_TABLES, ...RELEASE_TABLES] as const

export const SCHEMA_MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at ${T}) ENGINE = ReplacingMergeTree ORDER BY version`

/** The statements to run: as written, or (with `cluster`) rewritten by clickhouse/ddl.ts. */
export function ddl(sql: string, cluster?: string | null, database = 'doraflow'): string[] {
  return cluster ? clusterStatement(sql, cluster, database) : [sql]
}

export async function migrate(db: Db, cluster?: string | null): Promise<number[]> {
  for (const s of ddl(SCHEMA_MIGRATIONS_DDL, cluster, db.database)) await db.command(s)
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations FINAL')).map((r) => Number(r.version)))
  const applied: number[] = []
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue
    for (const stmt of m.statements) for (const s of ddl(stmt, cluster, db.database)) await db.command(s)
    await db.insert('schema_migrations', [{ version: m.version, name: m.name, applied_at: new Date().toISOString().replace('T', ' ').replace('Z', '') }])
    applied.push(m.version)
  }
  return applied
}
