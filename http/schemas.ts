import { z } from 'zod'

/**
 * What ingest checks about each delivery, as zod schemas: the routes validate
 * with them and api/openapi.ts publishes them (one source of truth). Bodies are
 * loose objects: the log keeps the raw bytes; parsers decide what matters.
 */

const nonEmpty = (what: string) => z.string({ error: `${what} is missing or not a string` }).min(1, `${what} is missing or not a string`)

/** GitHub's headers; the signature (X-Hub-Signature-256) is a security scheme, checked before these. */
export const githubHeadersSchema = z.object({
  'x-github-event': nonEmpty('X-GitHub-Event header').meta({ description: 'event name: push, pull_request, deployment_status, issues, …', example: 'push' }),
  'x-github-delivery': nonEmpty('X-GitHub-Delivery header').meta({ description: 'the delivery GUID; a redelivery repeats it (deduplication key)', example: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }),
  'x-github-hook-id': z.string().optional().meta({ description: "the webhook's id" }),
})

/** Any JSON object: GitHub's payloads are parsed later, by sources/github/parse.ts. */
export const githubBodySchema = z.looseObject({}).meta({ description: 'the event payload as GitHub sends it (any JSON object)' })

/** PagerDuty V3: one event per request. */
export const pagerdutyBodySchema = z.looseObject({
  event: z.looseObject(
    {
      id: nonEmpty('event.id'),
      event_type: nonEmpty('event.event_type').meta({ example: 'incident.triggered' }),
    },
    { error: 'body has no "event" object' },
  ),
})

/** CloudEvents 1.0 structured mode (application/cloudevents+json) carrying a CDEvent in `data`. */
export const cloudEventStructuredSchema = z.looseObject({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  type: z.string().min(1).meta({ example: 'dev.cdevents.service.deployed.0.3.0' }),
  source: z.string().min(1),
  subject: z.string().optional(),
  data: z.looseObject({}).meta({ description: 'the CDEvent' }),
})

/** A bare CDEvent (application/json, no CloudEvents wrapper): recognised by context.type. */
export const cdeventSchema = z.looseObject({
  context: z.looseObject({
    id: z.string().min(1),
    type: z.string().regex(/^dev\.cdevents\./).meta({ example: 'dev.cdevents.service.deployed.0.3.0' }),
  }),
  subject: z.looseObject({}).optional(),
})

/** Ingest's answers. */
export const acceptedSchema = z.object({
  accepted: z.literal(true),
  id: z.string().meta({ description: 'envelope id: `<source>:<delivery id>`' }),
  duplicate: z.boolean().meta({ description: 'true when this delivery was already stored (a redelivery)' }),
})

/** Every error answer of doraflow: `{ error, message }`, sometimes with details (e.g. `issues`). */
export const errorSchema = z.looseObject({
  error: z.string().meta({ description: 'machine-readable code: bad_request, unauthorized, forbidden, payload_too_large, rate_limited, overloaded, unavailable, …' }),
  message: z.string().meta({ description: 'what was wrong, for humans; never a stack trace or SQL' }),
})
