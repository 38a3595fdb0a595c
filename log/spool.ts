/**
 * The ingest spool: a local durable queue (the embedded SQLite log, fsync on
 * every group commit) that ingest writes to while Kafka is unreachable or
 * slow, so that a delivery is still durable before its 2xx. A forwarder
 * (log/kafka.ts) drains it to Kafka in offset order; forwarded rows are then
 * deleted so the file stays small. One spool per ingest replica (its own
 * spoolPath): two processes forwarding one spool would only duplicate, never
 * lose, but there is no reason to share it.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Envelope, LoggedEnvelope } from '../contracts/envelope.ts'
import { openEmbeddedLog, type EmbeddedLog } from './embedded.ts'
import type { AppendResult } from './types.ts'

const GROUP = 'kafka-forwarder'

export interface Spool {
  readonly path: string
  append(e: Envelope): Promise<AppendResult>
  /** The oldest unforwarded envelopes, in order. */
  pending(limit: number): Promise<LoggedEnvelope[]>
  /** Everything up to `offset` reached Kafka (acks=all): forget it. */
  forwarded(offset: number): Promise<void>
  /** Unforwarded envelopes. */
  depth(): number
  /** Seconds since the oldest unforwarded envelope was spooled (0 when empty). */
  lagSeconds(now?: number): number
  healthy(): Promise<boolean>
  close(): Promise<void>
}

export function spoolExists(dir: string): boolean {
  return existsSync(join(dir, 'events.db'))
}

export function openSpool(dir: string): Spool {
  const log: EmbeddedLog = openEmbeddedLog(dir)
  // A second connection for what EventLog has no verb for: counting and deleting forwarded rows.
  const db = new Database(log.path)
  db.pragma('busy_timeout = 5000')
  const countAfter = db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE "offset" > ?')
  const oldestAfter = db.prepare<[number], { envelope: string }>('SELECT envelope FROM events WHERE "offset" > ? ORDER BY "offset" LIMIT 1')
  const prune = db.prepare<[number], void>('DELETE FROM events WHERE "offset" <= ?')
  const committed = db.prepare<[string], { offset: number }>('SELECT "offset" AS offset FROM consumer_offsets WHERE grp = ?')
  let done = committed.get(GROUP)?.offset ?? 0
  let depth = countAfter.get(done)?.n ?? 0
  let oldest: number | null = null
  const refreshOldest = () => {
    const row = oldestAfter.get(done)
    oldest = row ? Date.parse((JSON.parse(row.envelope) as Envelope).time) : null
  }
  refreshOldest()
  return {
    path: dir,
    async append(e) {
      const r = await log.append(e)
      if (!r.duplicate) {
        depth++
        oldest ??= Date.parse(e.time)
      }
      return r
    },
    pending: (limit) => log.read(done, limit),
    async forwarded(offset) {
      await log.commit(GROUP, offset)
      done = offset
      prune.run(offset)
      depth = countAfter.get(done)?.n ?? 0
      refreshOldest()
    },
    depth: () => depth,
    lagSeconds: (now = Date.now()) => (oldest === null || depth === 0 ? 0 : Math.max(0, (now - oldest) / 1000)),
    healthy: () => log.healthy(),
    async close() {
      db.close()
      await log.close()
    },
  }
}
