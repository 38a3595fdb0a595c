import { defineSource } from '../source.ts'
import { jsonSchema, parameters } from '../../http/openapi.ts'
import { gitlabConfig, gitlabServiceFields } from './config.ts'
import { parseGitlab } from './parse.ts'
import { parseGitlabApi } from './import/parse.ts'
import { gitlabHandler } from './route.ts'
import { gitlabBodySchema, gitlabHeadersSchema } from './schemas.ts'

/** GitLab webhooks (METRICS.md §11): deployments, default-branch pushes, merged merge requests, incident issues. */
export const gitlab = defineSource({
  name: 'gitlab',
  // `gitlab-api`: what `doraflow import gitlab` read from the REST API (METRICS.md §10).
  parsers: { gitlab: parseGitlab, 'gitlab-api': parseGitlabApi },
  routing: {
    ofSubject: (project) => `gitlab:${project.toLowerCase()}`,
    ofService: (s) => s.gitlabProjects.map((p) => `gitlab:${p.toLowerCase()}`),
    // Deployment and incident ids name their project (`<project>#<id>`): never reported under another routing.
    stable: true,
  },
  config: gitlabConfig,
  serviceFields: gitlabServiceFields,
  routes: [
    {
      method: 'post',
      path: '/webhooks/gitlab',
      handler: gitlabHandler,
      openapi: (secured) => ({
        operationId: 'gitlabWebhook',
        summary: 'GitLab webhook delivery',
        description: 'Authenticated by `X-Gitlab-Token` (the webhook\'s secret token) or a Standard Webhooks signature (`webhook-id`, `webhook-timestamp`, `webhook-signature`) under a signing token.',
        security: secured === false ? [] : [{ gitlabToken: [] }, { gitlabSignature: [] }],
        parameters: parameters(gitlabHeadersSchema, 'header'),
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(gitlabBodySchema) } } },
      }),
    },
  ],
  securitySchemes: {
    gitlabToken: { type: 'apiKey', in: 'header', name: 'X-Gitlab-Token', description: 'one of gitlab.webhookTokens, sent in clear by GitLab' },
    gitlabSignature: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` under one of gitlab.signingTokens; webhook-timestamp within 5 minutes' },
  },
  secretHeaders: ['x-gitlab-token', 'webhook-signature'],
  secretKeys: ['webhookTokens', 'signingTokens'],
  unauthenticated: (c) => (c.webhookTokens.length === 0 && c.signingTokens.length === 0 ? 'GitLab (gitlab.webhookTokens or gitlab.signingTokens)' : null),
  // METRICS.md §11: GitLab's own production names (beside environment_tier production) and incident labels; type Incident always.
  rules: (c) => ({ productionEnvironments: c.productionEnvironments, incidentLabels: c.incidentLabels, incidentTypes: ['incident'] }),
})
