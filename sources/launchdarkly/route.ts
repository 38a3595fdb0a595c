import { header } from '../../http/raw-body.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { verifyHexHmac } from '../shared/secrets.ts'
import { readEntry, readLaunchDarkly } from './parse.ts'

/** POST /webhooks/launchdarkly: X-LD-Signature (hex HMAC-SHA256 of the body); the entry's `_id` names the delivery. */
export const launchdarklyWebhook: JsonWebhook = {
  kind: 'launchdarkly',
  path: '/webhooks/launchdarkly',
  configKey: 'flags.launchdarkly.webhookSecrets',
  secrets: (c) => c.flags.launchdarkly.webhookSecrets,
  credential: (req) => header(req, 'x-ld-signature'),
  missing: 'missing X-LD-Signature header',
  verify: (req, raw, secrets) => verifyHexHmac(raw, header(req, 'x-ld-signature'), secrets),
  refused: 'X-LD-Signature does not match the body under any configured secret',
  describe: (body) => {
    const entry = readEntry(body)
    const r = readLaunchDarkly(body)
    return { deliveryId: entry.id, type: `com.launchdarkly.${entry.kind}`, subject: r.kind === 'events' ? r.events[0]!.flag : entry.kind }
  },
}
