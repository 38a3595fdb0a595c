import { createHmac, timingSafeEqual } from 'node:crypto'
import { verifyWithFallback } from '@octokit/webhooks-methods'
import { utf8OrNull } from '../../http/raw-body.ts'

/**
 * Checks `X-Hub-Signature-256` against every configured secret (rotation).
 *
 * @octokit/webhooks-methods signs a *string*: a body that is not valid UTF-8
 * would be decoded with replacement characters, so different bytes could map
 * onto the same string and a signature over other bytes could pass. We hand it
 * only bodies that round-trip exactly (valid UTF-8, non-empty); anything else
 * is checked with our own HMAC over the raw Buffer.
 */
export async function verifyGithubSignature(body: Buffer, signature: string, secrets: readonly string[], text: string | null = utf8OrNull(body)): Promise<boolean> {
  const [first, ...rest] = secrets
  if (first === undefined || signature === '') return false
  // `text`: the body decoded, null when it is not valid UTF-8 (the routes pass receive's own decode).
  if (body.length > 0 && text !== null) {
    return (await verifyWithFallback(first, text, signature, rest)) === true
  }
  return secrets.some((s) => hmacMatches(body, s, signature))
}

function hmacMatches(body: Buffer, secret: string, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`)
  const given = Buffer.from(signature)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
