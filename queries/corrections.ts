import { z } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import type { CorrectionRecorded } from '../contracts/events.ts'
import { entitiesOfRecordId } from '../processors/correction-targets.ts'
import { CORRECTIONS_ROUTING } from '../sources/correction/parse.ts'

/** The corrections on record (METRICS.md §18), read from the facts the processor wrote from the log. */

export const correctionsQuerySchema = z.object({
  /** Only those naming this incident / deployment record id. 512 like the other query filters: two of them, percent-encoded, stay under the 16 KiB header limit (a longer URL would be a 431, not a 400). */
  incident: z.string().max(512).optional(),
  deployment: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
})
export type CorrectionsQuery = z.infer<typeof correctionsQuerySchema>

export type CorrectionView = Omit<CorrectionRecorded, 'type' | 'key' | 'routing'> & {
  /** false when a later correction of the same target replaced it (the latest (at, id) wins). */
  effective: boolean
}

const targetOf = (c: Pick<CorrectionRecorded, 'incident' | 'deployment'>) => (c.incident !== null ? `incident:${c.incident}` : `deployment:${c.deployment}`)

/** Newest first; each says whether it is the one in force for its target. */
export async function listCorrections(db: Db, q: CorrectionsQuery): Promise<CorrectionView[]> {
  const rows = await db.query<{ body: string }>('SELECT body FROM facts FINAL WHERE routing = {routing:String}', { routing: CORRECTIONS_ROUTING })
  const all = rows.map((r) => JSON.parse(r.body) as CorrectionRecorded)
  all.sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
  const seen = new Set<string>()
  const views = all.map(({ type: _t, key: _k, routing: _r, ...c }) => {
    const t = targetOf(c)
    const effective = !seen.has(t)
    seen.add(t)
    return { ...c, effective }
  })
  return views.filter((c) => (q.incident === undefined || c.incident === q.incident) && (q.deployment === undefined || c.deployment === q.deployment)).slice(0, q.limit)
}

/** Whether the records a correction names are known yet (null: not named); a typo shows as false. */
export async function recordsKnown(db: Db, c: Pick<CorrectionRecorded, 'incident' | 'deployment'>): Promise<{ incident: boolean | null; deployment: boolean | null }> {
  const known = async (table: 'incidents' | 'deployments', id: string | null): Promise<boolean | null> => {
    if (id === null) return null
    const [row] = await db.query<{ n: string | number }>(`SELECT count() AS n FROM ${table} WHERE id = {id:String}`, { id })
    return Number(row?.n ?? 0) > 0
  }
  return { incident: await known('incidents', c.incident), deployment: await known('deployments', c.deployment) }
}

/**
 * The routing a correction's envelope is keyed by (Kafka: the target's partition, so its
 * service keeps one writer): the incident's routing for an incident correction, else the
 * deployment's; null when neither has facts yet.
 */
export async function correctionSubject(db: Db, c: Pick<CorrectionRecorded, 'incident' | 'deployment'>): Promise<string | null> {
  const id = c.incident ?? c.deployment
  if (id === null) return null
  const rows = await db.query<{ routing: string }>('SELECT routing FROM facts WHERE entity IN {entities:Array(String)} ORDER BY routing LIMIT 1', { entities: entitiesOfRecordId(id) })
  return rows[0]?.routing ?? null
}
