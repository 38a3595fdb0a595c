import { z } from 'zod'
import { secretList } from '../../config/fields.ts'
import { optionalText, signingSecretList } from '../shared/config.ts'

/** `gitlab:` in doraflow.yaml (INTERFACE.md). */
export const gitlabConfig = z
  .object({
    /** X-Gitlab-Token values (the webhook's "Secret token"); several, for rotation. */
    webhookTokens: secretList,
    /** Standard Webhooks signing tokens (`whsec_…`), GitLab 18.x's signed webhooks. */
    signingTokens: signingSecretList,
    /** Besides `environment_tier: production` (METRICS.md §11). */
    productionEnvironments: z.array(z.string().min(1)).default(['production', 'prod', 'live']),
    incidentLabels: z.array(z.string().min(1)).default(['incident']),
    /** `doraflow import gitlab`: a token with read_api. */
    token: optionalText,
    apiUrl: z.url({ message: 'must be a URL such as https://gitlab.com/api/v4' }).default('https://gitlab.com/api/v4'),
  })
  .prefault({})

/** `services[].gitlabProjects`: `path_with_namespace`, nested groups allowed. */
export const gitlabServiceFields = {
  gitlabProjects: z.array(z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, 'must be a project path such as group/name or group/subgroup/name')).default([]),
}
