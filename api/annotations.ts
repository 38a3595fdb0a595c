/**
 * /api/v1/annotations: notes on the timeline.
 *
 * Writing one is an ingest: POST and DELETE append an envelope (source
 * `annotation`) to the event log and answer 202 once it is durable, like a
 * webhook; the processor writes the `annotations` table from the log, so
 * annotations survive a replay. Reading them (GET) is an ordinary API read
 * (api/router.ts, queries/annotations.ts). POST and
 * DELETE change state, so apiAuth (api/auth.ts) lets only admin tokens through.
 */
import express, { type Router } from 'express'
import { annotationIdSchema, annotationInputSchema } from '../domain/annotation-schema.ts'
import { annotationAdded, annotationEnvelope, annotationRemoved } from '../ingest/annotation-envelope.ts'
import { badRequest } from '../ingest/errors.ts'
import { route } from '../ingest/handler.ts'
import { appendAndAccept } from '../ingest/store.ts'
import { annotationExists } from '../queries/annotations.ts'
import { adminIngestContext, readAdminJson, type AdminRouteDeps } from './admin-body.ts'

/** An annotation is a sentence or two, not a document. */
export const ANNOTATION_MAX_BYTES = 64 * 1024

export function createAnnotationsRouter(deps: AdminRouteDeps): Router {
  const { db } = deps
  const ctx = adminIngestContext(deps)
  const r = express.Router()

  r.post(
    '/api/v1/annotations',
    route(ctx, 'annotation', async (req, res) => {
      const input = await readAdminJson(req, { maxBytes: ANNOTATION_MAX_BYTES, setting: 'an annotation is at most 64 KiB', what: 'annotation', schema: annotationInputSchema })
      const rec = annotationAdded(input)
      if ('problem' in rec) throw badRequest(`invalid annotation: ${rec.problem}`)
      const { action: _, ...annotation } = rec
      await appendAndAccept(ctx, res, annotationEnvelope(rec), { annotation })
    }),
  )

  r.delete(
    '/api/v1/annotations/:id',
    route(ctx, 'annotation', async (req, res) => {
      const id = annotationIdSchema.safeParse(req.params['id'])
      if (!id.success) throw badRequest(`id: ${id.error.issues[0]?.message ?? 'invalid'}`)
      // Not a 404 when it is not on the timeline: an addition just accepted may not be processed
      // yet, and the removal, logged after it, takes it off once both are. `onTimeline` says
      // which case this was, so a typo is visible.
      const onTimeline = await annotationExists(db, id.data).catch(() => null)
      await appendAndAccept(ctx, res, annotationEnvelope(annotationRemoved(id.data)), { annotation: { id: id.data, onTimeline } })
    }),
  )
  return r
}
