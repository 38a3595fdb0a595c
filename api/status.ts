import express, { type Router } from 'express'
import type { Logger } from 'pino'
import { z } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import { tierThresholdsOf, type Config } from '../config/schema.ts'
import { inspectEmbeddedLog } from '../log/embedded-inspect.ts'
import type { EventLog } from '../log/types.ts'
import { listDeadLetters } from '../queries/dead-letters.ts'
import { sendFailure } from './http.ts'

/**
 * GET /api/v1/status: what the overview needs beside the figures — the tier
 * thresholds (its charts shade the bands), and what could make the figures wrong:
 * processor lag, dead letters by reason, the last delivery per source.
 */
const band = z.object({ elite: z.number(), high: z.number(), medium: z.number() })
export const statusAnswerSchema = z.object({
  tierSet: z.string(),
  tiers: z.object({ deploymentFrequency: band, leadTime: band, timeToRestore: band, changeFailureRate: band }),
  processorLagEvents: z.number().nullable(),
  deadLetters: z.object({ total: z.number(), byReason: z.array(z.object({ reason: z.string(), count: z.number() })) }),
  /** Null where the log cannot say (Kafka). */
  sources: z.array(z.object({ source: z.string(), lastDeliveryAt: z.string() })).nullable(),
})
export type StatusAnswer = z.infer<typeof statusAnswerSchema>

/** The last-delivery scan reads the whole log: done at most once a minute. */
const SOURCES_TTL_MS = 60_000

export function createStatusRouter(deps: { config: Config; db: Db; log: EventLog; logger?: Logger }): Router {
  const { config, db, log, logger } = deps
  const r = express.Router()
  let sources: { at: number; value: StatusAnswer['sources'] } | null = null
  const lastDeliveries = (): StatusAnswer['sources'] => {
    if (config.log.kind !== 'embedded') return null
    if (!sources || Date.now() - sources.at > SOURCES_TTL_MS) {
      const snapshot = inspectEmbeddedLog(config.log.path, config.processor.group)
      sources = { at: Date.now(), value: (snapshot?.last ?? []).map((d) => ({ source: d.source, lastDeliveryAt: d.time })) }
    }
    return sources.value
  }
  r.get('/api/v1/status', async (_req, res) => {
    try {
      const lag = await Promise.all([log.headOffset(), log.committedOffset(config.processor.group)]).then(([h, c]) => h - c).catch(() => null)
      const dead = await listDeadLetters(db, { limit: 1 })
      // Reason codes (snake_case), most frequent first.
      const byReason = Object.entries(dead.byReason).map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      const answer: StatusAnswer = { tierSet: config.metrics.tierSet, tiers: tierThresholdsOf(config), processorLagEvents: lag, deadLetters: { total: dead.total, byReason }, sources: lastDeliveries() }
      res.json(answer)
    } catch (e) {
      sendFailure(res, logger, e, () => null)
    }
  })
  return r
}
