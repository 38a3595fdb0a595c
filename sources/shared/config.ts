import { z } from 'zod'
import { secretList } from '../../config/fields.ts'
import { isStandardWebhookSecret } from './standard-webhooks.ts'

/** Standard Webhooks secrets (`whsec_` + base64, as GitLab and incident.io show them); the error names the entry. */
export const signingSecretList = secretList.superRefine((xs, ctx) => {
  xs.forEach((x, i) => {
    if (!isStandardWebhookSecret(x)) ctx.addIssue({ code: 'custom', path: [i], message: 'must be a signing secret as the sender shows it: "whsec_" followed by base64' })
  })
})

/** An optional token or URL from `${VAR}`: an unset variable means "not configured". */
export const optionalText = z.string().nullable().optional().transform((x) => (x ? x : null))
