import express, { type Request, type Router } from 'express'
import type { Logger } from 'pino'
import type { Db } from '../clickhouse/client.ts'
import { DbError } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { getReport, listReports, ReportParamError, runReport, type RawParams } from '../queries/library.ts'
import { requireToken } from './auth.ts'

/**
 * The SQL report library over HTTP (queries/reports/*.sql, queries/library.ts):
 *
 *   GET /api/v1/reports          → { reports: [{ name, title, description, params, columns }] }
 *   GET /api/v1/reports/:name?from=2026-07-01&services=checkout&services=api-eu
 *                                → { report, title, params, columns, rows }
 *
 * A repeated key (or a comma-separated / JSON array value) fills an
 * Array(String) parameter. Bad parameters answer 400 (one issue per
 * parameter), ClickHouse outages 503. A name that is no library report is
 * passed on (next()), so this router and api/reports.ts (GET
 * /api/v1/reports/quarterly) can be mounted in either order, both before the
 * /api catch-all of api/router.ts, which then answers 404. It checks the API
 * token itself.
 */
export function createSqlReportsRouter(deps: { config: Config; db: Db; logger?: Logger }): Router {
  const { config, db, logger } = deps
  const r = express.Router()
  const auth = requireToken(config.api.tokens)
  r.get('/api/v1/reports', auth, (_req, res) => {
    res.json({
      reports: listReports().map((x) => ({ name: x.name, title: x.title, description: x.description, params: x.params.map(({ kind: _k, ...p }) => p), columns: x.columns })),
    })
  })
  r.get('/api/v1/reports/:name', (req, res, next) => {
    if (!getReport(String(req.params.name))) {
      next('route') // not ours: let the next router answer
      return
    }
    auth(req, res, next)
  }, async (req, res) => {
    const name = String(req.params.name)
    try {
      res.json(await runReport(db, name, queryParams(req.query), { config }))
    } catch (e) {
      if (e instanceof ReportParamError) {
        res.status(400).json({ error: 'bad_request', message: e.message, issues: e.issues })
        return
      }
      if (e instanceof DbError && e.retriable) {
        logger?.warn({ err: e.message, report: name }, 'report failed: ClickHouse unavailable')
        res.status(503).set('Retry-After', '5').json({ error: 'unavailable', message: 'ClickHouse is not reachable right now; try again shortly' })
        return
      }
      logger?.error({ err: (e as Error).message, report: name }, 'report failed')
      res.status(500).json({ error: 'internal', message: 'the report failed; see the server log' })
    }
  })
  return r
}

/** Query string → report parameters: one value per key, or a list for a repeated key. */
function queryParams(query: Request['query']): RawParams {
  const out: RawParams = {}
  for (const [k, v] of Object.entries(query)) {
    if (typeof v === 'string') out[k] = v
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string')
  }
  return out
}
