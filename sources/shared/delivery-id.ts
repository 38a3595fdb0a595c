import { createHash } from 'node:crypto'

/**
 * The delivery id of a request without the sender's own (Four Keys' data generator,
 * home-made scripts, proxies that drop headers): the event name and the SHA-256 of the
 * raw body, so a byte-identical repeat collapses like a redelivery while two different
 * events never do.
 */
export function derivedDeliveryId(event: string, body: string): string {
  return `derived:${event}:${createHash('sha256').update(body, 'utf8').digest('hex')}`
}

/** The first delivery id the sender gave (header order = preference), else the derived one. */
export function deliveryIdOf(candidates: readonly (string | undefined)[], raw: string, kind: string): string {
  for (const c of candidates) if (c && c.trim() !== '') return c.trim()
  return derivedDeliveryId(kind, raw)
}
