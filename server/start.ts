import express from 'express'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { Logger } from 'pino'
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import { apiAuth, requestScope } from '../api/auth.ts'
import { openApiDocument, ROUTES } from '../api/openapi.ts'
import { createAnnotationsRouter } from '../api/annotations.ts'
import { createCorrectionsRouter } from '../api/corrections.ts'
import { createReplayRouter } from '../api/replay.ts'
import { createStatusRouter } from '../api/status.ts'
import { createImportsRouter } from '../api/imports.ts'
import { ImportJobs } from '../sources/shared/import/jobs.ts'
import { createApiRouter } from '../api/router.ts'
import { httpServerOptions, installSecurity, unverifiedBuckets } from '../http/hardening.ts'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { createWebhookEdge, type WebhookEdge } from '../ingest/edge/webhooks.ts'
import type { KafkaLog } from '../log/kafka.ts'
import { registerSpoolMetrics } from './spool-metrics.ts'
import { startProcessor, type ProcessorHooks, type RunningProcessor } from '../processors/processor.ts'
import { ReplayJob } from '../processors/replay-job.ts'
import { openDb, openLog, type AppLog } from './open.ts'
import { adoptPeer } from './proxy.ts'
import { ALL_SOURCES, unauthenticatedSources } from '../sources/index.ts'

export interface Roles {
  ingest: boolean
  process: boolean
}

export interface Running {
  port: number
  register: Registry
  log: AppLog
  db: Db | null
  processor: RunningProcessor | null
  stop(): Promise<void>
}

const DELIVERY_ROUTES = ALL_SOURCES.flatMap((s) => (s.routes ?? []).map((r) => `${r.method.toUpperCase()} ${r.path}`)).join(', ')

/** Loud, because an unauthenticated webhook endpoint is a real risk. */
function warnUnauthenticated(config: Config, logger: Logger): void {
  const open = unauthenticatedSources(config)
  if (open.length) {
    logger.warn(`no secret configured for ${open.join(', ')}: those webhooks are UNAUTHENTICATED and accepted from loopback (127.0.0.1, ::1) only`)
  }
}

/**
 * Starts the roles asked for in one process: ingest (webhooks → log),
 * process (log → ClickHouse) and, with ClickHouse open, the query API.
 */
export interface ListenOptions {
  /** Listen on this unix socket instead of server.host:port: the back of a split serve (server/split.ts), trusting the front's peer header. */
  socketPath?: string
}

