/**
 * One CSV field (RFC 4180), for every CSV doraflow writes (metrics, the report
 * library, the quarterly review): empty for no value, arrays as JSON, quoted
 * when it holds a comma, a quote or a line break.
 */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return ''
  const s = Array.isArray(v) ? JSON.stringify(v) : String(v)
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}
