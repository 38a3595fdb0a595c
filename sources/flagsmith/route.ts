import { createHash } from 'node:crypto'
import { str } from '../fields.ts'
import { hexHmacHeader, type JsonWebhook } from '../shared/json-webhook.ts'
import { flagsmithIdentity, readFlagsmith } from './parse.ts'

/** POST /webhooks/flagsmith: X-Flagsmith-Signature (hex HMAC-SHA256 of the body); no event id, so (feature, environment, timestamp). */
export const flagsmithWebhook: JsonWebhook = {
  kind: 'flagsmith',
  path: '/webhooks/flagsmith',
  configKey: 'flags.flagsmith.webhookSecrets',
  secrets: (c) => c.flags.flagsmith.webhookSecrets,
  ...hexHmacHeader('X-Flagsmith-Signature'),
  describe: (body) => {
    const type = str(body, 'event_type')
    const r = readFlagsmith(body)
    // Other event types carry no identity of their own: the body's digest (a redelivery is the same bytes).
    const id = type === 'FLAG_UPDATED' ? flagsmithIdentity(body) : `${type}:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`
    return { deliveryId: id, type: `com.flagsmith.${type.toLowerCase()}`, subject: r.kind === 'events' ? r.events[0]!.flag : 'flagsmith' }
  },
}
