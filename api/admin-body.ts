/**
 * The body of a state-changing admin request (annotations, corrections): JSON only, size-capped,
 * validated by a zod schema into a 400 that names each bad field. Shared so every admin route
 * refuses bad input the same way.
 */
import type { Request } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { ZodType } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { IngestContext } from '../ingest/context.ts'
import { createIngestMetrics } from '../ingest/metrics.ts'
import type { EventLog } from '../log/types.ts'
import { badRequest, unsupportedMediaType } from '../ingest/errors.ts'
import { parseJsonObject } from '../ingest/json.ts'
import { checkContentLength, decodeUtf8, mediaType, readRawBody } from '../ingest/raw-body.ts'

export async function readAdminJson<T>(req: Request, o: { maxBytes: number; setting: string; what: string; schema: ZodType<T> }): Promise<T> {
  checkContentLength(req, o.maxBytes, o.setting)
  if (mediaType(req) !== 'application/json') throw unsupportedMediaType(`Content-Type must be application/json, got "${mediaType(req) || 'none'}"`)
  const body = parseJsonObject(decodeUtf8(await readRawBody(req, o.maxBytes, o.setting)))
  const parsed = o.schema.safeParse(body)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }))
    throw badRequest(`invalid ${o.what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, { issues })
  }
  return parsed.data
}

/** What an admin write route is built from: it appends to the log like ingest does. */
export interface AdminRouteDeps {
  config: Config
  db: Db
  log: EventLog
  logger?: Logger
  metrics?: { register: Registry }
}

export const adminIngestContext = (deps: AdminRouteDeps): IngestContext => ({ config: deps.config, log: deps.log, logger: deps.logger, metrics: createIngestMetrics(deps.metrics?.register) })
