import express, { type Router } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Config } from '../config/schema.ts'
import type { EventLog } from '../log/types.ts'
import type { IngestContext } from './context.ts'
import { route } from './handler.ts'
import { createIngestMetrics } from './metrics.ts'
import { eventsHandler } from '../sources/events/route.ts'
import { githubHandler } from '../sources/github/route.ts'
import { pagerdutyHandler } from '../sources/pagerduty/route.ts'

export interface IngestDeps {
  config: Config
  log: EventLog
  logger?: Logger
  metrics?: { register: Registry }
}

/**
 * POST /webhooks/github, POST /webhooks/pagerduty, POST /events.
 * No body parser here or before it: each route reads the raw bytes itself,
 * because signatures are over those exact bytes and size limits apply while streaming.
 */
export function createIngestRouter(deps: IngestDeps): Router {
  const ctx: IngestContext = { config: deps.config, log: deps.log, logger: deps.logger, metrics: createIngestMetrics(deps.metrics?.register) }
  const router = express.Router()
  router.post('/webhooks/github', route(ctx, 'github', githubHandler(ctx)))
  router.post('/webhooks/pagerduty', route(ctx, 'pagerduty', pagerdutyHandler(ctx)))
  router.post('/events', route(ctx, 'events', eventsHandler(ctx)))
  return router
}
