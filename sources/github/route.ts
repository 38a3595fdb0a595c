import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { badRequest, unauthorized, unsupportedMediaType } from '../../http/errors.ts'
import { githubPayloadText } from './body.ts'
import { parseJsonObject, str } from '../../http/json.ts'
import { githubHeadersSchema } from '../../http/schemas.ts'
import { requireLoopback } from '../../http/loopback.ts'
import { checkContentLength, decodeUtf8, header, mediaType, readRawBody } from '../../http/raw-body.ts'
import { appendAndAccept } from '../../ingest/store.ts'
import { verifyGithubSignature } from './verify.ts'

const MEDIA = new Set(['application/json', 'application/x-www-form-urlencoded'])

/**
 * POST /webhooks/github. Every event type with a good signature is stored
 * (ping and types the processors ignore included): the log keeps the raw
 * truth, the parsers decide what matters. GitHub never retries, so answer fast.
 */
export function githubHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const secrets = ctx.config.github.webhookSecrets
    const signature = header(req, 'x-hub-signature-256')
    if (secrets.length === 0) requireLoopback(req, 'POST /webhooks/github', 'github.webhookSecrets')
    else if (!signature) throw unauthorized('missing X-Hub-Signature-256 header')

    const headers = githubHeadersSchema.safeParse({ 'x-github-event': header(req, 'x-github-event'), 'x-github-delivery': header(req, 'x-github-delivery') })
    if (!headers.success) throw badRequest(headers.error.issues.map((i) => i.message).join('; '))
    const { 'x-github-event': event, 'x-github-delivery': delivery } = headers.data
    const limit = ctx.config.ingest.maxBodyBytes
    checkContentLength(req, limit)
    const media = mediaType(req)
    if (!MEDIA.has(media)) throw unsupportedMediaType(`Content-Type must be application/json or application/x-www-form-urlencoded, got "${media || 'none'}"`)

    const body = await readRawBody(req, limit)
    // Signature first, over the raw bytes, before anything looks at the content.
    if (secrets.length > 0 && !(await verifyGithubSignature(body, signature!, secrets))) {
      throw unauthorized('X-Hub-Signature-256 does not match the body under any configured secret')
    }
    const text = decodeUtf8(body)
    const payload = parseJsonObject(githubPayloadText(text, media), media === 'application/json' ? 'request body' : 'form field "payload"')

    const hookId = header(req, 'x-github-hook-id')
    const repo = str(payload, 'repository', 'full_name')
    await appendAndAccept(
      ctx,
      res,
      buildEnvelope({
        source: 'github',
        deliveryId: delivery,
        path: hookId ? `/webhooks/github/hooks/${hookId}` : '/webhooks/github',
        type: `com.github.${event}`,
        subject: repo ? repo.toLowerCase() : 'github',
        headers: { 'x-github-event': event, 'x-github-delivery': delivery, 'x-github-hook-id': hookId, 'content-type': req.headers['content-type'] },
        data: text,
      }),
    )
  }
}
