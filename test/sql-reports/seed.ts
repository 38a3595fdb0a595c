import { type Db } from '../../clickhouse/client.ts'
import { openTestDb } from '../helpers/clickhouse.ts'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import type { AnnotationAdded, AnnotationRemoved } from '../../contracts/events.ts'
import { annotationRow } from '../../processors/annotations.ts'
import { seedFromEvents } from '../helpers/seed.ts'
import { realisticEvents, SCENARIO_CONFIG } from '../project/scenario.ts'
import { releaseExtras } from '../releases/random.ts'

/** One embedded ClickHouse per test file (chdb binds one data directory per process). */
export const openReportsDb = (): Promise<Db> => openTestDb({ prefix: 'doraflow-reports-', database: 'doraflow_reports' })

/** The scenario's services, each in its own timezone (one of them across a DST change from UTC's point of view). */
export const REALISTIC_CONFIG: Config = parseConfig({
  ...SCENARIO_CONFIG,
  metrics: { timezone: 'Europe/Berlin' },
  freezes: [{ name: 'early-july', from: '2026-07-02', to: '2026-07-04' }],
  services: SCENARIO_CONFIG.services.map((s, i) => ({ ...s, timezone: ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo'][i], ...(s.name === 'checkout' ? { flags: ['checkout-*'] } : {}) })),
})

/** Several seeds of the realistic scenario: deployments, changes, PRs, rollbacks, failed attempts, incidents of four services; flag changes and rollout steps. */
export async function seedRealistic(db: Db): Promise<void> {
  const events = [1, 7, 42].flatMap((seed) => [...realisticEvents(seed), ...releaseExtras(seed)])
  await seedFromEvents(db, REALISTIC_CONFIG, events)
  await db.insert('annotations', SEED_ANNOTATIONS.map((e, i) => annotationRow(e, `seed:${i}`, i + 1)))
}

const note = (id: string, at: string, o: Partial<AnnotationAdded> = {}): AnnotationAdded => ({
  type: 'AnnotationAdded', key: `annotation:${id}:added`, routing: `annotation:${id}`, id, at, endAt: null, text: `note ${id}`, tags: [], service: null, team: null, ...o,
})
const removed = (id: string, at: string): AnnotationRemoved => ({ type: 'AnnotationRemoved', key: `annotation:${id}:removed`, routing: `annotation:${id}`, id, at })

/** Annotations in the period: one for everyone (a freeze, a region), one per a service, one removed again. */
export const SEED_ANNOTATIONS: (AnnotationAdded | AnnotationRemoved)[] = [
  note('freeze', '2026-06-20T00:00:00Z', { endAt: '2026-06-27T00:00:00Z', text: 'summer code freeze', tags: ['freeze', 'release'] }),
  note('ci', '2026-07-02T09:30:00Z', { service: 'checkout', team: 'payments', text: 'checkout moved to the new CI', tags: ['ci'] }),
  note('oops', '2026-07-03T10:00:00Z', { service: 'api-eu', text: 'posted by mistake' }),
  removed('oops', '2026-07-03T10:05:00Z'),
]

export const PERIOD = { from: '2026-06-01T00:00:00Z', to: '2026-08-01T00:00:00Z' }
