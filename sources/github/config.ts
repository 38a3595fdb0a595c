import { z } from 'zod'
import { secretList } from '../../config/fields.ts'

/** `github:` in the configuration. */
export const githubConfig = z
  .object({
    webhookSecrets: secretList,
    /** The global production rule (METRICS.md §2) for every source's deployments; a service's `environments` replaces it. */
    productionEnvironments: z.array(z.string()).default(['production', 'prod', 'live']),
    incidentLabels: z.array(z.string()).default(['incident']),
    /** `doraflow import github`: read access to contents, deployments, issues, pull requests. */
    token: z.string().nullable().default(null).transform((t) => t || null),
    /** GitHub Enterprise Server: https://HOST/api/v3 */
    apiUrl: z.string().default('https://api.github.com'),
  })
  .prefault({})

/** What a `services[]` entry says about GitHub. */
export const githubServiceFields = {
  repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name')).default([]),
}
