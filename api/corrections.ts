/**
 * /api/v1/corrections (METRICS.md §18): people overruling attribution, on the record.
 *
 * Writing one is an ingest, as for annotations (api/annotations.ts): POST appends an envelope
 * (source `correction`) to the event log and answers 202 once it is durable; the processor
 * applies it at projection time, so it survives a replay. POST changes state, so apiAuth lets
 * only admin tokens through. GET lists what is on record (api/router.ts).
 */
import express, { type Router } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { invalid, parseJsonObject } from '../http/index.ts'
import { createIngestMetrics, receive, route, type IngestContext } from '../ingest/index.ts'
import type { EventLog } from '../log/types.ts'
import { correctionSubject, recordsKnown } from '../queries/corrections.ts'
import { correctionFields, correctionRecord } from '../sources/correction/envelope.ts'
import { correctionInputSchema, type CorrectionRecord } from '../sources/correction/schema.ts'

export const CORRECTION_MAX_BYTES = 16 * 1024

export function createCorrectionsRouter(deps: { config: Config; db: Db; log: EventLog; logger?: Logger; metrics?: { register: Registry } }): Router {
  const { db, logger } = deps
  const ctx: IngestContext = { config: deps.config, log: deps.log, logger, metrics: createIngestMetrics(deps.metrics?.register) }
  const r = express.Router()
  r.post(
    '/api/v1/corrections',
    route(ctx, 'correction', async (req, res) => {
      let rec: CorrectionRecord | null = null
      await receive(ctx, req, res, {
        media: ['application/json'],
        limit: { bytes: CORRECTION_MAX_BYTES, setting: 'a correction is at most 16 KiB' },
        envelope: async (text) => {
          const parsed = correctionInputSchema.safeParse(parseJsonObject(text))
          if (!parsed.success) throw invalid('correction', parsed.error)
          rec = correctionRecord(parsed.data)
          // Keyed by the target's routing when it is known (Kafka: its service's partition); ClickHouse down: the default key.
          const subject = await correctionSubject(db, rec).catch(() => null)
          return correctionFields(rec, subject ?? undefined)
        },
        // Not refused when unknown: a correction may come before the events it names. `known` shows a typo.
        answer: async () => {
          const { kind: _, ...correction } = rec!
          const known = await recordsKnown(db, correction).catch(() => ({ incident: null, deployment: null }))
          return { correction: { ...correction, known } }
        },
      })
    }),
  )
  return r
}
