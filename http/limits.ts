import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { TokenBuckets } from './buckets.ts'
import { answerThenDrain, type DrainBounds } from './early-answer.ts'

/**
 * Load shedding in front of the Express routes (the API, pages; the webhook
 * routes have their own edge, ingest/edge/): a bounded number of requests in
 * flight (503 + Retry-After when saturated) and a token bucket per client
 * address that only requests which did not verify are charged to (429 +
 * Retry-After). docs/SECURITY.md has the policy.
 */

/** Paths never limited: liveness, readiness and Prometheus must answer under load. */
export const UNLIMITED_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

function reject(req: Request, res: Response, status: 429 | 503, retryAfterSeconds: number, error: string, message: string, drain: DrainBounds): void {
  // The body is not read: drained (bounded) so the client can read the answer.
  answerThenDrain(req, res, status, { error, message }, { 'Retry-After': String(retryAfterSeconds) }, drain)
}

export interface ConcurrencyLimiter extends RequestHandler {
  /** Requests currently in flight through the limiter. */
  readonly active: number
}

/** At most `max` requests in flight; the slot is released when the response closes (finished or aborted). */
export function concurrencyLimit(max: number, drain: DrainBounds, retryAfterSeconds = 1): ConcurrencyLimiter {
  let active = 0
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    if (UNLIMITED_PATHS.has(req.path)) return next()
    if (active >= max) {
      reject(req, res, 503, retryAfterSeconds, 'overloaded', `the server is handling ${max} requests already (server.maxConcurrentRequests); retry after ${retryAfterSeconds} s`, drain)
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

/** The client address buckets are keyed on: req.ip (the peer, unless server.trustProxy says to believe X-Forwarded-For). */
export const clientKey = (req: Request): string => req.ip ?? req.socket.remoteAddress ?? 'unknown'

export const rateLimitedMessage = (buckets: TokenBuckets, wait: number) =>
  `too many unverified requests from this client (server.rateLimit: ${buckets.opts.perSecond}/s, burst ${buckets.opts.burst}); send a valid signature or token, or retry after ${wait} s`

export interface UnverifiedLimitOptions {
  /** Whether the request verified a credential (decided after the answer). */
  verified(req: Request, res: Response): boolean
  /** Whether the request carries a credential worth checking even when its address's bucket is empty. */
  credentialPresented(req: Request): boolean
  drain: DrainBounds
}

/**
 * Charges the client's bucket with every answered request that did not verify;
 * with the bucket empty, requests that carry no credential are refused up front.
 * One that carries one is still checked: a good token is never refused.
 */
export function unverifiedLimit(buckets: TokenBuckets, opts: UnverifiedLimitOptions): RequestHandler {
  if (!buckets.enabled) return (_req, _res, next) => next()
  return (req, res, next) => {
    if (UNLIMITED_PATHS.has(req.path)) return next()
    const key = clientKey(req)
    const wait = buckets.waitSeconds(key)
    if (wait > 0 && !opts.credentialPresented(req)) {
      reject(req, res, 429, wait, 'rate_limited', rateLimitedMessage(buckets, wait), opts.drain)
      return
    }
    res.once('finish', () => {
      if (!opts.verified(req, res)) buckets.take(key)
    })
    next()
  }
}
