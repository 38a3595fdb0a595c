import { defineSource } from '../source.ts'
import { jsonSchema, signedBy } from '../../http/openapi.ts'
import { jiraConfig, jiraServiceFields } from './config.ts'
import { parseJira } from './parse.ts'
import { jiraHandler } from './route.ts'
import { jiraBodySchema } from './schemas.ts'

/** Jira (Cloud or Data Center, and Jira Service Management) admin webhooks: issues of an incident type or label as incidents. */
export const jira = defineSource({
  name: 'jira',
  parsers: { jira: parseJira },
  routing: {
    ofSubject: (projectKey) => `jira:${projectKey.toUpperCase()}`,
    ofService: (s) => s.jiraProjects.map((k) => `jira:${k.toUpperCase()}`),
  },
  config: jiraConfig,
  serviceFields: jiraServiceFields,
  routes: [
    {
      method: 'post',
      path: '/webhooks/jira',
      handler: jiraHandler,
      openapi: (secured) => ({
        operationId: 'jiraWebhook',
        summary: 'Jira admin webhook delivery',
        security: signedBy(secured, 'jiraSignature'),
        parameters: [
          { name: 'x-atlassian-webhook-identifier', in: 'header', required: false, description: 'the same on every retry (deduplication key)', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(jiraBodySchema) } } },
      }),
    },
  ],
  securitySchemes: {
    jiraSignature: { type: 'apiKey', in: 'header', name: 'X-Hub-Signature', description: '`sha256=<hex HMAC-SHA256 of the raw body>` under one of jira.webhookSecrets' },
  },
  secretHeaders: ['x-hub-signature'],
  unauthenticated: (c) => (c.webhookSecrets.length === 0 ? 'Jira (jira.webhookSecrets)' : null),
  // Jira reports no deployments; its issues are incidents by type or label.
  rules: (c) => ({ productionEnvironments: [], incidentLabels: c.incidentLabels, incidentTypes: c.issueTypes }),
})
