import { z } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import type { AnnotationAdded } from '../contracts/events.ts'
import { isoMs, isoOrDate, ms } from './records.ts'

/** Annotations on the timeline (the `annotations` table, written by the processor from the log). */

export const annotationsQuerySchema = z.object({
  from: isoOrDate.optional(),
  to: isoOrDate.optional(),
  /** A service's view: its own annotations and those about no service in particular. */
  service: z.string().max(512).optional(),
  team: z.string().max(512).optional(),
  tag: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
})
export type AnnotationsQuery = z.infer<typeof annotationsQuerySchema>

/** As the API shows one: the event's fields, times as ISO instants with milliseconds. */
export type AnnotationView = Omit<AnnotationAdded, 'type' | 'key' | 'routing'>

/** Live annotations (FINAL: the latest event of each wins; removed ones are left out) overlapping [from, to). */
export async function listAnnotations(db: Db, q: AnnotationsQuery): Promise<AnnotationView[]> {
  // Aliases must not be column names: ClickHouse resolves an alias before a column, also in WHERE.
  const rows = await db.query<{ id: string; at_iso: string; end_iso: string | null; text: string; tags: string[]; service: string; team: string }>(
    `SELECT id, ${isoMs('at')} AS at_iso, ${isoMs('end_at')} AS end_iso, text, tags, service, team
       FROM annotations FINAL
      WHERE removed = 0
        AND at < fromUnixTimestamp64Milli({to:Int64})
        AND ifNull(end_at, at) >= fromUnixTimestamp64Milli({from:Int64})
        AND ({service:String} = '' OR service = {service:String} OR service = '')
        AND ({team:String} = '' OR team = {team:String} OR team = '')
        AND ({tag:String} = '' OR has(tags, {tag:String}))
      ORDER BY at, id
      LIMIT {limit:UInt32}`,
    { from: ms(q.from, 0), to: ms(q.to, 8_640_000_000_000), service: q.service ?? '', team: q.team ?? '', tag: q.tag ?? '', limit: q.limit },
  )
  return rows.map((r) => ({ id: r.id, at: r.at_iso, endAt: r.end_iso, text: r.text, tags: r.tags, service: r.service || null, team: r.team || null }))
}

/** Whether an annotation is on the timeline now (added, processed, not removed). */
export async function annotationExists(db: Db, id: string): Promise<boolean> {
  const rows = await db.query<{ n: string | number }>('SELECT count() AS n FROM annotations FINAL WHERE id = {id:String} AND removed = 0', { id })
  return Number(rows[0]?.n ?? 0) > 0
}
