import Database from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** The newest envelope of one source in the log. */
export interface LastDelivery {
  source: string
  offset: number
  id: string
  type: string
  /** When ingest stored it (the envelope's `time`). */
  time: string
}

export interface LogSnapshot {
  head: number
  committed: number
  last: LastDelivery[]
}

/**
 * A read-only look into an embedded log (its SQLite file) for `doraflow doctor`:
 * safe beside a running serve (WAL readers do not block the writer), and it never
 * creates the file. Null when there is no log yet.
 */
export function inspectEmbeddedLog(dir: string, group: string): LogSnapshot | null {
  const path = join(dir, 'events.db')
  if (!existsSync(path)) return null
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    db.pragma('busy_timeout = 5000')
    const head = (db.prepare('SELECT coalesce(max("offset"), 0) AS n FROM events').get() as { n: number }).n
    const committed = (db.prepare('SELECT "offset" AS n FROM consumer_offsets WHERE grp = ?').get(group) as { n: number } | undefined)?.n ?? 0
    // One scan; doctor runs rarely, and the envelope's source is only inside its JSON.
    const last = db
      .prepare(
        `SELECT e.source, e.off AS "offset", ev.id, ev.type, json_extract(ev.envelope, '$.time') AS time
           FROM (SELECT json_extract(envelope, '$.doraflowsource') AS source, max("offset") AS off FROM events GROUP BY 1) e
           JOIN events ev ON ev."offset" = e.off
          ORDER BY e.source`,
      )
      .all() as LastDelivery[]
    return { head, committed, last }
  } finally {
    db.close()
  }
}
