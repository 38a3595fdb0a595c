import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openClickHouse, type Db } from '../../clickhouse/client.ts'
import { ALL_TABLES, migrate } from '../../clickhouse/migrations.ts'

/**
 * The embedded ClickHouse of a test file, in a fresh temporary directory,
 * migrated. One per test file: chdb binds one data directory per process.
 */
export async function openTestDb(o: { prefix?: string; database?: string } = {}): Promise<Db> {
  const dir = mkdtempSync(path.join(os.tmpdir(), o.prefix ?? 'doraflow-test-'))
  const db = await openClickHouse({ kind: 'embedded', path: path.join(dir, 'ch'), url: '', username: 'default', password: '', database: o.database ?? 'doraflow' })
  await migrate(db)
  return db
}

/** Empties tables (default: every table the pipeline writes) between the tests of a file. */
export async function truncateTables(db: Db, tables: readonly string[] = ALL_TABLES): Promise<void> {
  for (const t of tables) await db.command(`TRUNCATE TABLE IF EXISTS ${t}`)
}
