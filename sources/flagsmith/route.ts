import { createHash } from 'node:crypto'
import { header } from '../../ingest/raw-body.ts'
import { str } from '../../processors/parse/fields.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { verifyHexHmac } from '../shared/secrets.ts'
import { flagsmithIdentity, readFlagsmith } from './parse.ts'

/** POST /webhooks/flagsmith: X-Flagsmith-Signature (hex HMAC-SHA256 of the body); no event id, so (feature, environment, timestamp). */
export const flagsmithWebhook: JsonWebhook = {
  source: 'flagsmith',
  path: '/webhooks/flagsmith',
  configKey: 'flags.flagsmith.webhookSecrets',
  secrets: (c) => c.flags.flagsmith.webhookSecrets,
  verify: (req, raw, secrets) => {
    const sig = header(req, 'x-flagsmith-signature')
    if (!sig) return 'missing X-Flagsmith-Signature header'
    return verifyHexHmac(raw, sig, secrets) ? null : 'X-Flagsmith-Signature does not match the body under any configured secret'
  },
  describe: (body) => {
    const type = str(body, 'event_type')
    const r = readFlagsmith(body)
    const id = type === 'FLAG_UPDATED' ? flagsmithIdentity(body) : `${type}:${createHash('sha256').update(JSON.stringify(body)).digest('hex')}`
    return { deliveryId: id, type: `com.flagsmith.${type.toLowerCase()}`, subject: r.kind === 'events' ? r.events[0]!.flag : 'flagsmith' }
  },
}
