import { z } from 'zod'

/** A JSON object with `webhookEvent` (jira:issue_created, jira:issue_updated, …). */
export const jiraBodySchema = z
  .looseObject({ webhookEvent: z.string({ error: 'webhookEvent is missing or not a string' }).min(1, 'webhookEvent is missing or not a string') })
  .meta({ description: 'the admin webhook body as Jira sends it' })
