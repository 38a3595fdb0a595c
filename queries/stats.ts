/** `{count, median, p90, mean}` (METRICS.md §6) from the `<prefix>_count|median|p90|mean` columns of an aggregate row. */
export interface Stats {
  count: number
  median: number | null
  p90: number | null
  mean: number | null
}

/** A count column (absent or null: 0). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v))

/** count 0 → the other fields null (ClickHouse gives nan/null for empty quantiles). */
export function statsOf(r: Record<string, unknown> | undefined, prefix: string): Stats {
  const count = r ? num(r[`${prefix}_count`]) : 0
  if (count === 0) return { count: 0, median: null, p90: null, mean: null }
  const f = (k: string) => {
    const v = r?.[`${prefix}_${k}`]
    return v === null || v === undefined ? null : Number(v)
  }
  return { count, median: f('median'), p90: f('p90'), mean: f('mean') }
}
