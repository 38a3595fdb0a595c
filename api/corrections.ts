/**
 * /api/v1/corrections (METRICS.md §18): people overruling attribution, on the record.
 *
 * Writing one is an ingest, as for annotations (api/annotations.ts): POST appends an envelope
 * (source `correction`) to the event log and answers 202 once it is durable; the processor
 * applies it at projection time, so it survives a replay. POST changes state, so apiAuth lets
 * only admin tokens through. GET lists what is on record (api/router.ts).
 */
import express, { type Router } from 'express'
import { correctionInputSchema } from '../domain/correction-schema.ts'
import { correctionEnvelope, correctionRecord } from '../ingest/correction-envelope.ts'
import { route } from '../ingest/handler.ts'
import { appendAndAccept } from '../ingest/store.ts'
import { recordsKnown } from '../queries/corrections.ts'
import { adminIngestContext, readAdminJson, type AdminRouteDeps } from './admin-body.ts'

export const CORRECTION_MAX_BYTES = 16 * 1024

export function createCorrectionsRouter(deps: AdminRouteDeps): Router {
  const { db } = deps
  const ctx = adminIngestContext(deps)
  const r = express.Router()
  r.post(
    '/api/v1/corrections',
    route(ctx, 'correction', async (req, res) => {
      const input = await readAdminJson(req, { maxBytes: CORRECTION_MAX_BYTES, setting: 'a correction is at most 16 KiB', what: 'correction', schema: correctionInputSchema })
      const rec = correctionRecord(input)
      // Not refused when unknown: a correction may come before the events it names. `known` shows a typo.
      const known = await recordsKnown(db, rec).catch(() => ({ incident: null, deployment: null }))
      const { kind: _, ...correction } = rec
      await appendAndAccept(ctx, res, correctionEnvelope(rec), { correction: { ...correction, known } })
    }),
  )
  return r
}
