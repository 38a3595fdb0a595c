import type { Db } from '../clickhouse/client.ts'
import { ALL_TABLES } from '../clickhouse/migrations.ts'
import type { Config } from '../config/schema.ts'
import type { EventLog } from '../log/types.ts'
import { parseBatch } from './parse-batch.ts'
import { recompute } from './recompute.ts'
import { closeRoutings } from '../sources/routing.ts'

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

export interface ReplayOptions {
  /** Envelopes per log read and facts insert. */
  batchSize?: number
  /** Upper bound of facts loaded and projected at once in the services phase (memory stays flat). */
  factsPerChunk?: number
  /** Checked between batches: an aborted replay stops with ReplayAborted and commits no offset. */
  signal?: AbortSignal
}

export class ReplayAborted extends Error {
  override name = 'ReplayAborted'
}

/**
 * Rebuilds every ClickHouse table from the log: (1) empty the tables,
 * (2) stream the log into facts, batch by batch — the next batch is read and
 * parsed while ClickHouse inserts the previous one, (3) recompute the services
 * in chunks of about `factsPerChunk` facts, so memory holds one batch or one
 * chunk at a time. The tables were just truncated, so a service is inserted
 * without the DELETE live processing needs (a service met again in a later
 * chunk, e.g. an implied one two sources share, is replaced as usual).
 * Afterwards the processor's offset points at the log's head.
 */
export async function replay(log: EventLog, db: Db, config: Config, onProgress: (p: ReplayProgress) => void = () => {}, options: ReplayOptions | number = {}): Promise<ReplayResult> {
  const opts = typeof options === 'number' ? { batchSize: options } : options
  const batchSize = opts.batchSize ?? 5000
  const factsPerChunk = opts.factsPerChunk ?? 20_000
  for (const t of ALL_TABLES) await db.command(`TRUNCATE TABLE IF EXISTS ${t}`)
  const head = await log.headOffset()
  const result: ReplayResult = { events: 0, facts: 0, dropped: 0, deadLettered: 0, services: 0 }
  let offset = 0
  onProgress({ phase: 'facts', done: 0, total: head })
  let inFlight: Promise<void> = Promise.resolve()
  const check = () => {
    if (opts.signal?.aborted) throw new ReplayAborted('replay aborted before the end; the tables are incomplete')
  }
  for (;;) {
    check()
    const batch = await log.read(offset, batchSize)
    if (batch.length === 0) break
    const { facts, dead, annotations, dropped } = await parseBatch(batch)
    result.dropped += dropped
    await inFlight
    inFlight = Promise.all([db.insert('facts', facts), db.insert('dead_letters', dead), db.insert('annotations', annotations)]).then(() => undefined)
    // A rejected insert is awaited (and thrown) at the next batch or after the loop.
    inFlight.catch(() => {})
    result.events += batch.length
    result.facts += facts.length
    result.deadLettered += dead.length
    offset = batch[batch.length - 1]!.offset
    onProgress({ phase: 'facts', done: offset, total: Math.max(head, offset) })
  }
  await inFlight

  const counts = await db.query<{ routing: string; n: string | number }>('SELECT routing, count() AS n FROM facts GROUP BY routing ORDER BY routing')
  const factsOfRouting = new Map(counts.map((c) => [c.routing, Number(c.n)]))
  // Group routings into the services they close over, then recompute chunks of groups.
  const covered = new Set<string>()
  const groups: { routings: string[]; facts: number }[] = []
  for (const { routing } of counts) {
    if (covered.has(routing)) continue
    const { routings: closed } = closeRoutings([routing], config)
    let n = 0
    for (const x of closed) {
      covered.add(x)
      n += factsOfRouting.get(x) ?? 0
    }
    groups.push({ routings: [...closed], facts: n })
  }
  const services = new Set<string>()
  let done = 0
  onProgress({ phase: 'services', done: 0, total: groups.length })
  for (let i = 0; i < groups.length; ) {
    check()
    const chunk: string[] = []
    let n = 0
    let j = i
    while (j < groups.length && (j === i || n + groups[j]!.facts <= factsPerChunk)) {
      chunk.push(...groups[j]!.routings)
      n += groups[j]!.facts
      j++
    }
    for (const s of await recompute(db, config, chunk, { onlyDelete: services })) services.add(s)
    done += j - i
    i = j
    onProgress({ phase: 'services', done, total: groups.length })
  }
  result.services = services.size
  // Only what was read: anything appended meanwhile is left for the processor.
  await log.commit(config.processor.group, offset)
  return result
}