export async function startServer(config: Config, logger: Logger, roles: Roles = { ingest: true, process: true }, given: ProcessorHooks = {}, listen: ListenOptions = {}): Promise<Running> {
  const register = new Registry()
  collectDefaultMetrics({ register, prefix: 'doraflow_' })
  const envelopes = new Counter({
    name: 'doraflow_processor_envelopes_total',
    help: 'envelopes the processor took from the log, by outcome: processed, dropped (nothing for the metrics), dead_letter (see GET /api/v1/dead-letters)',
    labelNames: ['outcome'],
    registers: [register],
  })
  const deadLetters = new Counter({
    name: 'doraflow_processor_dead_letters_total',
    help: 'envelopes dead-lettered by the processor, by reason code (missing_repository, bad_timestamp, …; GET /api/v1/dead-letters has the sentences)',
    labelNames: ['reason'],
    registers: [register],
  })
  const drops = new Counter({
    name: 'doraflow_processor_dropped_total',
    help: 'well-formed envelopes that give no event, by reason code (not_used_by_metrics, not_a_merge, no_service_to_route)',
    labelNames: ['reason'],
    registers: [register],
  })
  const hooks: ProcessorHooks = {
    ...given,
    onBatch: (r) => {
      for (const [reason, n] of Object.entries(r.deadLetterCodes)) deadLetters.inc({ reason }, n)
      for (const [reason, n] of Object.entries(r.dropCodes)) drops.inc({ reason }, n)
      envelopes.inc({ outcome: 'processed' }, r.read - r.dropped - r.deadLettered)
      envelopes.inc({ outcome: 'dropped' }, r.dropped)
      envelopes.inc({ outcome: 'dead_letter' }, r.deadLettered)
      given.onBatch?.(r)
    },
  }
  const log = await openLog(config, logger, { appends: roles.ingest })
  const db = roles.process ? await openDb(config) : null
  // Kafka: a consumer-group member (commits per partition after ClickHouse accepted); embedded: the offset loop.
  let processor: RunningProcessor | null = !db
    ? null
    : config.log.kind === 'kafka'
      ? await (await import('../processors/kafka-runner.ts')).startKafkaProcessor({ config, db, logger, hooks })
      : startProcessor({ log, db, config, logger, hooks })
  // POST /api/v1/replay pauses the embedded processor, rebuilds the tables and starts it again.
  const replayJob =
    db && processor && config.log.kind !== 'kafka'
      ? new ReplayJob({
          log,
          db,
          config,
          logger,
          pause: async () => processor?.stop(),
          resume: () => {
            if (!stopping) processor = startProcessor({ log, db, config, logger, hooks })
          },
        })
      : null
  const kafkaLog = config.log.kind === 'kafka' ? (log as KafkaLog) : null

  const lag = new Gauge({
    name: 'doraflow_processor_lag_events',
    help: 'events in the log not yet processed into ClickHouse',
    registers: [register],
    async collect() {
      try {
        this.set((await log.headOffset()) - (await log.committedOffset(config.processor.group)))
      } catch {
        // broker unreachable: leave the last value rather than fail /metrics
      }
    },
  })
  void lag
  // The spool is the appending process's (a processor of its own has none).
  if (kafkaLog && roles.ingest) registerSpoolMetrics(register, kafkaLog)

  const app = express()
  app.disable('x-powered-by')
  const buckets = unverifiedBuckets(config)
  // Only a configured API token verifies anything: with none, every /api read is anonymous and charged.
  const apiTokens = config.api.tokens.length > 0 || (config.api.adminTokens?.length ?? 0) > 0
  installSecurity(app, config, ROUTES, { buckets, tokenVerified: (req) => apiTokens && requestScope(req) !== undefined })
  // The webhook routes are served in front of Express (ingest/edge/webhooks.ts).
  let edge: WebhookEdge | null = null
  if (roles.ingest) {
    warnUnauthenticated(config, logger)
    edge = createWebhookEdge({ config, log, app, buckets, logger, register })
    await edge.start()
  }
  if (db) app.use('/api', apiAuth(config.api))
  if (db) app.use((await import('../api/reports.ts')).createReportsRouter({ config, db, logger }))
  if (db) app.use(createAnnotationsRouter({ config, db, log, logger, metrics: { register } }))
  if (db) app.use(createCorrectionsRouter({ config, db, log, logger, metrics: { register } }))
  if (db) app.use(createReplayRouter(replayJob))
  if (db) app.use(createStatusRouter({ config, db, log, logger }))
  const imports = db ? new ImportJobs({ config, log }) : null
  if (imports) app.use(createImportsRouter(imports))
  if (db) app.use(createApiRouter({ config, db, logger }))
  const openapi = openApiDocument({ config })
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi)
  })
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'doraflow', roles })
  })
  app.get('/readyz', async (_req, res) => {
    const checks = { log: await log.healthy().catch(() => false), clickhouse: db ? await db.ping() : null, processor: processor?.lastError ? processor.lastError.message : 'ok' }
    const ready = checks.log && checks.clickhouse !== false
    // Spooling is still ready: deliveries are durable in the spool; the state says why.
    const kafka = kafkaLog ? kafkaLog.state() : undefined
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks, ...(kafka ? { kafka } : {}) })
  })
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', register.contentType).send(await register.metrics())
  })
  app.use((_req, res) => {
    res.status(404).json({ error: 'not_found', message: `no such route; see ${DELIVERY_ROUTES}, GET /api/v1/metrics` })
  })

  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(httpServerOptions(config), (req, res) => {
      if (listen.socketPath) adoptPeer(req)
      if (!edge?.handle(req, res)) app(req, res)
    })
    if (listen.socketPath) s.listen(listen.socketPath, () => resolve(s))
    else s.listen(config.server.port, config.server.host, () => resolve(s))
    s.once('error', reject)
  })
  // Slow clients must not hold the server: headers within server.headersTimeoutMs, the whole
  // request within server.requestTimeoutMs (set in http/hardening.ts httpServerOptions).
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.server.port
  // The back of a split serve says so: "doraflow listening" is the front's line, the one people and scripts look for.
  const what = listen.socketPath ? `doraflow processing and API (behind the front) listening on ${listen.socketPath}` : `doraflow listening on http://${config.server.host}:${port}`
  logger.info({ port, log: config.log.kind, clickhouse: db ? config.clickhouse.kind : 'off', roles }, what)

  let stopping: Promise<void> | null = null
  return {
    port,
    register,
    log,
    db,
    get processor() {
      return processor
    },
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
        })
        // A replay in progress stops at its next batch; it rewound the offset, so the next start rebuilds.
        edge?.stop()
        await replayJob?.abort()
        await imports?.close()
        await processor?.stop()
        await log.close()
        await db?.close()
      })()),
  }
}
