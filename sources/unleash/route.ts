import { header } from '../../http/raw-body.ts'
import { idStr, str } from '../fields.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { tokenMatches } from '../shared/verify-token.ts'
import { readUnleash } from './parse.ts'

/** POST /webhooks/unleash: the static Authorization value Unleash is set to send; the event `id` names the delivery. */
export const unleashWebhook: JsonWebhook = {
  kind: 'unleash',
  path: '/webhooks/unleash',
  configKey: 'flags.unleash.tokens',
  secrets: (c) => c.flags.unleash.tokens,
  credential: (req) => header(req, 'authorization'),
  missing: 'missing Authorization header (the value set in the Unleash webhook integration)',
  verify: (req, _raw, tokens) => tokenMatches(header(req, 'authorization') ?? '', tokens),
  refused: 'Authorization does not match any configured flags.unleash.tokens value',
  describe: (body) => {
    readUnleash(body)
    return { deliveryId: idStr(body, 'id'), type: `io.getunleash.${str(body, 'type')}`, subject: typeof body['featureName'] === 'string' ? body['featureName'] : 'unleash' }
  },
}
