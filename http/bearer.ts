import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * `Authorization: Bearer <token>` against the configured tokens. Both sides are
 * hashed first so the constant-time compare runs on equal lengths and the
 * token's length does not leak.
 */
export function verifyBearer(authorization: string | undefined, tokens: readonly string[]): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (!m) return false
  const given = createHash('sha256').update(m[1]!).digest()
  let ok = false
  for (const t of tokens) if (timingSafeEqual(given, createHash('sha256').update(t).digest())) ok = true
  return ok
}
