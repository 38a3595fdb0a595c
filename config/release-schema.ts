import { z } from 'zod'
import { DateTime } from 'luxon'

/** YAML may hand a date over as a Date (YAML 1.1 timestamps) or a string: both become the text written. */
const localDate = z.preprocess(
  (v) => (v instanceof Date ? v.toISOString() : v),
  z.string().refine((s) => DateTime.fromISO(s, { zone: 'UTC' }).isValid, { message: 'must be a date (2026-12-21) or an ISO date-time' }),
)

/** A release freeze (METRICS.md §14): `from`/`to` read in the service's timezone, half-open; no services/teams = all. */
export const freezeSchema = z
  .object({
    name: z.string().min(1),
    from: localDate,
    to: localDate,
    services: z.array(z.string().min(1)).default([]),
    teams: z.array(z.string().min(1)).default([]),
  })
  .refine((f) => DateTime.fromISO(f.from, { zone: 'UTC' }) < DateTime.fromISO(f.to, { zone: 'UTC' }), { message: '`to` must be after `from`', path: ['to'] })
export type FreezeConfig = z.infer<typeof freezeSchema>
