import type { Express, Request } from 'express'
import type { ServerOptions } from 'node:http'
import type { Config } from '../config/schema.ts'
import { TokenBuckets } from './buckets.ts'
import { concurrencyLimit, unverifiedLimit } from './limits.ts'
import { cors, methodNotAllowed, securityHeaders } from './headers.ts'

/**
 * Node's own defences against slow clients: the headers must arrive within
 * headersTimeoutMs (slowloris), the whole request within requestTimeoutMs
 * (slow bodies); Node answers 408 and closes. Node checks those deadlines every
 * connectionsCheckingInterval, so that interval is kept well below them.
 */
export function httpServerOptions(config: Config): ServerOptions {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.server
  const requestTimeout = Math.max(requestTimeoutMs, headersTimeoutMs)
  return {
    headersTimeout: headersTimeoutMs,
    requestTimeout,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(headersTimeoutMs / 4))),
    // Request headers over 16 KiB are refused with 431 (Node's default, stated here on purpose).
    maxHeaderSize: 16 * 1024,
  }
}

/** What the per-client limiter needs from the server: its buckets, and whether a request's token verified (apiAuth decides). */
export interface UnverifiedLimiter {
  buckets: TokenBuckets
  tokenVerified(req: Request): boolean
}

/** Middleware that runs before every route: headers, CORS, 405s (`routes`: path → its methods), load shedding. */
export function installSecurity(app: Express, config: Config, routes: ReadonlyMap<string, readonly string[]>, limiter: UnverifiedLimiter = { buckets: unverifiedBuckets(config), tokenVerified: () => false }): void {
  app.set('trust proxy', config.server.trustProxy)
  app.use(securityHeaders())
  app.use(cors(config.server.cors.origins))
  app.use(methodNotAllowed(routes))
  app.use(unverifiedLimit(limiter.buckets, { verified: (req, res) => limiter.tokenVerified(req) && res.statusCode !== 401 && res.statusCode !== 403, credentialPresented: (req) => req.headers.authorization !== undefined, drain: config.ingest.drain }))
  app.use(concurrencyLimit(config.server.maxConcurrentRequests, config.ingest.drain))
}

/** One set of buckets per server, shared by the Express routes and the webhook edge (ingest/edge/). */
export const unverifiedBuckets = (config: Config) => new TokenBuckets({ perSecond: config.server.rateLimit.requestsPerSecond, burst: config.server.rateLimit.burst })
