import type { Request, Response } from 'express'
import { genericDeliveryId, genericEventSchema } from './generic-schema.ts'
import { bareFields, binaryFields, isBareCdevent, structuredFields } from './cdevents-fields.ts'
import type { IngestContext } from '../../ingest/context.ts'
import type { EnvelopeFields } from '../../ingest/envelope.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { unauthorized } from '../../http/errors.ts'
import { invalid, parseJsonObject, type JsonObject } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { verifyBearer } from '../../http/bearer.ts'

const JSON_MEDIA = 'application/json'
const CE_MEDIA = 'application/cloudevents+json'

/**
 * POST /events: our own JSON (sources/events/generic-schema.ts) and CloudEvents
 * carrying CDEvents (binary mode, structured mode, or a bare CDEvent).
 * CDEvents defines no signature, so this route is guarded by bearer tokens.
 */
export function eventsHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const tokens = ctx.config.events.tokens
    const authorization = header(req, 'authorization')
    const missing = 'missing or unknown bearer token (Authorization: Bearer <token>)'
    admit(req, { secured: tokens.length > 0, what: 'POST /events', configKey: 'events.tokens', credential: authorization, missing })
    if (tokens.length > 0 && !verifyBearer(authorization, tokens)) throw unauthorized(missing)
    await receive(ctx, req, res, {
      media: [JSON_MEDIA, CE_MEDIA],
      mediaNote: ' (batches are not supported)',
      envelope: (text, media) => {
        const body = parseJsonObject(text)
        const fields = media === CE_MEDIA ? structuredFields(req, body) : header(req, 'ce-specversion') ? binaryFields(req, body) : isBareCdevent(body) ? bareFields(req, body) : genericFields(req, body)
        return { ...fields, path: '/events' }
      },
    })
  }
}

function genericFields(req: Request, body: JsonObject): Omit<EnvelopeFields, 'data' | 'path'> {
  const parsed = genericEventSchema.safeParse(body)
  if (!parsed.success) throw invalid('event', parsed.error)
  const e = parsed.data
  return {
    source: 'generic',
    deliveryId: genericDeliveryId(e),
    // Named as contracts/envelope.ts documents it (dev.doraflow.generic.deployment).
    type: `dev.doraflow.generic.${e.kind}`,
    // A flag without a service: its key (the globs decide the service later).
    subject: e.kind === 'flag' ? (e.service ?? e.flag) : e.service,
    headers: { 'content-type': req.headers['content-type'] },
  }
}
