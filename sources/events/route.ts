import type { Request, Response } from 'express'
import { genericDeliveryId, genericEventSchema } from './generic-schema.ts'
import { bareFields, binaryFields, isBareCdevent, structuredFields } from './cdevents-fields.ts'
import type { IngestContext } from '../../ingest/context.ts'
import { buildEnvelope, type EnvelopeFields } from '../../ingest/envelope.ts'
import { badRequest, unauthorized, unsupportedMediaType } from '../../http/errors.ts'
import { parseJsonObject, type JsonObject } from '../../http/json.ts'
import { requireLoopback } from '../../http/loopback.ts'
import { checkContentLength, decodeUtf8, header, mediaType, readRawBody } from '../../http/raw-body.ts'
import { appendAndAccept } from '../../ingest/store.ts'
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
    if (tokens.length === 0) requireLoopback(req, 'POST /events', 'events.tokens')
    else if (!verifyBearer(header(req, 'authorization'), tokens)) throw unauthorized('missing or unknown bearer token (Authorization: Bearer <token>)')

    const limit = ctx.config.ingest.maxBodyBytes
    checkContentLength(req, limit)
    const media = mediaType(req)
    if (media !== JSON_MEDIA && media !== CE_MEDIA) {
      throw unsupportedMediaType(`Content-Type must be ${JSON_MEDIA} or ${CE_MEDIA} (batches are not supported), got "${media || 'none'}"`)
    }
    const text = decodeUtf8(await readRawBody(req, limit))
    const body = parseJsonObject(text)
    const fields = media === CE_MEDIA ? structuredFields(req, body) : header(req, 'ce-specversion') ? binaryFields(req, body) : isBareCdevent(body) ? bareFields(req, body) : genericFields(req, body)
    await appendAndAccept(ctx, res, buildEnvelope({ ...fields, path: '/events', data: text }))
  }
}

function genericFields(req: Request, body: JsonObject): Omit<EnvelopeFields, 'data' | 'path'> {
  const parsed = genericEventSchema.safeParse(body)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
    throw badRequest(`invalid event: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues })
  }
  const e = parsed.data
  return {
    source: 'generic',
    deliveryId: genericDeliveryId(e),
    // Named as contracts/envelope.ts documents it (dev.doraflow.generic.deployment).
    type: `dev.doraflow.generic.${e.kind}`,
    subject: e.service,
    headers: { 'content-type': req.headers['content-type'] },
  }
}
