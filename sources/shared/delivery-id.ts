import { createHash } from 'node:crypto'

/**
 * The sender's delivery id, else one derived from the raw body: senders and
 * proxies that drop the id header still collapse a byte-identical repeat.
 */
export function deliveryIdOf(candidates: readonly (string | undefined)[], raw: string, kind: string): string {
  for (const c of candidates) if (c && c.trim() !== '') return c.trim()
  return `sha256:${createHash('sha256').update(kind).update('\n').update(raw).digest('hex')}`
}
