import { createServer, type Server } from 'node:http'
import express from 'express'
import type { Logger } from 'pino'
import { AggregatorRegistry, collectDefaultMetrics, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client'
import type { Config } from '../config/schema.ts'
import { createWebhookEdge } from '../ingest/edge/webhooks.ts'
import { httpServerOptions, unverifiedBuckets } from '../http/hardening.ts'
import type { KafkaLog } from '../log/kafka.ts'
import { openLog } from './open.ts'
import { registerSpoolMetrics } from './spool-metrics.ts'
import { getFromSocket, proxyToSocket } from './proxy.ts'

/** The processor process behind the front (server/split.ts). */
export interface Back {
  socketPath: string
  /** Its Prometheus figures, as prom-client JSON (asked over IPC). */
  metrics(): Promise<MetricObjectWithValues<MetricValue<string>>[]>
  /** Called after each commit of the log that stored something new. */
  appended(): void
}

export interface RunningFront {
  port: number
  stop(): Promise<void>
}

/**
 * The ingest front of a split serve: the webhook edge appends to the event log
 * (embedded, or Kafka's producer with its spool) in this process, so the HTTP
 * hot path has a core's event loop to itself; everything else (the API, pages, replay, annotations) is the back's,
 * reached through a unix socket. /metrics adds both processes' figures up.
 */
export async function startIngestFront(config: Config, logger: Logger, back: Back): Promise<RunningFront> {
  const register = new Registry()
  // Its own prefix: summed with the back's doraflow_process_* these would mean neither process.
  collectDefaultMetrics({ register, prefix: 'doraflow_ingest_' })
  // The appends' transactions and fsyncs on a thread of their own: the event loop reads on meanwhile.
  const log = await openLog(config, logger, { writer: 'thread' })
  // Kafka: the producer and its spool are this process's; the back only consumes.
  const kafkaLog = config.log.kind === 'kafka' ? (log as KafkaLog) : null
  if (kafkaLog) registerSpoolMetrics(register, kafkaLog)
  log.onAppend?.(() => back.appended())
  const app = express()
  app.disable('x-powered-by')
  // The front answers deliveries and probes only: an ETag (a hash of every 202's body) serves no one.
  app.set('etag', false)
  app.set('trust proxy', config.server.trustProxy)
  const edge = createWebhookEdge({ config, log, app, buckets: unverifiedBuckets(config), logger, register })
  await edge.start()

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: 'doraflow', roles: { ingest: true, process: true }, processes: 'split' })
  })
  app.get('/readyz', async (_req, res) => {
    const logOk = await log.healthy().catch(() => false)
    const backReady = await getFromSocket(back.socketPath, '/readyz').catch((err: Error) => ({ status: 503, body: { status: 'not ready', checks: { processor: err.message } } }))
    const body = backReady.body as { checks?: Record<string, unknown> }
    const ready = logOk && backReady.status === 200
    const kafka = kafkaLog ? { kafka: kafkaLog.state() } : {}
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { ...body.checks, log: logOk }, ...kafka })
  })
  app.get('/metrics', async (_req, res) => {
    const own = await register.getMetricsAsJSON()
    const theirs = await back.metrics().catch(() => [])
    const merged = AggregatorRegistry.aggregate([own, theirs])
    res.set('Content-Type', merged.contentType).send(await merged.metrics())
  })
  app.use(proxyToSocket(back.socketPath))

  const server: Server = await new Promise((resolve, reject) => {
    const s = createServer(httpServerOptions(config), (req, res) => {
      if (!edge.handle(req, res)) app(req, res)
    }).listen(config.server.port, config.server.host, () => resolve(s))
    s.once('error', reject)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.server.port
  logger.info({ port, log: config.log.kind, processes: 'split' }, `doraflow listening on http://${config.server.host}:${port} (ingest here, processing and the API in a second process)`)
  let stopping: Promise<void> | null = null
  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeIdleConnections()
        })
        edge.stop()
        await log.close()
      })()),
  }
}
