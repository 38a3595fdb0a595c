import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

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

/** A whole header value equal to one of the tokens (Unleash's static Authorization); hashed first so lengths do not leak. */
export function equalsAnyToken(value: string | undefined, tokens: readonly string[]): boolean {
  if (value === undefined || value === '') return false
  const given = createHash('sha256').update(value).digest()
  let ok = false
  for (const t of tokens) if (timingSafeEqual(given, createHash('sha256').update(t).digest())) ok = true
  return ok
}
