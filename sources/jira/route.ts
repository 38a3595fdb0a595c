import type { Request, Response } from 'express'
import type { IngestContext } from '../../ingest/context.ts'
import { admit, receive } from '../../ingest/receive.ts'
import { invalid, parseJsonObject, str } from '../../http/json.ts'
import { header } from '../../http/raw-body.ts'
import { deliveryIdOf } from '../shared/delivery-id.ts'
import { jiraBodySchema } from './schemas.ts'
import { verifyJiraSignature } from './verify.ts'

/**
 * POST /webhooks/jira: admin webhooks (System → WebHooks) saved with a secret.
 * `X-Atlassian-Webhook-Identifier` is the same across Jira's retries: the
 * deduplication key (`X-Atlassian-Webhook-Retry` counts the retries).
 */
export function jiraHandler(ctx: IngestContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const secrets = ctx.config.jira.webhookSecrets
    const signature = header(req, 'x-hub-signature')
    admit(req, { secured: secrets.length > 0, what: 'POST /webhooks/jira', configKey: 'jira.webhookSecrets', credential: signature, missing: 'missing X-Hub-Signature header (set a secret on the Jira webhook)' })
    await receive(ctx, req, res, {
      media: ['application/json'],
      verify: secrets.length > 0 ? (raw, text) => verifyJiraSignature(raw, signature!, secrets, text) : undefined,
      refused: signature?.startsWith('sha256=') ? 'X-Hub-Signature does not match the body under any configured jira.webhookSecrets entry' : 'X-Hub-Signature must be "sha256=<hex HMAC-SHA256 of the body>"',
      envelope: (text) => {
        const body = parseJsonObject(text)
        const checked = jiraBodySchema.safeParse(body)
        if (!checked.success) throw invalid('Jira webhook body', checked.error)
        const project = str(body, 'issue', 'fields', 'project', 'key')
        return {
          source: 'jira',
          deliveryId: deliveryIdOf([header(req, 'x-atlassian-webhook-identifier')], text, checked.data.webhookEvent),
          path: '/webhooks/jira',
          type: `com.atlassian.${checked.data.webhookEvent}`,
          subject: project ? project.toUpperCase() : 'jira',
          headers: {
            'x-atlassian-webhook-identifier': header(req, 'x-atlassian-webhook-identifier'),
            'x-atlassian-webhook-retry': header(req, 'x-atlassian-webhook-retry'),
            'content-type': req.headers['content-type'],
          },
        }
      },
    })
  }
}
