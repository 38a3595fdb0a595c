import { z } from 'zod'
import { nonEmpty } from '../../http/json.ts'

/** What ingest checks about a GitHub delivery: the route validates with these and api/openapi.ts publishes them. */

/** GitHub's headers; the signature (X-Hub-Signature-256) is a security scheme, checked before these. */
export const githubHeadersSchema = z.object({
  'x-github-event': nonEmpty('X-GitHub-Event header').meta({ description: 'event name: push, pull_request, deployment_status, issues, …', example: 'push' }),
  'x-github-delivery': z
    .string()
    .optional()
    .meta({
      description:
        'the delivery GUID; a redelivery repeats it (deduplication key). Senders other than GitHub may leave it out: the id is then derived from the event name and the SHA-256 of the raw body, so a byte-identical repeat still collapses',
      example: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    }),
  'x-github-hook-id': z.string().optional().meta({ description: "the webhook's id" }),
})

/** Any JSON object: GitHub's payloads are parsed later, by sources/github/parse.ts. */
export const githubBodySchema = z.looseObject({}).meta({ description: 'the event payload as GitHub sends it (any JSON object)' })

