/**
 * DDL for a ClickHouse cluster (`clickhouse.cluster` set): the single-node
 * migrations (clickhouse/migrations.ts) rewritten so every statement runs
 * `ON CLUSTER`, every MergeTree family engine becomes its Replicated twin
 * (Keeper path `/clickhouse/tables/{shard}/<database>/<table>`, replica
 * `{replica}` from the server's macros), and each table gets a
 * `<table>_all` Distributed table for reading from any node.
 *
 * Layout: ONE shard, N replicas. doraflow's data is small (events per day,
 * not per second) and the processor replaces a service's derived rows by
 * DELETE + INSERT, which must hit the replicated tables themselves (a
 * Distributed table accepts neither lightweight DELETE nor synchronous,
 * acknowledged inserts by default). So writes and deletes go to the
 * replicated tables under their normal names, which every replica holds in
 * full; the `_all` tables only spread reads (dashboards) over the replicas.
 * Without a cluster nothing here is used and the DDL is byte-identical to
 * the single-node migrations.
 */
import { quoteIdent } from './client.ts'

const ENGINE = /ENGINE = (ReplacingMergeTree|MergeTree|SummingMergeTree|AggregatingMergeTree|CollapsingMergeTree)\b(\([^)]*\))?/

/** One single-node statement → its cluster form(s). */
export function clusterStatement(sql: string, cluster: string, database: string): string[] {
  const on = `ON CLUSTER ${quoteIdent(cluster)}`
  const create = /^CREATE TABLE IF NOT EXISTS (\w+) /.exec(sql)
  if (create) {
    const table = create[1]!
    const m = ENGINE.exec(sql)
    if (!m) throw new Error(`cluster DDL: no MergeTree engine in ${sql.slice(0, 80)}`)
    const args = m[2] ? m[2].slice(1, -1).trim() : ''
    const path = `'/clickhouse/tables/{shard}/${database}/${table}', '{replica}'`
    const replicated = sql
      .replace(`CREATE TABLE IF NOT EXISTS ${table} `, `CREATE TABLE IF NOT EXISTS ${table} ${on} `)
      .replace(ENGINE, `ENGINE = Replicated${m[1]}(${path}${args ? `, ${args}` : ''})`)
    const distributed = `CREATE TABLE IF NOT EXISTS ${table}_all ${on} AS ${table} ENGINE = Distributed(${quoteIdent(cluster)}, ${quoteIdent(database)}, ${table}, rand())`
    return [replicated, distributed]
  }
  // A view stores nothing: every replica gets it, reading its own replicated tables (one shard).
  const view = /^CREATE VIEW IF NOT EXISTS (\w+) /.exec(sql)
  if (view) return [sql.replace(`CREATE VIEW IF NOT EXISTS ${view[1]} `, `CREATE VIEW IF NOT EXISTS ${view[1]} ${on} `)]
  const drop = /^DROP VIEW IF EXISTS (\w+)$/.exec(sql)
  if (drop) return [`DROP VIEW IF EXISTS ${drop[1]} ${on}`]
  const alter = /^ALTER TABLE (\w+) /.exec(sql)
  if (alter) return [sql.replace(`ALTER TABLE ${alter[1]} `, `ALTER TABLE ${alter[1]} ${on} `)]
  throw new Error(`cluster DDL: unsupported statement ${sql.slice(0, 80)}`)
}

export function clusterStatements(statements: readonly string[], cluster: string, database: string): string[] {
  return statements.flatMap((s) => clusterStatement(s, cluster, database))
}
