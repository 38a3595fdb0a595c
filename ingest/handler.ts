import type { Request, RequestHandler, Response } from 'express'
import type { IngestContext } from './context.ts'
import { HttpError, sendError, sendInternalError } from '../http/errors.ts'

/**
 * Wraps a route: counts the answered status per source, maps HttpError to its
 * JSON answer and anything unexpected to a 500 without details (logged).
 */
export function route(ctx: IngestContext, source: string, fn: (req: Request, res: Response) => Promise<void>): RequestHandler {
  return async (req, res) => {
    res.on('finish', () => ctx.metrics.request(source, res.statusCode))
    try {
      await fn(req, res)
    } catch (err) {
      if (err instanceof HttpError) {
        if (err.status >= 500) ctx.logger?.error({ err, source }, 'ingest failed')
        else ctx.logger?.info({ source, status: err.status, reason: err.message }, 'ingest rejected')
        // Rejected before the body was read: close rather than drain an unwanted (maybe huge) body.
        if (!req.complete) res.setHeader('Connection', 'close')
        sendError(res, err)
      } else {
        ctx.logger?.error({ err, source }, 'unexpected ingest error')
        sendInternalError(res)
      }
    }
  }
}
