import type { Request, Response } from 'express'
import type { Config } from '../../config/schema.ts'
import type { EnvelopeSource } from '../../domain/envelope.ts'
import type { IngestContext } from '../../ingest/context.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { badRequest, unauthorized, unsupportedMediaType } from '../../ingest/errors.ts'
import { parseJsonObject, type JsonObject } from '../../ingest/json.ts'
import { requireLoopback } from '../../ingest/loopback.ts'
import { checkContentLength, decodeUtf8, mediaType, readRawBody } from '../../ingest/raw-body.ts'
import { appendAndAccept } from '../../ingest/store.ts'
import { BadField } from '../../processors/parse/fields.ts'

/** A JSON webhook source: how it is authenticated and what names a delivery. */
export interface JsonWebhook {
  source: EnvelopeSource
  path: string
  /** The config key to name when no secret is set (then loopback only). */
  configKey: string
  secrets: (config: Config) => string[]
  /** Null when authentic; else why not (401). Runs on the raw bytes, before anything is read from them. */
  verify: (req: Request, raw: Buffer, secrets: string[]) => string | null
  /**
   * The envelope's delivery id, type and subject. Reads the body with the
   * processor's own parser, so a body the parser would refuse is a 400 naming
   * the field (BadField) instead of a dead letter later.
   */
  describe: (body: JsonObject, receivedAt: string) => { deliveryId: string; type: string; subject: string }
  headers?: (req: Request) => Record<string, string | undefined>
}

/**
 * POST handler for a JSON webhook: verified on the raw bytes before parsing,
 * 400 naming the field, 202 only once the envelope is durable (ingest/store.ts).
 */
export function jsonWebhookHandler(ctx: IngestContext, w: JsonWebhook) {
  return async (req: Request, res: Response): Promise<void> => {
    const secrets = w.secrets(ctx.config)
    if (secrets.length === 0) requireLoopback(req, `POST ${w.path}`, w.configKey)
    const limit = ctx.config.ingest.maxBodyBytes
    checkContentLength(req, limit)
    const media = mediaType(req)
    if (media !== 'application/json') throw unsupportedMediaType(`Content-Type must be application/json, got "${media || 'none'}"`)
    const raw = await readRawBody(req, limit)
    if (secrets.length > 0) {
      const refused = w.verify(req, raw, secrets)
      if (refused !== null) throw unauthorized(refused)
    }
    const text = decodeUtf8(raw)
    const body = parseJsonObject(text)
    const now = new Date()
    let described
    try {
      described = w.describe(body, now.toISOString())
    } catch (err) {
      if (err instanceof BadField) throw badRequest(`invalid ${w.source} payload: ${err.message}`)
      throw err
    }
    const headers = { 'content-type': req.headers['content-type'], ...w.headers?.(req) }
    await appendAndAccept(ctx, res, buildEnvelope({ source: w.source, path: w.path, data: text, headers, ...described }, now))
  }
}
