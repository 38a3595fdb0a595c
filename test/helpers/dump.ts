import type { Db } from '../../clickhouse/client.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'
import { RELEASE_TABLES } from '../../clickhouse/release-migration.ts'

/** Every derived table as sorted JSON lines: two databases with the same content dump equal. */
export async function dumpTables(db: Db): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const t of [...DERIVED_TABLES, ...RELEASE_TABLES, 'facts']) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * EXCEPT (${t === 'facts' ? 'envelope_id, log_offset' : 'service'}) , ${t === 'facts' ? "''" : 'service'} AS _s FROM ${t}${t === 'facts' ? ' FINAL' : ''}`)
    out[t] = rows.map((r) => JSON.stringify(r)).sort()
  }
  return out
}
