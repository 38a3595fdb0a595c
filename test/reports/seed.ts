import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openClickHouse, type Db } from '../../clickhouse/client.ts'
import { migrate } from '../../clickhouse/migrations.ts'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import { seedFromEvents } from '../helpers/seed.ts'
import { realisticEvents, SCENARIO_CONFIG } from '../project/scenario.ts'

/** One embedded ClickHouse per test file (chdb binds one data directory per process). */
export async function openReportsDb(): Promise<Db> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'doraflow-reports-'))
  const db = await openClickHouse({ kind: 'embedded', path: dir, url: '', username: 'default', password: '', database: 'doraflow_reports' })
  await migrate(db)
  return db
}

/** The scenario's services, each in its own timezone (one of them across a DST change from UTC's point of view). */
export const REALISTIC_CONFIG: Config = parseConfig({
  ...SCENARIO_CONFIG,
  metrics: { timezone: 'Europe/Berlin' },
  services: SCENARIO_CONFIG.services.map((s, i) => ({ ...s, timezone: ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo'][i] })),
})

/** Several seeds of the realistic scenario: deployments, changes, PRs, rollbacks, failed attempts, incidents of four services. */
export async function seedRealistic(db: Db): Promise<void> {
  const events = [1, 7, 42].flatMap((seed) => realisticEvents(seed))
  await seedFromEvents(db, REALISTIC_CONFIG, events)
}

export const PERIOD = { from: '2026-06-01T00:00:00Z', to: '2026-08-01T00:00:00Z' }
