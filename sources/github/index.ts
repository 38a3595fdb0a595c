import { defineSource } from '../source.ts'
import { jsonSchema, parameters, signedBy } from '../../http/openapi.ts'
import { githubConfig, githubServiceFields } from './config.ts'
import { parseGithub } from './parse.ts'
import { parseGithubApi } from './import/parse.ts'
import { githubHandler } from './route.ts'
import { githubBodySchema, githubHeadersSchema } from './schemas.ts'

/** GitHub webhooks: deployments (deployment_status), pushes, merged pull requests, labelled issues as incidents. */
export const github = defineSource({
  name: 'github',
  // `github-api`: what `doraflow import github` read from the REST API (METRICS.md §10).
  parsers: { github: parseGithub, 'github-api': parseGithubApi },
  routing: {
    ofSubject: (repo) => `github:${repo.toLowerCase()}`,
    ofService: (s) => s.repositories.map((r) => `github:${r.toLowerCase()}`),
    // A deployment's id names its repository: it cannot be reported under another.
    stable: true,
  },
  config: githubConfig,
  serviceFields: githubServiceFields,
  routes: [
    {
      method: 'post',
      path: '/webhooks/github',
      handler: githubHandler,
      openapi: (secured) => ({
        operationId: 'githubWebhook',
        summary: 'GitHub webhook delivery',
        description: 'Also takes `application/x-www-form-urlencoded` with the JSON in the `payload` field (hooks set up that way). The signature covers the raw body.',
        security: signedBy(secured, 'githubSignature'),
        parameters: parameters(githubHeadersSchema, 'header'),
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(githubBodySchema) } } },
      }),
    },
  ],
  securitySchemes: {
    githubSignature: { type: 'apiKey', in: 'header', name: 'X-Hub-Signature-256', description: '`sha256=<hex HMAC-SHA256 of the raw body>` under one of github.webhookSecrets' },
  },
  secretHeaders: ['x-hub-signature-256'],
  neverRetries: true,
  unauthenticated: (c) => (c.webhookSecrets.length === 0 ? 'GitHub (github.webhookSecrets)' : null),
  rules: (c) => ({ productionEnvironments: c.productionEnvironments, incidentLabels: c.incidentLabels }),
})
