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
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { annotationIdSchema, annotationInputSchema } from '../sources/annotation/schema.ts'
import { annotationAdded, annotationEnvelope, annotationFields, annotationRemoved } from '../sources/annotation/envelope.ts'
import { appendAndAccept, createIngestMetrics, receive, route, type IngestContext } from '../ingest/index.ts'
import { badRequest, invalid, parseJsonObject } from '../http/index.ts'
import type { EventLog } from '../log/types.ts'
import { annotationExists } from '../queries/annotations.ts'

/** An annotation is a sentence or two, not a document. */
export const ANNOTATION_MAX_BYTES = 64 * 1024

export function createAnnotationsRouter(deps: { config: Config; db: Db; log: EventLog; logger?: Logger; metrics?: { register: Registry } }): Router {
  const { db, logger } = deps
  const ctx: IngestContext = { config: deps.config, log: deps.log, logger, metrics: createIngestMetrics(deps.metrics?.register) }
  const r = express.Router()

  r.post(
    '/api/v1/annotations',
    route(ctx, 'annotation', async (req, res) => {
      let annotation: Record<string, unknown> = {}
      await receive(ctx, req, res, {
        media: ['application/json'],
        limit: { bytes: ANNOTATION_MAX_BYTES, setting: 'an annotation is at most 64 KiB' },
        envelope: (text) => {
          const parsed = annotationInputSchema.safeParse(parseJsonObject(text))
          if (!parsed.success) throw invalid('annotation', parsed.error)
          const rec = annotationAdded(parsed.data)
          if ('problem' in rec) throw badRequest(`invalid annotation: ${rec.problem}`)
          const { action: _, ...shown } = rec
          annotation = shown
          return annotationFields(rec)
        },
        answer: () => ({ annotation }),
      })
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
