import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * PagerDuty V3: `X-PagerDuty-Signature: v1=<hex>,v1=<hex>` (one per secret
 * during a rotation). Like PagerDuty's Go client: split on ',', keep `v1=`
 * entries with well-formed hex, accept if any matches the HMAC-SHA256 of the
 * raw bytes under any configured secret. Compared in constant time on
 * equal-length digests.
 */
export function verifyPagerDutySignature(body: Buffer, header: string, secrets: readonly string[]): boolean {
  const given = header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('v1=') && /^[0-9a-fA-F]{64}$/.test(s.slice(3)))
    .map((s) => Buffer.from(s.slice(3), 'hex'))
  if (given.length === 0) return false
  let ok = false
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest()
    // No early exit: every candidate is compared, whatever matched before.
    for (const g of given) if (g.length === expected.length && timingSafeEqual(g, expected)) ok = true
  }
  return ok
}
