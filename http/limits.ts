import type { NextFunction, Request, RequestHandler, Response } from 'express'

/**
 * Load shedding in front of every route except the probes: a bounded number of
 * requests in flight (503 + Retry-After when saturated) and a token bucket per
 * client address (429 + Retry-After). PagerDuty retries both; GitHub retries
 * neither (docs/SECURITY.md says how to size them so GitHub never meets them).
 */

/** Paths never limited: liveness, readiness and Prometheus must answer under load. */
export const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

function reject(res: Response, status: 429 | 503, retryAfterSeconds: number, error: string, message: string): void {
  res.setHeader('Retry-After', String(retryAfterSeconds))
  // The body of a rejected request is not read: close rather than drain it.
  res.setHeader('Connection', 'close')
  res.status(status).json({ error, message })
}

export interface ConcurrencyLimiter extends RequestHandler {
  /** Requests currently in flight through the limiter. */
  readonly active: number
}

/** At most `max` requests in flight; the slot is released when the response closes (finished or aborted). */
export function concurrencyLimit(max: number, retryAfterSeconds = 1): ConcurrencyLimiter {
  let active = 0
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    if (UNLIMITED_PATHS.has(req.path)) return next()
    if (active >= max) {
      reject(res, 503, retryAfterSeconds, 'overloaded', `the server is handling ${max} requests already (server.maxConcurrentRequests); retry after ${retryAfterSeconds} s`)
      return
    }
    active++
    let released = false
    const release = () => {
      if (released) return
      released = true
      active--
    }
    res.once('close', release)
    res.once('finish', release)
    next()
  }
  return Object.defineProperty(handler, 'active', { get: () => active }) as ConcurrencyLimiter
}

export interface RateLimitOptions {
  requestsPerSecond: number
  burst: number
  /** Injectable clock for tests (ms). */
  now?: () => number
  /** Buckets kept at most; the least recently used are dropped (a full bucket is the same as none). */
  maxClients?: number
}

interface Bucket {
  tokens: number
  at: number
}

/**
 * Token bucket per client: `burst` requests at once, refilled at
 * `requestsPerSecond`. The key is req.ip, which is the socket's peer address
 * unless server.trustProxy tells express to believe X-Forwarded-For.
 */
export function rateLimit(opts: RateLimitOptions): RequestHandler {
  const { requestsPerSecond: rate, burst } = opts
  const now = opts.now ?? Date.now
  const maxClients = opts.maxClients ?? 100_000
  const buckets = new Map<string, Bucket>()
  if (rate <= 0) return (_req, _res, next) => next()
  return (req, res, next) => {
    if (UNLIMITED_PATHS.has(req.path)) return next()
    const key = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    const t = now()
    let b = buckets.get(key)
    if (b) {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate)
      b.at = t
      buckets.delete(key) // re-insert: Map order is recency order
    } else {
      b = { tokens: burst, at: t }
      if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!)
    }
    buckets.set(key, b)
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / rate))
      reject(res, 429, wait, 'rate_limited', `too many requests from this client (server.rateLimit: ${rate}/s, burst ${burst}); retry after ${wait} s`)
      return
    }
    b.tokens -= 1
    next()
  }
}
