import { header } from '../../ingest/raw-body.ts'
import { idStr, str } from '../../processors/parse/fields.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { equalsAnyToken } from '../shared/secrets.ts'
import { readUnleash } from './parse.ts'

/** POST /webhooks/unleash: the static Authorization value Unleash is set to send; the event `id` names the delivery. */
export const unleashWebhook: JsonWebhook = {
  source: 'unleash',
  path: '/webhooks/unleash',
  configKey: 'flags.unleash.tokens',
  secrets: (c) => c.flags.unleash.tokens,
  verify: (req, _raw, tokens) => {
    const given = header(req, 'authorization')
    if (!given) return 'missing Authorization header (the value set in the Unleash webhook integration)'
    return equalsAnyToken(given, tokens) ? null : 'Authorization does not match any configured flags.unleash.tokens value'
  },
  describe: (body) => {
    readUnleash(body)
    return { deliveryId: idStr(body, 'id'), type: `io.getunleash.${str(body, 'type')}`, subject: typeof body['featureName'] === 'string' ? body['featureName'] : 'unleash' }
  },
}
