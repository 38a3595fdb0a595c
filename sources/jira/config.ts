import { z } from 'zod'
import { secretList } from '../../config/fields.ts'

/** `jira:` in doraflow.yaml. */
export const jiraConfig = z
  .object({
    /** The admin webhook's "Secret" (X-Hub-Signature: sha256=…); several, for rotation. */
    webhookSecrets: secretList,
    /** Issues of these types are incidents (case-insensitive)… */
    issueTypes: z.array(z.string().min(1)).default(['Incident']),
    /** …and so are issues carrying one of these labels (whole name, case-insensitive). */
    incidentLabels: z.array(z.string().min(1)).default([]),
  })
  .prefault({})

/** `services[].jiraProjects`: project keys. */
export const jiraServiceFields = {
  jiraProjects: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]+$/, 'must be a Jira project key such as OPS')).default([]),
}
