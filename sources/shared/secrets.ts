import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * `<hex HMAC-SHA256 of the raw body>` under any configured secret
 * (LaunchDarkly X-LD-Signature, Flagsmith X-Flagsmith-Signature). Every
 * secret is tried, compared in constant time on equal-length digests.
 */
export function verifyHexHmac(body: Buffer, signature: string | undefined, secrets: readonly string[]): boolean {
  const hex = (signature ?? '').trim()
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false
  const given = Buffer.from(hex, 'hex')
  let ok = false
  for (const s of secrets) if (timingSafeEqual(given, createHmac('sha256', s).update(body).digest())) ok = true
  return ok
}
