import { sendFailure, singleQuery } from './http.ts'
import express, { type Request, type Response, type Router } from 'express'
import type { Logger } from 'pino'
import type { ZodType } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { computeMetrics, metricsQuerySchema } from '../queries/metrics.ts'
import { annotationsQuerySchema, listAnnotations } from '../queries/annotations.ts'
import { correctionsQuerySchema, listCorrections } from '../queries/corrections.ts'
import { deadLettersQuerySchema, listDeadLetters } from '../queries/dead-letters.ts'
import { listDeployments, listIncidents, recordsQuerySchema } from '../queries/records.ts'
import { requireToken } from './auth.ts'
import { flagsQuerySchema, freezesQuerySchema, listFlags, listFreezes, listReleases, releasesQuerySchema } from '../queries/releases.ts'
import { createSqlReportsRouter } from './sql-reports.ts'

function validate<T>(schema: ZodType<T>, req: Request, res: Response): T | null {
  const r = schema.safeParse(singleQuery(req.query))
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({ parameter: i.path.join('.') || '(query)', message: i.message }))
  const text = issues.map((i) => (i.message.startsWith(`${i.parameter}:`) ? i.message : `${i.parameter}: ${i.message}`)).join('; ')
  res.status(400).json({ error: 'bad_request', message: text, issues })
  return null
}

const fail = sendFailure

export function createApiRouter(deps: { config: Config; db: Db; logger?: Logger }): Router {
  const { config, db, logger } = deps
  const r = express.Router()
  r.use('/api', requireToken(config.api.tokens))
  /** One shape for every read route: validate the query, run it, map failures once. */
  const read = <Q>(path: string, schema: ZodType<Q>, run: (q: Q) => Promise<unknown>) =>
    r.get(path, async (req, res) => {
      const q = validate(schema, req, res)
      if (q === null) return
      try {
        res.json(await run(q))
      } catch (e) {
        fail(res, logger, e)
      }
    })
  read('/api/v1/metrics', metricsQuerySchema, (q) => computeMetrics(db, config, q))
  read('/api/v1/deployments', recordsQuerySchema, async (q) => ({ deployments: await listDeployments(db, q) }))
  read('/api/v1/incidents', recordsQuerySchema, async (q) => ({ incidents: await listIncidents(db, q) }))
  read('/api/v1/dead-letters', deadLettersQuerySchema, (q) => listDeadLetters(db, q))
  read('/api/v1/releases', releasesQuerySchema, (q) => listReleases(db, q))
  read('/api/v1/flags', flagsQuerySchema, (q) => listFlags(db, config, q))
  read('/api/v1/freezes', freezesQuerySchema, (q) => listFreezes(db, config, q))
  read('/api/v1/annotations', annotationsQuerySchema, async (q) => ({ annotations: await listAnnotations(db, q) }))
  read('/api/v1/corrections', correctionsQuerySchema, async (q) => ({ corrections: await listCorrections(db, q) }))
  r.use(createSqlReportsRouter({ config, db, logger }))
  r.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not_found', message: 'no such API route; see /api/v1/metrics, /api/v1/deployments, /api/v1/incidents, /api/v1/releases, /api/v1/flags, /api/v1/freezes, /api/v1/annotations, /api/v1/corrections, /api/v1/dead-letters, /api/v1/replay' })
  })
  return r
}
