import { z } from 'zod'
import { secretList } from '../../config/fields.ts'

/** `pagerduty:` in the configuration. */
export const pagerdutyConfig = z.object({ webhookSecrets: secretList }).prefault({})

/** What a `services[]` entry says about PagerDuty: the PagerDuty service ids it owns. */
export const pagerdutyServiceFields = {
  pagerdutyServices: z.array(z.string().min(1)).default([]),
}
