import { z } from 'zod'

/** A JSON object `{"event_type": E, E: payload}` (api-docs.incident.io, Webhooks). */
export const incidentioBodySchema = z
  .looseObject({ event_type: z.string({ error: 'event_type is missing or not a string' }).min(1, 'event_type is missing or not a string') })
  .meta({ description: 'the webhook as incident.io sends it: event_type and the payload under that same key' })
