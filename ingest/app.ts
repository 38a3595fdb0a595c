import express, { type Router } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Config } from '../config/schema.ts'
import type { EventLog } from '../log/types.ts'
import type { IngestContext } from './context.ts'
import { route } from './handler.ts'
import { createIngestMetrics } from './metrics.ts'
import { ALL_SOURCES } from '../sources/index.ts'

export interface IngestDeps {
  config: Config
  log: EventLog
  logger?: Logger
  metrics?: { register: Registry }
}

/**
 * Every source's delivery routes (sources/index.ts): POST /webhooks/github,
 * POST /webhooks/pagerduty, POST /events, … No body parser here or before it: each route reads the raw bytes itself,
 * because signatures are over those exact bytes and size limits apply while streaming.
 */
export function createIngestRouter(deps: IngestDeps): Router {
  const ctx: IngestContext = { config: deps.config, log: deps.log, logger: deps.logger, metrics: createIngestMetrics(deps.metrics?.register) }
  const router = express.Router()
  for (const s of ALL_SOURCES) for (const r of s.routes ?? []) router[r.method](r.path, route(ctx, s.name, r.handler(ctx)))
  return router
}
