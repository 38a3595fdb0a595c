import { z } from 'zod'
import { annotationIdSchema } from '../annotation/schema.ts'

/**
 * Corrections (METRICS.md §18): people overruling the attribution rules, on the record. Source
 * data like webhooks: POST /api/v1/corrections and `doraflow correct` append an envelope to the
 * event log, so a replay keeps them. Shared by the API (validation, OpenAPI), the CLI and the
 * correction parser.
 */
const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-07-01T12:00:00Z' })
/** The record ids GET /api/v1/deployments and GET /api/v1/incidents show. */
const recordId = z.string().trim().min(1).max(1000)
const reason = z.string().trim().min(1, 'say why: a correction without a reason explains nothing').max(2000)
const by = z.string().trim().min(1).max(200)

export const correctionIdSchema = annotationIdSchema

/** The body of POST /api/v1/corrections (METRICS.md §18, without `kind`). */
export const correctionInputSchema = z
  .strictObject({
    /** Optional: the same id posted twice is stored once (a safe retry). */
    id: correctionIdSchema.optional(),
    /** The incident the correction is about (kinds 1 and 2). */
    incident: recordId.optional(),
    /** With `incident`: the deployment it caused, or null for none. Without: the deployment whose failure is set. */
    deployment: recordId.nullable().optional(),
    /** Without `incident`: the deployment is failed (true) or not (false), whatever §5 derives. */
    failed: z.boolean().optional(),
    /** Who decided it. */
    by,
    reason,
    /** When it was decided; by default now. Of two corrections of one target, the latest (at, id) wins. */
    at: isoInstant.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.incident !== undefined) {
      if (c.deployment === undefined) ctx.addIssue({ code: 'custom', path: ['deployment'], message: 'with incident, give deployment: the deployment it caused, or null for none (a cloud outage)' })
      if (c.failed !== undefined) ctx.addIssue({ code: 'custom', path: ['failed'], message: 'failed goes with deployment alone, not with incident' })
    } else {
      if (typeof c.deployment !== 'string') ctx.addIssue({ code: 'custom', path: ['deployment'], message: 'give incident (with deployment or null), or deployment with failed' })
      else if (c.failed === undefined) ctx.addIssue({ code: 'custom', path: ['failed'], message: 'with deployment alone, give failed: true or false' })
    }
  })

export type CorrectionInput = z.infer<typeof correctionInputSchema>

/** What the log holds (the envelope's data): the validated input, completed and normalised. */
export const correctionRecordSchema = z.strictObject({
  kind: z.literal('correction'),
  id: correctionIdSchema,
  incident: recordId.nullable(),
  deployment: recordId.nullable(),
  failed: z.boolean().nullable(),
  by,
  reason,
  at: isoInstant,
})

export type CorrectionRecord = z.infer<typeof correctionRecordSchema>
