import { defineSource } from '../source.ts'
import { jsonSchema, signedBy } from '../../http/openapi.ts'
import { pagerdutyConfig, pagerdutyServiceFields } from './config.ts'
import { parsePagerduty } from './parse.ts'
import { parsePagerdutyApi } from './import/parse.ts'
import { pagerdutyHandler } from './route.ts'
import { pagerdutyBodySchema } from './schemas.ts'

/** PagerDuty V3 webhooks: incident transitions. */
export const pagerduty = defineSource({
  name: 'pagerduty',
  // `pagerduty-api`: what `doraflow import pagerduty` read from the REST API (METRICS.md §10).
  parsers: { pagerduty: parsePagerduty, 'pagerduty-api': parsePagerdutyApi },
  routing: {
    ofSubject: (serviceId) => `pagerduty:${serviceId}`,
    ofService: (s) => s.pagerdutyServices.map((p) => `pagerduty:${p}`),
  },
  config: pagerdutyConfig,
  serviceFields: pagerdutyServiceFields,
  routes: [
    {
      method: 'post',
      path: '/webhooks/pagerduty',
      handler: pagerdutyHandler,
      openapi: (secured) => ({
        operationId: 'pagerdutyWebhook',
        summary: 'PagerDuty V3 webhook delivery',
        security: signedBy(secured, 'pagerdutySignature'),
        parameters: [{ name: 'x-webhook-id', in: 'header', required: false, description: 'repeated on every retry', schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(pagerdutyBodySchema) } } },
      }),
    },
  ],
  securitySchemes: {
    pagerdutySignature: { type: 'apiKey', in: 'header', name: 'X-PagerDuty-Signature', description: '`v1=<hex HMAC-SHA256 of the raw body>`, comma-separated, under one of pagerduty.webhookSecrets' },
  },
  secretHeaders: ['x-pagerduty-signature'],
  unauthenticated: (c) => (c.webhookSecrets.length === 0 ? 'PagerDuty (pagerduty.webhookSecrets)' : null),
})
