import type { Request, Response } from 'express'
import type { Logger } from 'pino'
import { ZodError } from 'zod'
import { DbError } from '../clickhouse/client.ts'

/** Query strings: repeated keys come as arrays; a parameter takes one value (the last). */
export function singleQuery(query: Request['query']): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') out[k] = v
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[v.length - 1] as string
  }
  return out
}

/**
 * Failures mapped once for every read route: bad input → 400 naming it;
 * ClickHouse unreachable → 503 (try again); anything else → 500. Bodies never
 * carry SQL or a stack.
 */
export function sendFailure(res: Response, logger: Logger | undefined, e: unknown, badRequest: (e: unknown) => string | null = () => null): void {
  const message = e instanceof ZodError ? e.issues.map((i) => i.message).join('; ') : badRequest(e)
  if (message !== null) {
    res.status(400).json({ error: 'bad_request', message })
    return
  }
  if (e instanceof DbError && e.retriable) {
    logger?.warn({ err: e.message }, 'query failed: ClickHouse unavailable')
    res.status(503).set('Retry-After', '5').json({ error: 'unavailable', message: 'ClickHouse is not reachable right now; try again shortly' })
    return
  }
  logger?.error({ err: (e as Error).message }, 'query failed')
  res.status(500).json({ error: 'internal', message: 'the query failed; see the server log' })
}
