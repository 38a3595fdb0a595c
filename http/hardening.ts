import type { Express } from 'express'
import type { ServerOptions } from 'node:http'
import type { Config } from '../config/schema.ts'
import { concurrencyLimit, rateLimit } from './limits.ts'
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

/** Middleware that runs before every route: headers, CORS, 405s (`routes`: path → its methods), load shedding. */
export function installSecurity(app: Express, config: Config, routes: ReadonlyMap<string, readonly string[]>): void {
  app.set('trust proxy', config.server.trustProxy)
  app.use(securityHeaders())
  app.use(cors(config.server.cors.origins))
  app.use(methodNotAllowed(routes))
  app.use(rateLimit(config.server.rateLimit))
  app.use(concurrencyLimit(config.server.maxConcurrentRequests))
}
