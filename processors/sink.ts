import type { Db } from '../clickhouse/client.ts'
import { DERIVED_TABLES } from '../clickhouse/migrations.ts'
import type { Projection } from '../contracts/records.ts'
import { columnsOf, rowsOf, type DerivedTable } from './derived-columns.ts'

export interface ReplaceOptions {
  /** The tables are known to hold no rows of these services (replay after TRUNCATE): no delete. */
  skipDelete?: boolean
  /**
   * The tables are known to hold rows only of these services (replay: those
   * written earlier in the run): only they are deleted first.
   */
  onlyDelete?: ReadonlySet<string>
}

/** What replaceServices wrote, per table (tests and logs: an unchanged table costs no write). */
export interface ReplaceStats {
  inserted: Record<string, number>
  deleted: Record<string, number>
  /** DELETE statements run (each is a mutation, the expensive part). */
  deletes: number
}

type Row = Record<string, unknown>

interface TableSpec {
  table: DerivedTable
  cols: readonly string[]
  /**
   * A row's group inside its service, as ClickHouse computes it. Rows are
   * compared group by group (as multisets) and a changed group is deleted and
   * inserted whole, so the grouping only decides how much is rewritten, never
   * what the table ends up holding.
   */
  identSql: string
  /** The same in JS for the new rows. If it ever disagreed with identSql, the group would only look changed (deleted by ClickHouse's key, inserted anew): still exact. */
  ident: (r: Row) => string
}

const GROUPS: Record<DerivedTable, Pick<TableSpec, 'identSql' | 'ident'>> = {
  deployments: { identSql: 'id', ident: (r) => r.id as string },
  changes: { identSql: 'deployment_id', ident: (r) => r.deployment_id as string },
  pull_requests: { identSql: "concat(repo, '#', toString(number))", ident: (r) => `${r.repo as string}#${String(r.number)}` },
  failed_attempts: { identSql: 'id', ident: (r) => r.id as string },
  incidents: { identSql: 'id', ident: (r) => r.id as string },
  incident_events: { identSql: 'incident_id', ident: (r) => r.incident_id as string },
}

const SPECS: readonly TableSpec[] = DERIVED_TABLES.map((table) => ({ table, cols: columnsOf(table), ...GROUPS[table] }))

/**
 * The deletion key: service and group, length-prefixed so that no two
 * (service, group) pairs share a key (a DELETE by key removes exactly the
 * groups meant). ClickHouse's length() counts bytes, hence byteLength.
 */
const keySql = (s: TableSpec) => `concat(toString(length(service)), ':', service, ${s.identSql})`
const keyOf = (s: TableSpec, r: Row) => `${Buffer.byteLength(r.service as string)}:${r.service as string}${s.ident(r)}`

/**
 * One canonical text per row, the same for a row built here and the row read
 * back from ClickHouse (JSONEachRow): columns in a fixed order, numbers as
 * text (UInt64 comes back quoted, Float64 as the shortest round-trip form,
 * like JS), DateTime64(3) as chTime's text. A value that does not round-trip
 * exactly only makes its group look changed, which rewrites it: safe.
 */
function canonical(s: TableSpec, r: Row): string {
  return JSON.stringify(s.cols.map((c) => (typeof r[c] === 'number' ? String(r[c]) : r[c])))
}

/** Rows grouped by deletion key, each group as its sorted canonical texts joined (a multiset). */
function groups(s: TableSpec, rows: readonly Row[], key: (r: Row) => string): Map<string, { sig: string[]; rows: Row[] }> {
  const m = new Map<string, { sig: string[]; rows: Row[] }>()
  for (const r of rows) {
    const k = key(r)
    let g = m.get(k)
    if (!g) m.set(k, (g = { sig: [], rows: [] }))
    g.sig.push(canonical(s, r))
    g.rows.push(r)
  }
  return m
}

const sameMultiset = (a: string[], b: string[]) => {
  if (a.length !== b.length) return false
  if (a.length === 1) return a[0] === b[0]
  const x = [...a].sort()
  const y = [...b].sort()
  return x.every((v, i) => v === y[i])
}

/**
 * Replaces the derived rows of some services with a fresh projection, writing
 * only the difference: the services' current rows are read back, compared
 * group by group (a deployment, the changes of a deployment, a PR, an
 * incident and its timeline…) with the new rows, and only groups that
 * changed, appeared or vanished are deleted (one DELETE per table, by
 * service and group) and inserted. A table without changes costs one read.
 * The end state equals deleting every row of the services and inserting the
 * projection. Delete then insert is not atomic, but it is idempotent: after a
 * crash in between, the batch is read again (its offsets were not committed),
 * the same services are recomputed and the missing groups are inserted.
 *
 * A lightweight DELETE is a mutation over the table's parts (10–150 ms each),
 * which is why a live batch, where most rows are unchanged, should run few.
 */
export async function replaceServices(db: Db, services: string[], p: Projection, opts: ReplaceOptions = {}): Promise<ReplaceStats> {
  const stats: ReplaceStats = { inserted: {}, deleted: {}, deletes: 0 }
  if (services.length === 0) return stats
  const keep = new Set(services)
  const stale = opts.skipDelete ? [] : opts.onlyDelete ? services.filter((s) => opts.onlyDelete!.has(s)) : services
  const mine = (r: { service: string }) => keep.has(r.service)
  for (const spec of SPECS) {
    // Built table by table, so only one table's rows are held at a time (replay's memory stays flat).
    const rows = rowsOf(spec.table, p, mine)
    let insert: Row[] = rows
    const del: string[] = []
    if (stale.length > 0) {
      const existing = await db.query<Row & { _k: string }>(
        `SELECT ${keySql(spec)} AS _k, ${spec.cols.join(', ')} FROM ${spec.table} WHERE service IN {services:Array(String)}`,
        { services: stale },
      )
      if (existing.length > 0) {
        const before = groups(spec, existing, (r) => r._k as string)
        const after = groups(spec, rows, (r) => keyOf(spec, r))
        insert = []
        for (const [k, g] of after) {
          const old = before.get(k)
          if (old && sameMultiset(old.sig, g.sig)) continue
          if (old) del.push(k)
          for (const r of g.rows) insert.push(r)
        }
        for (const k of before.keys()) if (!after.has(k)) del.push(k)
        stats.deleted[spec.table] = del.reduce((n, k) => n + before.get(k)!.rows.length, 0)
      }
    }
    if (del.length > 0) {
      stats.deletes++
      await db.command(`DELETE FROM ${spec.table} WHERE service IN {services:Array(String)} AND ${keySql(spec)} IN {keys:Array(String)}`, { services: stale, keys: del })
    }
    stats.inserted[spec.table] = insert.length
    await db.insert(spec.table, insert)
  }
  return stats
}
