import { hexHmacHeader, type JsonWebhook } from '../shared/json-webhook.ts'
import { readEntry, readLaunchDarkly } from './parse.ts'

/** POST /webhooks/launchdarkly: X-LD-Signature (hex HMAC-SHA256 of the body); the entry's `_id` names the delivery. */
export const launchdarklyWebhook: JsonWebhook = {
  kind: 'launchdarkly',
  path: '/webhooks/launchdarkly',
  configKey: 'flags.launchdarkly.webhookSecrets',
  secrets: (c) => c.flags.launchdarkly.webhookSecrets,
  ...hexHmacHeader('X-LD-Signature'),
  describe: (body) => {
    const entry = readEntry(body)
    const r = readLaunchDarkly(body)
    return { deliveryId: entry.id, type: `com.launchdarkly.${entry.kind}`, subject: r.kind === 'events' ? r.events[0]!.flag : entry.kind }
  },
}
