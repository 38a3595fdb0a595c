import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { unauthorized } from '../../http/errors.ts'
import { invalid, parseJsonObject } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { isObj } from '../fields.ts'
import { deliveryIdOf } from '../shared/delivery-id.ts'
import { anySignedHeader, signedHeaders, verifyStandardWebhook } from '../shared/standard-webhooks.ts'
import { serviceOf, UNMAPPED_SERVICE } from './parse.ts'
import { incidentioBodySchema } from './schemas.ts'

/**
 * POST /webhooks/incidentio. incident.io sends through Svix: `webhook-*` headers
 * (Svix's own `svix-*` names accepted too), retried with backoff for 24 hours on a
 * non-2xx answer, the endpoint disabled after 5 days of failures. The message id
 * (`webhook-id`) is the same on every retry: the deduplication key.
 */
export function incidentioHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const secrets = ctx.config.incidentio.webhookSecrets
    const get = (n: string) => header(req, n)
    admit(req, {
      secured: secrets.length > 0,
      what: 'POST /webhooks/incidentio',
      configKey: 'incidentio.webhookSecrets',
      credential: anySignedHeader(get) ? 'present' : undefined,
      missing: 'missing webhook-id / webhook-timestamp / webhook-signature headers (or svix-*)',
    })
    const signed = signedHeaders(get)
    await receive(ctx, req, res, {
      media: ['application/json'],
      verify:
        secrets.length > 0
          ? (raw) => {
              const out = verifyStandardWebhook(raw, signed, secrets)
              if (!out.ok) throw unauthorized(`${out.message} (incidentio.webhookSecrets)`)
              return true
            }
          : undefined,
      envelope: (text) => {
        const body = parseJsonObject(text)
        const checked = incidentioBodySchema.safeParse(body)
        if (!checked.success) throw invalid('incident.io webhook body', checked.error)
        const eventType = checked.data.event_type
        const payload = body[eventType]
        const incident = isObj(payload) && isObj(payload['incident']) ? payload['incident'] : payload
        let service: string | null = null
        try {
          service = serviceOf(incident)
        } catch {
          service = null // the parser will say what is wrong with it; the subject only picks a partition
        }
        return {
          source: 'incidentio',
          deliveryId: deliveryIdOf([signed?.id, get('webhook-id'), get('svix-id')], text, eventType),
          path: '/webhooks/incidentio',
          type: `io.incident.${eventType}`,
          subject: (service ?? UNMAPPED_SERVICE).toLowerCase(),
          headers: { 'webhook-id': get('webhook-id') ?? get('svix-id'), 'webhook-timestamp': get('webhook-timestamp') ?? get('svix-timestamp'), 'content-type': req.headers['content-type'] },
        }
      },
    })
  }
}
