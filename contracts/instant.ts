/**
 * ISO 8601 text → epoch ms, the one way every stage reads a time. A
 * date-time without a zone (`2026-07-01T10:00:00`, `2026-07-01 10:00:00`)
 * is UTC: `Date.parse` would read it in the host's TZ, so the same event
 * would count at another instant on a server in Berlin than in New York.
 * NaN when it is not a date-time.
 */
const ZONELESS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)$/

export function parseInstant(text: string): number {
  const m = ZONELESS.exec(text.trim())
  return Date.parse(m ? `${m[1]}T${m[2]!.replace(',', '.')}Z` : text)
}
