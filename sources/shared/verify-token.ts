import { createHash, timingSafeEqual } from 'node:crypto'

/**
 * A shared secret sent in clear (GitLab's `X-Gitlab-Token`) compared with every
 * configured one in constant time. Both sides are hashed first so the comparison
 * takes the same time whatever the lengths, and every token is tried (no early
 * exit that would tell which one matched).
 */
export function tokenMatches(given: string, tokens: readonly string[]): boolean {
  if (given === '') return false
  const g = createHash('sha256').update(given).digest()
  let matched = false
  for (const t of tokens) {
    if (timingSafeEqual(g, createHash('sha256').update(t).digest())) matched = true
  }
  return matched
}
