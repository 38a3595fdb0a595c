import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { badRequest } from '../../http/errors.ts'
import { parseJsonObject, str } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { derivedDeliveryId } from '../shared/delivery-id.ts'
import { githubPayloadText } from './body.ts'
import { githubHeadersSchema } from './schemas.ts'
import { verifyGithubSignature } from './verify.ts'

/**
 * POST /webhooks/github. Every event type with a good signature is stored
 * (ping and types the processors ignore included): the log keeps the raw
 * truth, the parsers decide what matters. GitHub never retries, so answer fast.
 */
export function githubHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const secrets = ctx.config.github.webhookSecrets
    const signature = header(req, 'x-hub-signature-256')
    admit(req, { secured: secrets.length > 0, what: 'POST /webhooks/github', configKey: 'github.webhookSecrets', credential: signature, missing: missingSignature(req) })

    const headers = githubHeadersSchema.safeParse({ 'x-github-event': header(req, 'x-github-event'), 'x-github-delivery': header(req, 'x-github-delivery') })
    if (!headers.success) throw badRequest(headers.error.issues.map((i) => i.message).join('; '))
    const { 'x-github-event': event, 'x-github-delivery': given } = headers.data
    const hookId = header(req, 'x-github-hook-id')
    await receive(ctx, req, res, {
      media: ['application/json', 'application/x-www-form-urlencoded'],
      verify: secrets.length > 0 ? (raw, text) => verifyGithubSignature(raw, signature!, secrets, text) : undefined,
      refused: 'X-Hub-Signature-256 does not match the body under any configured secret',
      envelope: (text, media) => {
        const delivery = given ?? derivedDeliveryId(event, text)
        const json = githubPayloadText(text, media)
        if (json === null) throw badRequest('form-encoded GitHub body has no "payload" field')
        const repo = str(parseJsonObject(json, media === 'application/json' ? 'request body' : 'form field "payload"'), 'repository', 'full_name')
        return {
          source: 'github',
          deliveryId: delivery,
          path: hookId ? `/webhooks/github/hooks/${hookId}` : '/webhooks/github',
          type: `com.github.${event}`,
          subject: repo ? repo.toLowerCase() : 'github',
          headers: { 'x-github-event': event, 'x-github-delivery': given, 'x-github-hook-id': hookId, 'content-type': req.headers['content-type'] },
        }
      },
    })
  }
}

/** The 401 when X-Hub-Signature-256 is absent: a sender signing with SHA-1 only is told what to change. */
function missingSignature(req: Request): string {
  if (!header(req, 'x-hub-signature')) return 'missing X-Hub-Signature-256 header'
  return (
    'only X-Hub-Signature (HMAC-SHA1) was sent, and SHA-1 signatures alone are not accepted: send X-Hub-Signature-256: ' +
    'sha256=<hex HMAC-SHA256 of the raw body under the webhook secret> (GitHub sends both; a script or proxy must compute or forward the SHA-256 one)'
  )
}
