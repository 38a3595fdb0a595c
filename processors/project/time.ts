import { parseInstant } from '../../contracts/instant.ts'

/** ISO 8601 → epoch ms (no zone: UTC). The parsers already rejected unparsable times. */
export function ms(iso: string): number {
  const t = parseInstant(iso)
  if (Number.isNaN(t)) throw new Error(`unparsable time ${JSON.stringify(iso)}`)
  return t
}

export const seconds = (fromMs: number, toMs: number): number => (toMs - fromMs) / 1000

/** Total order on (time, key): every "latest"/"earliest" choice is deterministic. */
export function byTimeThenKey<T extends { key: string }>(time: (x: T) => number) {
  return (a: T, b: T): number => time(a) - time(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
}
