import type { Response } from 'express'
import type { Envelope } from '../contracts/envelope.ts'
import { LogError } from '../log/types.ts'
import type { IngestContext } from './context.ts'
import { HttpError, unavailable } from '../http/errors.ts'

/**
 * Appends and answers 202 only after the log says the envelope is durable.
 * A storage outage is a 5xx, never a 4xx: PagerDuty retries 5xx but drops 4xx
 * and disables the subscription after 3 drops.
 */
export async function appendAndAccept(ctx: IngestContext, res: Response, envelope: Envelope, answer: Record<string, unknown> = {}): Promise<void> {
  const done = ctx.metrics.appendTimer(envelope.doraflowsource)
  let result
  try {
    result = await ctx.log.append(envelope)
    done('ok')
  } catch (err) {
    done('error')
    if (!(err instanceof LogError)) throw err
    ctx.logger?.error({ err, id: envelope.id }, 'event log append failed')
    if (err.retriable) throw unavailable('the event log is unavailable; nothing was stored, retry later')
    // Retrying the same bytes will not help, but it is still our failure, not the sender's.
    throw new HttpError(500, 'storage_error', 'the event log refused the event; nothing was stored')
  }
  ctx.logger?.debug({ id: result.id, duplicate: result.duplicate, offset: result.offset }, 'ingested')
  // Written directly rather than through Express's res.json (content negotiation, ETag and
  // freshness checks that a 202 to a webhook sender never needs): this is every delivery's answer.
  const body = JSON.stringify({ accepted: true, id: result.id, duplicate: result.duplicate, ...answer })
  res.statusCode = 202
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
}
