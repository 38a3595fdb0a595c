import type { Request, Response } from 'express'
import type { Config } from '../../config/schema.ts'
import type { EnvelopeSource } from '../../contracts/envelope.ts'
import type { IngestContext } from '../../ingest/context.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { badRequest } from '../../http/errors.ts'
import { parseJsonObject, type JsonObject } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { BadField } from '../fields.ts'
import { verifyHexHmac } from './secrets.ts'

/** A JSON webhook of a flag or rollout tool: how it is authenticated and what names a delivery. */
export interface JsonWebhook {
  kind: EnvelopeSource
  path: string
  /** The config key to name when no secret is set (then loopback only). */
  configKey: string
  secrets: (config: Config) => string[]
  /** The credential that must be present when secured (a signature header); undefined: it may be in the body. */
  credential?: (req: Request) => string | undefined
  missing: string
  /** Over the raw bytes, before anything is read from them. */
  verify: (req: Request, raw: Buffer, secrets: string[]) => boolean
  refused: string
  /**
   * The envelope's delivery id, type and subject. Reads the body with the
   * processor's own parser, so a body the parser would refuse is a 400 naming
   * the field (BadField) instead of a dead letter later.
   */
  describe: (body: JsonObject, receivedAt: string) => { deliveryId: string; type: string; subject: string }
}

/**
 * The four authentication fields of a JSON webhook signed with a hex HMAC-SHA256 of the
 * body in one header (LaunchDarkly's X-LD-Signature, Flagsmith's X-Flagsmith-Signature).
 */
export function hexHmacHeader(name: string): Pick<JsonWebhook, 'credential' | 'missing' | 'verify' | 'refused'> {
  const lower = name.toLowerCase()
  return {
    credential: (req) => header(req, lower),
    missing: `missing ${name} header`,
    verify: (req, raw, secrets) => verifyHexHmac(raw, header(req, lower), secrets),
    refused: `${name} does not match the body under any configured secret`,
  }
}

/** The delivery route of a JSON webhook (ingest/receive.ts does the reading, verifying and appending). */
export const jsonWebhookHandler = (w: JsonWebhook) => (ctx: IngestContext) => async (req: Request, res: Response): Promise<void> => {
  const secrets = w.secrets(ctx.config)
  const secured = secrets.length > 0
  admit(req, { secured, what: `POST ${w.path}`, configKey: w.configKey, credential: w.credential ? w.credential(req) : 'in the body', missing: w.missing })
  await receive(ctx, req, res, {
    media: ['application/json'],
    verify: secured ? (raw) => w.verify(req, raw, secrets) : undefined,
    refused: w.refused,
    envelope: (text) => {
      const body = parseJsonObject(text)
      let described
      try {
        described = w.describe(body, new Date().toISOString())
      } catch (err) {
        if (err instanceof BadField) throw badRequest(`invalid ${w.kind} payload: ${err.message}`)
        throw err
      }
      return { source: w.kind, path: w.path, headers: { 'content-type': req.headers['content-type'] }, ...described }
    },
  })
}
