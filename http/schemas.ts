import { z } from 'zod'

/** The 202 of every delivery route (and of the annotation API). */
export const acceptedSchema = z.object({
  accepted: z.literal(true),
  id: z.string().meta({ description: 'envelope id: `<source>:<delivery id>`' }),
  duplicate: z.boolean().meta({ description: 'true when this delivery was already stored (a redelivery)' }),
})

/** Every error answer of doraflow: `{ error, message }`, sometimes with details (e.g. `issues`). */
export const errorSchema = z.looseObject({
  error: z.string().meta({ description: 'machine-readable code: bad_request, unauthorized, forbidden, payload_too_large, rate_limited, overloaded, unavailable, …' }),
  message: z.string().meta({ description: 'what was wrong, for humans; never a stack trace or SQL' }),
})
