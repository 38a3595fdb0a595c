import { header } from '../../ingest/raw-body.ts'
import { isObject } from '../../ingest/json.ts'
import { str } from '../../processors/parse/fields.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { equalsAnyToken } from '../shared/secrets.ts'
import { flaggerIdentity, readFlagger } from './parse.ts'

/**
 * POST /webhooks/flagger. Flagger signs nothing and sets no headers; a webhook
 * spec has only a URL and `metadata`, so the token travels as `?token=` or as
 * `metadata.token` (its docs' own example), or as a bearer token from a proxy.
 */
export const flaggerWebhook: JsonWebhook = {
  source: 'flagger',
  path: '/webhooks/flagger',
  configKey: 'flags.flagger.tokens',
  secrets: (c) => c.flags.flagger.tokens,
  verify: (req, raw, tokens) => {
    const q = req.query['token']
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1]
    let meta: unknown
    try {
      const body: unknown = JSON.parse(raw.toString('utf8'))
      meta = isObject(body) && isObject(body['metadata']) ? body['metadata']['token'] : undefined
    } catch {
      meta = undefined
    }
    const given = [typeof q === 'string' ? q : undefined, bearer, typeof meta === 'string' ? meta : undefined]
    return given.some((g) => equalsAnyToken(g, tokens)) ? null : 'no known token (?token=, metadata.token or Authorization: Bearer)'
  },
  describe: (body, receivedAt) => {
    readFlagger(body, receivedAt)
    return { deliveryId: flaggerIdentity(body), type: `app.flagger.${str(body, 'phase').toLowerCase()}`, subject: str(body, 'name') }
  },
}
