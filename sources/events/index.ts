import { defineSource } from '../source.ts'
import { describeRefinement, jsonSchema, signedBy } from '../../http/openapi.ts'
import { eventsConfig } from './config.ts'
import { genericDeploymentSchema, genericEventSchema } from './generic-schema.ts'
import { parseCdevents } from './parse-cdevents.ts'
import { parseGeneric } from './parse-generic.ts'
import { eventsHandler } from './route.ts'
import { cdeventSchema, cloudEventStructuredSchema } from './schemas.ts'

// A .refine() has no JSON Schema form: spell out "a deployment needs sha or artifact".
describeRefinement(genericDeploymentSchema, (json) => {
  json.anyOf = [{ required: ['sha'] }, { required: ['artifact'] }]
})

/** POST /events: deployments and incidents from any tool, as doraflow's JSON (kind `generic`) or CDEvents (kind `cdevents`). */
export const events = defineSource({
  name: 'events',
  parsers: { generic: parseGeneric, cdevents: parseCdevents },
  routing: {
    ofSubject: (service) => `named:${service}`,
    ofService: (s) => [`named:${s.name}`],
  },
  config: eventsConfig,
  routes: [
    {
      method: 'post',
      path: '/events',
      handler: eventsHandler,
      openapi: (secured) => ({
        operationId: 'postEvent',
        summary: "A deployment or incident from any tool: doraflow's JSON, or a CDEvent (bare, or as a CloudEvent)",
        description: 'CloudEvents binary mode is also taken: `ce-specversion: 1.0`, `ce-id`, `ce-type`, `ce-source` headers with the CDEvent as an application/json body.',
        security: signedBy(secured, 'eventsToken'),
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { anyOf: [jsonSchema(genericEventSchema), jsonSchema(cdeventSchema)] } },
            'application/cloudevents+json': { schema: jsonSchema(cloudEventStructuredSchema) },
          },
        },
      }),
    },
  ],
  securitySchemes: { eventsToken: { type: 'http', scheme: 'bearer', description: 'one of events.tokens' } },
  unauthenticated: (c) => (c.tokens.length === 0 ? 'POST /events (events.tokens)' : null),
})
