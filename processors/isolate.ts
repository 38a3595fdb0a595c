import type { Logger } from 'pino'
import { DbError, type Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { LoggedEnvelope } from '../contracts/envelope.ts'
import { wellFormed } from '../contracts/well-formed.ts'
import { deadLetterRow, parseBatch } from './parse-batch.ts'
import { recompute } from './recompute.ts'

/** What processEnvelopes does to a batch (processor.ts), passed in to keep this module below it. */
export type ProcessStep<R> = (batch: readonly LoggedEnvelope[]) => Promise<R>

/**
 * The last line against a poison pill: an envelope whose rows ClickHouse refuses
 * (the parsers already turn every input we know of into a dead letter instead).
 * Without this, its batch fails for ever and processing stops for everyone.
 *
 * When a batch fails while ClickHouse answers (ping), the facts it wrote are taken
 * out again (a refused derived row comes from facts already in: left there, they
 * would fail every later recompute of their services, good envelopes included),
 * the batch is split in halves and each processed again, down to single
 * envelopes; one that still fails alone, twice, with ClickHouse answering, is
 * quarantined: it goes to dead_letters with ClickHouse's reason, and the services
 * it touched are recomputed without it. If ClickHouse does not answer, the error goes up as
 * before (pause, retry, no offset committed): an outage never dead-letters anything.
 * Processing is idempotent and order-free, so processing halves again is safe.
 */
export async function processIsolating<R>(batch: readonly LoggedEnvelope[], db: Db, config: Config, step: ProcessStep<R>, logger?: Logger): Promise<{ results: R[]; quarantined: string[] }> {
  const out = { results: [] as R[], quarantined: [] as string[] }
  const attempt = async (part: readonly LoggedEnvelope[], retried = false): Promise<void> => {
    try {
      out.results.push(await step(part))
      return
    } catch (e) {
      if (!(e instanceof DbError) || !(await db.ping())) throw e
      await forget(part, db)
      if (part.length > 1) {
        logger?.warn({ err: e.message, envelopes: part.length }, 'ClickHouse refused a batch although it answers: processing it in halves to find the envelope responsible')
        const mid = Math.ceil(part.length / 2)
        await attempt(part.slice(0, mid))
        await attempt(part.slice(mid))
        return
      }
      // One envelope: once more (a transient failure must not cost an event), then quarantine.
      if (!retried) return attempt(part, true)
      const item = part[0]!
      await quarantine(item, e, db, config)
      out.quarantined.push(item.envelope.id)
      logger?.error({ id: item.envelope.id, offset: item.offset, err: e.message }, 'ClickHouse refuses the rows of this envelope: dead-lettered so processing goes on')
    }
  }
  await attempt(batch)
  return out
}

/** Takes out what a failed attempt wrote for these envelopes (processing them again writes it back). */
async function forget(part: readonly LoggedEnvelope[], db: Db): Promise<void> {
  const ids = part.map((p) => wellFormed(p.envelope.id)) // as parse-batch wrote them
  await db.command('DELETE FROM facts WHERE envelope_id IN {ids:Array(String)}', { ids })
  await db.command('DELETE FROM annotations WHERE envelope_id IN {ids:Array(String)}', { ids })
}

async function quarantine(item: LoggedEnvelope, err: DbError, db: Db, config: Config): Promise<void> {
  const { routings } = await parseBatch([item])
  await db.insert('dead_letters', [deadLetterRow(item, `ClickHouse refused its rows: ${err.message.slice(0, 2000)}`, 'refused_by_clickhouse')])
  // Its services, recomputed from the facts that remain (a derived row it broke is rewritten).
  await recompute(db, config, routings)
}
