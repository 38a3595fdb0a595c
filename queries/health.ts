import type { Db } from '../clickhouse/client.ts'

/** Dead letters counted by reason, most frequent first (the overview's banner, `doctor`). */
export async function deadLettersByReason(db: Db, limit = 10): Promise<{ total: number; byReason: { reason: string; count: number }[] }> {
  const rows = await db.query<{ reason: string; n: string | number }>('SELECT reason, count() AS n FROM dead_letters FINAL GROUP BY reason ORDER BY n DESC, reason LIMIT {limit:UInt32}', { limit })
  const total = await db.query<{ n: string | number }>('SELECT count() AS n FROM dead_letters FINAL')
  return { total: Number(total[0]?.n ?? 0), byReason: rows.map((r) => ({ reason: r.reason, count: Number(r.n) })) }
}
