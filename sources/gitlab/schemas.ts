import { z } from 'zod'

/** What ingest checks about a GitLab delivery: the route validates with these and the OpenAPI document publishes them. */

export const gitlabHeadersSchema = z.object({
  'x-gitlab-event': z.string().optional().meta({ description: 'hook name: Push Hook, Merge Request Hook, Deployment Hook, Issue Hook, Pipeline Hook, Tag Push Hook, …', example: 'Deployment Hook' }),
  'idempotency-key': z.string().optional().meta({ description: 'GitLab 17.4+: the same on every retry and on "Resend request" (deduplication key)' }),
  'x-gitlab-event-uuid': z.string().optional().meta({ description: 'GitLab 14.8+: the event; the deduplication key when Idempotency-Key is absent' }),
  'x-gitlab-instance': z.string().optional().meta({ description: 'the sending GitLab host' }),
})

/** A JSON object with `object_kind` (push, merge_request, deployment, issue, work_item, pipeline, tag_push, …). */
export const gitlabBodySchema = z
  .looseObject({ object_kind: z.string({ error: 'object_kind is missing or not a string' }).min(1, 'object_kind is missing or not a string') })
  .meta({ description: 'the hook payload as GitLab sends it' })
