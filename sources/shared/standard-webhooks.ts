/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com, the Svix scheme):
 * GitLab's signing tokens and incident.io's webhooks. The HMAC, the `v1,` list with
 * several signatures (secret rotation on the sender's side) and the constant-time
 * comparison are the `standardwebhooks` package's; this module picks the headers
 * (`webhook-*`, or Svix's branded `svix-*`), tries every configured secret (rotation
 * on our side) and turns the outcome into a value with a reason code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { utf8OrNull } from '../../http/raw-body.ts'

/** The package's own tolerance (5 minutes both ways); checked here first so the answer can say "stale". */
export const TOLERANCE_SECONDS = 5 * 60

export interface SignedHeaders {
  id: string
  timestamp: string
  signature: string
  /** Which family carried them: what the 401 message names. */
  prefix: 'webhook' | 'svix'
}

export type SignatureCheck =
  | { ok: true; id: string }
  | { ok: false; reason: 'missing_headers' | 'bad_timestamp' | 'stale_timestamp' | 'no_matching_signature'; message: string }

/** `webhook-id`/`-timestamp`/`-signature`, else `svix-*`; null when neither set is complete. */
export function signedHeaders(get: (name: string) => string | undefined): SignedHeaders | null {
  for (const prefix of ['webhook', 'svix'] as const) {
    const id = get(`${prefix}-id`)
    const timestamp = get(`${prefix}-timestamp`)
    const signature = get(`${prefix}-signature`)
    if (id && timestamp && signature) return { id, timestamp, signature, prefix }
  }
  return null
}

/** True when any of the three headers of either family is present: the sender meant to sign. */
export const anySignedHeader = (get: (name: string) => string | undefined): boolean =>
  ['webhook', 'svix'].some((p) => ['id', 'timestamp', 'signature'].some((h) => get(`${p}-${h}`) !== undefined))

// The package reads the clock itself (Date.now()), so this does too: one clock decides.
export function verifyStandardWebhook(body: Buffer, h: SignedHeaders | null, secrets: readonly string[]): SignatureCheck {
  if (h === null) return { ok: false, reason: 'missing_headers', message: 'webhook-id, webhook-timestamp and webhook-signature (or svix-id, svix-timestamp, svix-signature) headers are required' }
  if (!/^\d{1,12}$/.test(h.timestamp)) return { ok: false, reason: 'bad_timestamp', message: `${h.prefix}-timestamp must be unix seconds, got ${JSON.stringify(h.timestamp.slice(0, 40))}` }
  const skew = Math.floor(Date.now() / 1000) - Number(h.timestamp)
  if (Math.abs(skew) > TOLERANCE_SECONDS) {
    return { ok: false, reason: 'stale_timestamp', message: `${h.prefix}-timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'} (tolerance ${TOLERANCE_SECONDS} s): a replayed or delayed request, or a wrong clock` }
  }
  const headers = { 'webhook-id': h.id, 'webhook-timestamp': h.timestamp, 'webhook-signature': h.signature }
  // The package signs a string: bytes that are not UTF-8 would decode to the same string as
  // other bytes, so those are checked over the raw bytes (a well-signed one is then a 400, not a 401).
  const text = utf8OrNull(body)
  for (const secret of secrets) {
    if (text === null) {
      if (rawBytesMatch(body, h, secret)) return { ok: true, id: h.id }
      continue
    }
    try {
      new Webhook(secret).verify(text, headers, { jsonParse: false })
      return { ok: true, id: h.id }
    } catch {
      // this secret does not match: try the next one
    }
  }
  return { ok: false, reason: 'no_matching_signature', message: `${h.prefix}-signature matches the body under no configured secret` }
}

/** The same scheme over raw bytes (spec: HMAC-SHA256 of `id.timestamp.body`, base64, key = the secret's base64 after `whsec_`). */
function rawBytesMatch(body: Buffer, h: SignedHeaders, secret: string): boolean {
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64')
  const expected = createHmac('sha256', key).update(`${h.id}.${h.timestamp}.`).update(body).digest()
  return h.signature.split(' ').some((entry) => {
    const [version, sig] = entry.split(',')
    const given = version === 'v1' && sig ? Buffer.from(sig, 'base64') : Buffer.alloc(0)
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

/** What config validation uses: a `whsec_…` secret the package can decode to a non-empty key. */
export function isStandardWebhookSecret(secret: string): boolean {
  try {
    new Webhook(secret)
    return /^(whsec_)?[A-Za-z0-9+/]+={0,2}$/.test(secret)
  } catch {
    return false
  }
}
