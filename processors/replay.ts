import type { Db } from '../clickhouse/client.ts'
import { chTime } from '../clickhouse/client.ts'
import { ALL_TABLES } from '../clickhouse/migrations.ts'
import type { Config } from '../config/schema.ts'
import type { EventLog } from '../log/types.ts'
import { factRow, type FactRow } from './facts.ts'
import { parseEnvelope } from './parse/index.ts'
import { closeRoutings, recompute } from './recompute.ts'

export interface ReplayProgress {
  phase: 'facts' | 'services'
  done: number
  total: number
}

export interface ReplayResult {
  events: number
  facts: number
  dropped: number
  deadLettered: number
  services: number
}

/**
 * Rebuilds every ClickHouse table from the log: (1) empty the tables,
 * (2) stream the log into facts, batch by batch, (3) recompute the services
 * group by group, so memory holds one batch or one group at a time.
 * Afterwards the processor's offset points at the log's head.
 */
export async function replay(log: EventLog, db: Db, config: Config, onProgress: (p: ReplayProgress) => void = () => {}, batchSize = 5000): Promise<ReplayResult> {
  for (const t of ALL_TABLES) await db.command(`TRUNCATE TABLE IF EXISTS ${t}`)
  const head = await log.headOffset()
  const result: ReplayResult = { events: 0, facts: 0, dropped: 0, deadLettered: 0, services: 0 }
  let offset = 0
  onProgress({ phase: 'facts', done: 0, total: head })
  for (;;) {
    const batch = await log.read(offset, batchSize)
    if (batch.length === 0) break
    const facts: FactRow[] = []
    const dead: object[] = []
    for (const item of batch) {
      let out
      try {
        out = parseEnvelope(item.envelope)
      } catch (e) {
        out = { kind: 'dlq' as const, reason: `parser failed: ${(e as Error).message}` }
      }
      if (out.kind === 'ok') for (const ev of out.events) facts.push(factRow(ev, item.envelope.id, item.offset))
      else if (out.kind === 'drop') result.dropped++
      else dead.push({ envelope_id: item.envelope.id, log_offset: item.offset, envelope_type: item.envelope.type, reason: out.reason, raw: JSON.stringify(item.envelope), recorded_at: chTime(Date.now()) })
    }
    await db.insert('facts', facts)
    await db.insert('dead_letters', dead)
    result.events += batch.length
    result.facts += facts.length
    result.deadLettered += dead.length
    offset = batch[batch.length - 1]!.offset
    onProgress({ phase: 'facts', done: offset, total: Math.max(head, offset) })
  }

  const routings = (await db.query<{ routing: string }>('SELECT DISTINCT routing FROM facts ORDER BY routing')).map((r) => r.routing)
  // Group routings into the services they close over, then recompute a few groups at a time.
  const covered = new Set<string>()
  const groups: string[][] = []
  for (const r of routings) {
    if (covered.has(r)) continue
    const { routings: closed } = closeRoutings([r], config)
    for (const x of closed) covered.add(x)
    groups.push([...closed])
  }
  const services = new Set<string>()
  let done = 0
  onProgress({ phase: 'services', done: 0, total: groups.length })
  const perChunk = 50
  for (let i = 0; i < groups.length; i += perChunk) {
    const chunk = groups.slice(i, i + perChunk)
    for (const s of await recompute(db, config, chunk.flat())) services.add(s)
    done += chunk.length
    onProgress({ phase: 'services', done, total: groups.length })
  }
  result.services = services.size
  // Only what was read: anything appended meanwhile is left for the processor.
  await log.commit(config.processor.group, offset)
  return result
}
