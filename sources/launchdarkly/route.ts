import { header } from '../../ingest/raw-body.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { verifyHexHmac } from '../shared/secrets.ts'
import { readEntry, readLaunchDarkly } from './parse.ts'

/** POST /webhooks/launchdarkly: X-LD-Signature (hex HMAC-SHA256 of the body); the entry's `_id` names the delivery. */
export const launchdarklyWebhook: JsonWebhook = {
  source: 'launchdarkly',
  path: '/webhooks/launchdarkly',
  configKey: 'flags.launchdarkly.webhookSecrets',
  secrets: (c) => c.flags.launchdarkly.webhookSecrets,
  verify: (req, raw, secrets) => {
    const sig = header(req, 'x-ld-signature')
    if (!sig) return 'missing X-LD-Signature header'
    return verifyHexHmac(raw, sig, secrets) ? null : 'X-LD-Signature does not match the body under any configured secret'
  },
  describe: (body) => {
    const entry = readEntry(body)
    const r = readLaunchDarkly(body)
    return { deliveryId: entry.id, type: `com.launchdarkly.${entry.kind}`, subject: r.kind === 'events' ? r.events[0]!.flag : entry.kind }
  },
}
