import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { badRequest } from '../../http/errors.ts'
import { parseJsonObject, str } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { pagerdutyBodySchema } from './schemas.ts'
import { verifyPagerDutySignature } from './verify.ts'

/**
 * POST /webhooks/pagerduty (V3). The envelope id is `event.id`: it names the
 * event across retries (which repeat X-Webhook-Id) and across subscriptions,
 * so all of them collapse onto one envelope. X-Webhook-Id is kept in headers.
 */
export function pagerdutyHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const secrets = ctx.config.pagerduty.webhookSecrets
    const signature = header(req, 'x-pagerduty-signature')
    admit(req, { secured: secrets.length > 0, what: 'POST /webhooks/pagerduty', configKey: 'pagerduty.webhookSecrets', credential: signature, missing: 'missing X-PagerDuty-Signature header' })
    await receive(ctx, req, res, {
      media: ['application/json'],
      verify: secrets.length > 0 ? (raw) => verifyPagerDutySignature(raw, signature!, secrets) : undefined,
      refused: 'no v1= entry of X-PagerDuty-Signature matches the body under any configured secret',
      envelope: (text) => {
        const checked = pagerdutyBodySchema.safeParse(parseJsonObject(text))
        if (!checked.success) throw badRequest(checked.error.issues.map((i) => i.message).join('; '))
        const event = checked.data.event
        return {
          source: 'pagerduty',
          deliveryId: event.id,
          path: '/webhooks/pagerduty',
          type: `com.pagerduty.${event.event_type}`,
          // Incidents carry data.service; incident_note events only data.incident.
          subject: str(event, 'data', 'service', 'id') ?? str(event, 'data', 'incident', 'id') ?? 'pagerduty',
          headers: {
            'x-webhook-id': header(req, 'x-webhook-id'),
            'x-webhook-subscription': header(req, 'x-webhook-subscription'),
            'content-type': req.headers['content-type'],
          },
        }
      },
    })
  }
}
