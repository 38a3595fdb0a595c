import { defineSource } from '../source.ts'
import { jsonSchema, signedBy } from '../../http/openapi.ts'
import { incidentioConfig, incidentioServiceFields } from './config.ts'
import { parseIncidentio } from './parse.ts'
import { incidentioHandler } from './route.ts'
import { incidentioBodySchema } from './schemas.ts'

/** incident.io webhooks (Svix): incidents created, updated, status changes. */
export const incidentio = defineSource({
  name: 'incidentio',
  parsers: { incidentio: parseIncidentio },
  routing: {
    ofSubject: (service) => `incidentio:${service.toLowerCase()}`,
    // An incident names its service in the "Affected services" field: by the service's own name, or the names it lists.
    ofService: (s) => [...new Set([s.name, ...s.incidentioServices].map((n) => `incidentio:${n.toLowerCase()}`))],
  },
  config: incidentioConfig,
  serviceFields: incidentioServiceFields,
  routes: [
    {
      method: 'post',
      path: '/webhooks/incidentio',
      handler: incidentioHandler,
      openapi: (secured) => ({
        operationId: 'incidentioWebhook',
        summary: 'incident.io webhook delivery (Svix / Standard Webhooks)',
        description: 'Headers `webhook-id`, `webhook-timestamp` (unix seconds, within 5 minutes) and `webhook-signature` (`v1,<base64>`, space-separated for several); `svix-*` names are accepted too.',
        security: signedBy(secured, 'incidentioSignature'),
        parameters: [
          { name: 'webhook-id', in: 'header', required: false, description: 'the message id, the same on every retry (deduplication key)', schema: { type: 'string' } },
          { name: 'webhook-timestamp', in: 'header', required: false, description: 'unix seconds; refused outside 5 minutes', schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(incidentioBodySchema) } } },
      }),
    },
  ],
  securitySchemes: {
    incidentioSignature: { type: 'apiKey', in: 'header', name: 'webhook-signature', description: '`v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` under one of incidentio.webhookSecrets' },
  },
  secretHeaders: ['webhook-signature', 'svix-signature'],
  unauthenticated: (c) => (c.webhookSecrets.length === 0 ? 'incident.io (incidentio.webhookSecrets)' : null),
})
