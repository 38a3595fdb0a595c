import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'
import { columnsOf } from '../../processors/derived-columns.ts'
import { openTestDb } from '../helpers/clickhouse.ts'

/** The one column list per derived table (processors/derived-columns.ts) is the migrated table's, in order. */
describe('derived table columns', () => {
  let db: Db
  beforeAll(async () => {
    db = await openTestDb({ prefix: 'derived-columns-' })
  })
  afterAll(async () => db?.close())

  it.each(DERIVED_TABLES)('%s', async (table) => {
    const described = await db.query<{ name: string }>(`DESCRIBE TABLE ${table}`)
    expect(columnsOf(table)).toEqual(described.map((c) => c.name))
  })
})
