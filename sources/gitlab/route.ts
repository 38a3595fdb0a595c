import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { invalid, parseJsonObject, str } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { deliveryIdOf } from '../shared/delivery-id.ts'
import { gitlabBodySchema } from './schemas.ts'
import { verifyGitlab } from './verify.ts'

/**
 * POST /webhooks/gitlab. Every hook with a good token or signature is stored
 * (pipelines, tag pushes and kinds the metrics ignore included). GitLab disables
 * a hook after 4 failures in a row and for good after 40: bad input answers 4xx
 * once and clearly, a storage outage 503 (the shared answer rules).
 */
export function gitlabHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const cfg = ctx.config.gitlab
    const token = header(req, 'x-gitlab-token')
    const signature = header(req, 'webhook-signature')
    const secured = cfg.webhookTokens.length > 0 || cfg.signingTokens.length > 0
    admit(req, {
      secured,
      what: 'POST /webhooks/gitlab',
      configKey: 'gitlab.webhookTokens',
      credential: token ?? signature,
      missing: 'missing X-Gitlab-Token header (the webhook\'s "Secret token") or webhook-signature (its signing token)',
    })
    await receive(ctx, req, res, {
      media: ['application/json'],
      verify: secured ? (raw) => verifyGitlab(raw, { token, header: (n) => header(req, n) }, cfg) : undefined,
      envelope: (text) => {
        const body = parseJsonObject(text)
        const checked = gitlabBodySchema.safeParse(body)
        if (!checked.success) throw invalid('GitLab hook body', checked.error)
        const kind = checked.data.object_kind
        const event = header(req, 'x-gitlab-event')
        const project = str(body, 'project', 'path_with_namespace')
        return {
          source: 'gitlab',
          // Idempotency-Key is stable across GitLab's retries; older instances send only the event UUID.
          deliveryId: deliveryIdOf([header(req, 'idempotency-key'), header(req, 'x-gitlab-event-uuid'), header(req, 'webhook-id')], text, kind),
          path: '/webhooks/gitlab',
          type: `com.gitlab.${kind}`,
          subject: project ? project.toLowerCase() : 'gitlab',
          // Never X-Gitlab-Token: it is the secret itself.
          headers: {
            'x-gitlab-event': event,
            'idempotency-key': header(req, 'idempotency-key'),
            'x-gitlab-event-uuid': header(req, 'x-gitlab-event-uuid'),
            'x-gitlab-instance': header(req, 'x-gitlab-instance'),
            'content-type': req.headers['content-type'],
          },
        }
      },
    })
  }
}
