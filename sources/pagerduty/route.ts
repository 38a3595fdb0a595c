import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { badRequest, unauthorized, unsupportedMediaType } from '../../http/errors.ts'
import { parseJsonObject, str } from '../../http/json.ts'
import { pagerdutyBodySchema } from '../../http/schemas.ts'
import { requireLoopback } from '../../http/loopback.ts'
import { checkContentLength, decodeUtf8, header, mediaType, readRawBody } from '../../http/raw-body.ts'
import { appendAndAccept } from '../../ingest/store.ts'
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
    if (secrets.length === 0) requireLoopback(req, 'POST /webhooks/pagerduty', 'pagerduty.webhookSecrets')
    else if (!signature) throw unauthorized('missing X-PagerDuty-Signature header')

    const limit = ctx.config.ingest.maxBodyBytes
    checkContentLength(req, limit)
    const media = mediaType(req)
    if (media !== 'application/json') throw unsupportedMediaType(`Content-Type must be application/json, got "${media || 'none'}"`)

    const body = await readRawBody(req, limit)
    if (secrets.length > 0 && !verifyPagerDutySignature(body, signature!, secrets)) {
      throw unauthorized('no v1= entry of X-PagerDuty-Signature matches the body under any configured secret')
    }
    const text = decodeUtf8(body)
    const payload = parseJsonObject(text)
    const checked = pagerdutyBodySchema.safeParse(payload)
    if (!checked.success) throw badRequest(checked.error.issues.map((i) => i.message).join('; '))
    const event = checked.data.event
    const id = event.id
    const eventType = event.event_type

    await appendAndAccept(
      ctx,
      res,
      buildEnvelope({
        source: 'pagerduty',
        deliveryId: id,
        path: '/webhooks/pagerduty',
        type: `com.pagerduty.${eventType}`,
        // Incidents carry data.service; incident_note events only data.incident.
        subject: str(event, 'data', 'service', 'id') ?? str(event, 'data', 'incident', 'id') ?? 'pagerduty',
        headers: {
          'x-webhook-id': header(req, 'x-webhook-id'),
          'x-webhook-subscription': header(req, 'x-webhook-subscription'),
          'content-type': req.headers['content-type'],
        },
        data: text,
      }),
    )
  }
}
