import { z } from 'zod'
import { parseInstant } from '../../contracts/instant.ts'

/**
 * Annotations: notes people pin on the timeline ("code freeze", "moved to the new
 * CI", "incident review held"), shown on the Grafana dashboards and listed by the
 * API. They are source data like webhooks, so they go through the event log
 * (POST /api/v1/annotations appends an envelope) and survive a replay.
 *
 * Shared by the API (request validation, OpenAPI) and the annotation parser.
 */
const isoInstant = z.iso.datetime({ offset: true, precision: undefined, message: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-07-01T12:00:00Z' })
const label = z.string().trim().min(1).max(200)

/** Annotation ids: chosen by the server (a UUID) or by the caller, for an idempotent retry. */
export const annotationIdSchema = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1–100 letters, digits, ".", "_" or "-"')

/** The body of POST /api/v1/annotations. */
export const annotationInputSchema = z
  .strictObject({
    /** Optional: the same id posted twice is stored once (a safe retry). */
    id: annotationIdSchema.optional(),
    /** When it happened; by default now. */
    at: isoInstant.optional(),
    /** For a period (a freeze, a migration): when it ended. */
    endAt: isoInstant.optional(),
    text: z.string().trim().min(1).max(2000),
    tags: z.array(z.string().trim().min(1).max(64)).max(20).default([]),
    /** The service it is about; none: it concerns everyone and shows on every service's view. */
    service: label.optional(),
    team: label.optional(),
  })
  .refine((a) => a.endAt === undefined || a.at === undefined || parseInstant(a.endAt) >= parseInstant(a.at), { message: 'must not be before at', path: ['endAt'] })

export type AnnotationInput = z.infer<typeof annotationInputSchema>

/** What the log holds for an annotation (the envelope's data): the validated input, completed. */
export const annotationRecordSchema = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('added'),
    id: annotationIdSchema,
    at: isoInstant,
    endAt: isoInstant.nullable(),
    text: z.string().min(1).max(2000),
    tags: z.array(z.string().min(1).max(64)).max(20),
    service: label.nullable(),
    team: label.nullable(),
  }),
  z.strictObject({
    action: z.literal('removed'),
    id: annotationIdSchema,
    /** When it was removed. */
    at: isoInstant,
  }),
])

export type AnnotationRecord = z.infer<typeof annotationRecordSchema>
