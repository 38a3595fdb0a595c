import { z } from 'zod'
import { secretList } from '../../config/fields.ts'

/** `flags:` in the configuration: one slice per flag provider (INTERFACE.md). */
export const flagsConfig = z
  .object({
    launchdarkly: z.object({ webhookSecrets: secretList }).prefault({}),
    /** The whole Authorization header value Unleash is set to send. */
    unleash: z.object({ tokens: secretList }).prefault({}),
    flagsmith: z.object({ webhookSecrets: secretList }).prefault({}),
  })
  .prefault({})

/** What a `services[]` entry says about flags: the flag keys it owns (globs, METRICS.md §12). */
export const flagsServiceFields = {
  flags: z.array(z.string().min(1)).default([]),
}
