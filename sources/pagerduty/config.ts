import { z } from 'zod'
import { secretList } from '../../config/fields.ts'

/** `pagerduty:` in the configuration. */
export const pagerdutyConfig = z
  .object({
    webhookSecrets: secretList,
    /** `doraflow import pagerduty`: a read-only REST API key. */
    apiToken: z.string().nullable().default(null).transform((t) => t || null),
    apiUrl: z.string().default('https://api.pagerduty.com'),
  })
  .prefault({})

/** What a `services[]` entry says about PagerDuty: the PagerDuty service ids it owns. */
export const pagerdutyServiceFields = {
  pagerdutyServices: z.array(z.string().min(1)).default([]),
}
