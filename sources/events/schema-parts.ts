import { z } from 'zod'

/** The building blocks of doraflow's own JSON (generic-schema.ts, release-generic-schema.ts). */
export const isoInstant = z.iso.datetime({ offset: true, precision: undefined, message: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-07-01T12:00:00Z' })
export const name = z.string().min(1).max(512)
export const hexSha = z.string().regex(/^[0-9a-fA-F]{7,64}$/, 'must be a hex commit sha')
