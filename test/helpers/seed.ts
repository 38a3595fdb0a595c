import type { Db } from '../../clickhouse/client.ts'
import { migrate } from '../../clickhouse/migrations.ts'
import type { Config } from '../../config/schema.ts'
import type { DomainEvent } from '../../contracts/events.ts'
import { factRow } from '../../processors/facts.ts'
import { project } from '../../processors/project/index.ts'
import { replaceServices } from '../../processors/sink.ts'
import { recomputeReleases, releaseServices } from '../../processors/releases/store.ts'

/**
 * Seeds a database the way the processor would: facts plus every derived
 * table, from a set of domain events (e.g. test/project/scenario.ts).
 */
export async function seedFromEvents(db: Db, config: Config, events: DomainEvent[]): Promise<void> {
  await migrate(db)
  const facts = events.map((e, i) => factRow(e, `seed:${i}`, i + 1))
  await db.insert('facts', facts)
  const p = project(events, config)
  const services = [...new Set([...[...p.deployments, ...p.incidents, ...p.changes, ...p.failedAttempts, ...p.pullRequests].map((r) => r.service), ...releaseServices(facts, config)])]
  await replaceServices(db, services, p)
  await recomputeReleases(db, config, services, p, facts)
}
