import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Express, Request, RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { Config } from '../../config/schema.ts'
import type { EventLog } from '../../log/types.ts'
import type { TokenBuckets } from '../../http/buckets.ts'
import { answerThenDrain } from '../../http/early-answer.ts'
import { securityHeaders } from '../../http/headers.ts'
import { clientKey, rateLimitedMessage } from '../../http/limits.ts'
import { ALL_SOURCES } from '../../sources/index.ts'
import type { IngestContext } from '../context.ts'
import { route } from '../handler.ts'
import { createIngestMetrics } from '../metrics.ts'
import { Backpressure, logDir, processProbes, type Probes } from './backpressure.ts'
import { createEdgeMetrics } from './metrics.ts'

interface WebhookRoute {
  source: string
  handler: RequestHandler
  /** Headers whose value the route verifies; the presence of one earns a check even from a throttled address. */
  credentials: readonly string[]
  /** GitHub never retries a failed delivery; the others do (PagerDuty, our /events senders). */
  senderRetries: boolean
}

export interface WebhookEdgeDeps {
  config: Config
  log: EventLog
  /** The Express app: its request/response prototypes give the routes the Request/Response they are written for. */
  app: Express
  buckets: TokenBuckets
  logger?: Logger
  register?: Registry
  probes?: Probes
}

export interface WebhookEdge {
  /** Handles a webhook POST and returns true, or returns false for the Express app to take the request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean
  readonly backpressure: Backpressure
  start(): Promise<void>
  stop(): void
}

/**
 * Chunked bodies announce no length: they are counted at this much (senders
 * of big payloads, GitHub first, send Content-Length; ingest.maxBodyBytes still
 * bounds each chunked body while it streams).
 */
const UNDECLARED_BYTES = 64 * 1024

/**
 * The webhook hot path on bare node:http: every source's delivery route
 * (POST /webhooks/github, /webhooks/pagerduty, /events, …) skips Express's router and middleware
 * stack (the API keeps it). In their place, what a webhook needs:
 * the security headers, the unverified-request limiter (a verified delivery
 * is never charged nor refused by it), and backpressure from the bytes really
 * in flight. The route handlers are the same ones the Express router mounts.
 */
export function createWebhookEdge(deps: WebhookEdgeDeps): WebhookEdge {
  const { config, app, buckets } = deps
  const ctx: IngestContext = { config, log: deps.log, logger: deps.logger, metrics: createIngestMetrics(deps.register) }
  const backpressure = new Backpressure(config.ingest.backpressure, deps.probes ?? processProbes(logDir(config)))
  const metrics = createEdgeMetrics(deps.register, () => backpressure.bytesInFlight)
  // Every source's delivery routes (sources/index.ts), as the Express router would mount them.
  const routes = new Map<string, WebhookRoute>()
  for (const s of ALL_SOURCES) {
    for (const r of s.routes ?? []) {
      routes.set(r.path, { source: s.name, handler: route(ctx, s.name, r.handler(ctx)), credentials: [...(s.secretHeaders ?? []), 'authorization'], senderRetries: !s.neverRetries })
    }
  }
  const headers = securityHeaders()
  const next = () => {}

  const refuse = (req: Request, res: Response, r: WebhookRoute, status: number, error: string, message: string, retryAfter: number) => {
    ctx.metrics.request(r.source, status)
    answerThenDrain(req, res, status, { error, message }, { 'Retry-After': String(retryAfter) }, config.ingest.drain)
  }

  const handle = (rawReq: IncomingMessage, rawRes: ServerResponse): boolean => {
    if (rawReq.method !== 'POST') return false
    const url = rawReq.url ?? ''
    const q = url.indexOf('?')
    const r = routes.get(q === -1 ? url : url.slice(0, q))
    if (!r) return false
    // What Express's own init does per request: its Request/Response are these prototypes.
    Object.setPrototypeOf(rawReq, app.request)
    Object.setPrototypeOf(rawRes, app.response)
    const req = rawReq as Request
    const res = rawRes as Response
    req.res = res
    res.req = req
    res.locals = Object.create(null)
    headers(req, res, next)

    const key = clientKey(req)
    const wait = buckets.waitSeconds(key)
    if (wait > 0 && !r.credentials.some((h) => req.headers[h] !== undefined)) {
      refuse(req, res, r, 429, 'rate_limited', rateLimitedMessage(buckets, wait), wait)
      return true
    }
    const declared = Number(req.headers['content-length'])
    const bytes = Number.isSafeInteger(declared) && declared >= 0 ? declared : UNDECLARED_BYTES
    const refusal = backpressure.check(bytes, r.senderRetries)
    if (refusal) {
      metrics.refused(r.source, refusal.reason)
      deps.logger?.warn({ source: r.source, reason: refusal.reason, bytesInFlight: backpressure.bytesInFlight }, 'delivery refused by backpressure')
      refuse(req, res, r, 503, 'overloaded', refusal.message, refusal.retryAfterSeconds)
      return true
    }
    res.once('close', backpressure.hold(bytes))
    // Charged after the answer: anything but a 2xx did not verify (or was refused for its content).
    res.once('finish', () => {
      if (res.statusCode >= 400 && res.statusCode < 500) buckets.take(key)
    })
    void r.handler(req, res, next)
    return true
  }

  return { handle, backpressure, start: () => backpressure.start(), stop: () => backpressure.stop() }
}
