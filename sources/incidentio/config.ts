import { z } from 'zod'
import { signingSecretList } from '../shared/config.ts'

/** `incidentio:` in doraflow.yaml. */
export const incidentioConfig = z
  .object({
    /** The endpoint's "Signing secret" (Settings → Webhooks); several, for rotation. */
    webhookSecrets: signingSecretList,
  })
  .prefault({})

/** `services[].incidentioServices`: the values of the incident's "Affected services" field that mean this service. */
export const incidentioServiceFields = {
  incidentioServices: z.array(z.string().min(1)).default([]),
}
