import { z } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import { isoMs, isoOrDate, ms } from './records.ts'

/**
 * Dead letters: envelopes that are in the log but could not be processed, with
 * the reason (a sender's format change, a field out of range, ClickHouse refusing
 * the rows). The raw envelope stays in the table and in the log, not in this
 * answer: a read token is for figures, not for the senders' payloads.
 */
export const deadLettersQuerySchema = z.object({
  from: isoOrDate.optional(),
  to: isoOrDate.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(200),
})
export type DeadLettersQuery = z.infer<typeof deadLettersQuerySchema>

export interface DeadLetterView {
  envelopeId: string
  logOffset: number
  envelopeType: string
  reason: string
  /** The reason as a code (contracts/events.ts DEAD_LETTER_CODES); '' for rows written before codes existed. */
  reasonCode: string
  recordedAt: string
}

/** Newest first, recorded in [from, to). */
export async function listDeadLetters(db: Db, q: DeadLettersQuery): Promise<{ total: number; byReason: Record<string, number>; deadLetters: DeadLetterView[] }> {
  const params = { from: ms(q.from, 0), to: ms(q.to, 8_640_000_000_000), limit: q.limit }
  const where = 'recorded_at >= fromUnixTimestamp64Milli({from:Int64}) AND recorded_at < fromUnixTimestamp64Milli({to:Int64})'
  const rows = await db.query<{ envelope_id: string; log_offset: string | number; envelope_type: string; reason: string; reason_code: string; recorded_iso: string }>(
    `SELECT envelope_id, log_offset, envelope_type, reason, reason_code, ${isoMs('recorded_at')} AS recorded_iso
       FROM dead_letters FINAL WHERE ${where} ORDER BY recorded_at DESC, envelope_id LIMIT {limit:UInt32}`,
    params,
  )
  const counts = await db.query<{ code: string; n: string | number }>(`SELECT reason_code AS code, count() AS n FROM dead_letters FINAL WHERE ${where} GROUP BY code ORDER BY code`, params)
  return {
    total: counts.reduce((n, c) => n + Number(c.n), 0),
    byReason: Object.fromEntries(counts.map((c) => [c.code, Number(c.n)])),
    deadLetters: rows.map((r) => ({ envelopeId: r.envelope_id, logOffset: Number(r.log_offset), envelopeType: r.envelope_type, reason: r.reason, reasonCode: r.reason_code, recordedAt: r.recorded_iso })),
  }
}
