import type { Request } from 'express'
import { isObject } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { str } from '../fields.ts'
import type { JsonWebhook } from '../shared/json-webhook.ts'
import { tokenMatches } from '../shared/verify-token.ts'
import { flaggerIdentity, readFlagger } from './parse.ts'

const queryToken = (req: Request) => (typeof req.query['token'] === 'string' ? req.query['token'] : undefined)
const bearer = (req: Request) => /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '')?.[1]

function metadataToken(raw: Buffer): string | undefined {
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'))
    const t = isObject(body) && isObject(body['metadata']) ? body['metadata']['token'] : undefined
    return typeof t === 'string' ? t : undefined
  } catch {
    return undefined
  }
}

/**
 * POST /webhooks/flagger. Flagger signs nothing and sets no headers; a webhook
 * spec has only a URL and `metadata`, so the token travels as `?token=` or as
 * `metadata.token` (its docs' own example), or as a bearer token from a proxy.
 */
export const flaggerWebhook: JsonWebhook = {
  kind: 'flagger',
  path: '/webhooks/flagger',
  configKey: 'flagger.tokens',
  secrets: (c) => c.flagger.tokens,
  missing: 'no token',
  verify: (req, raw, tokens) => [queryToken(req), bearer(req), metadataToken(raw)].some((t) => t !== undefined && tokenMatches(t, tokens)),
  refused: 'no known token (?token=, metadata.token or Authorization: Bearer; flagger.tokens)',
  describe: (body, receivedAt) => {
    readFlagger(body, receivedAt)
    return { deliveryId: flaggerIdentity(body), type: `app.flagger.${str(body, 'phase').toLowerCase()}`, subject: str(body, 'name') }
  },
}
