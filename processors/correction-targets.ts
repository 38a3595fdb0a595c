/**
 * Which facts a correction (METRICS.md §18) concerns, for recompute: corrections are filed under
 * one routing (`corrections`) and every projection reads all of them; when one arrives, the
 * services owning the records it names are recomputed. A record id (as the records API shows it)
 * stands for the entity of its facts (processors/facts.ts entityOf); a target with no facts yet
 * (a correction posted before its events) recomputes nothing now, and applies when its events
 * arrive, since their recompute reads every correction.
 */
import type { Db } from '../clickhouse/client.ts'
import type { CorrectionRecorded } from '../contracts/events.ts'
import type { FactRow } from './facts.ts'
import { CORRECTIONS_ROUTING } from '../sources/correction/parse.ts'

/** The fact entities a deployment or incident record id can stand for (processors/facts.ts names them by record id). */
export function entitiesOfRecordId(id: string): string[] {
  return [`deployment:${id}`, `incident:${id}`]
}

export function correctionsIn(facts: readonly Pick<FactRow, 'type' | 'body'>[]): CorrectionRecorded[] {
  return facts.filter((f) => f.type === 'CorrectionRecorded').map((f) => JSON.parse(f.body) as CorrectionRecorded)
}

/** The routings of the records the batch's corrections name (none when the batch has none). */
export async function correctionTargetRoutings(db: Db, facts: readonly Pick<FactRow, 'type' | 'body'>[]): Promise<string[]> {
  const entities = [...new Set(correctionsIn(facts).flatMap((c) => [c.incident, c.deployment].filter((x): x is string => x !== null).flatMap(entitiesOfRecordId)))]
  if (entities.length === 0) return []
  const rows = await db.query<{ routing: string }>('SELECT DISTINCT routing FROM facts WHERE entity IN {entities:Array(String)}', { entities })
  return rows.map((r) => r.routing)
}

/** Every correction in the store: each projection needs all of them. */
export async function loadCorrections(db: Db): Promise<{ body: string; entity: string; type: string; routing: string }[]> {
  return db.query('SELECT body, entity, type, routing FROM facts WHERE routing = {routing:String}', { routing: CORRECTIONS_ROUTING })
}
