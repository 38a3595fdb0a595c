import { sendFailure, singleQuery } from './http.ts'
import express, { type Response, type Router } from 'express'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { z } from 'zod'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { postmortemMarkdown } from '../reports/postmortem/index.ts'
import { CONTENT_TYPES, QuarterError, quarterlyReport, REPORT_FORMATS } from '../reports/quarterly/index.ts'
import { requireToken } from './auth.ts'

/**
 * What people read, over HTTP:
 *   GET /                                      the overview page (static, public; it calls the API)
 *   GET /overview/app.js, /overview/insights.js, /overview/style.css  its scripts and stylesheet
 *   GET /api/v1/reports/quarterly?quarter=2026-Q3&team=&tz=&format=md|html|csv
 *   GET /api/v1/incidents/:id/postmortem       Markdown draft; :id URL-encoded (pagerduty%3AQ1)
 * Mount before createApiRouter: its /api catch-all answers 404 for anything it does not know.
 */

const OVERVIEW_DIR = join(import.meta.dirname, '..', 'overview')

/** The page may only load its own script/style and call its own API; nobody may frame it. */
const PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
}
/** A report is a document: its inline CSS may apply, nothing may run or load. */
const REPORT_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
}

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/overview/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/overview/insights.js': { file: 'insights.js', type: 'text/javascript; charset=utf-8' },
  '/overview/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/overview/charts.js': { file: 'charts.js', type: 'text/javascript; charset=utf-8' },
  '/overview/health.js': { file: 'health.js', type: 'text/javascript; charset=utf-8' },
  '/overview/export.js': { file: 'export.js', type: 'text/javascript; charset=utf-8' },
  '/overview/vendor/uPlot.iife.min.js': { file: 'vendor/uPlot.iife.min.js', type: 'text/javascript; charset=utf-8' },
  '/overview/vendor/uPlot.min.css': { file: 'vendor/uPlot.min.css', type: 'text/css; charset=utf-8' },
}

const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v)
export const quarterlyQuerySchema = z.object({
  quarter: z.string({ error: 'quarter: required, e.g. 2026-Q3' }).regex(/^\d{4}-?Q[1-4]$/i, 'quarter: expected YYYY-Qn, e.g. 2026-Q3'),
  team: z.preprocess(emptyToUndefined, z.string().max(512).optional()),
  tz: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
  format: z.preprocess(emptyToUndefined, z.enum(REPORT_FORMATS, { error: 'format: must be md, html or csv' }).default('md')),
})

const fail = (res: Response, logger: Logger | undefined, e: unknown): void =>
  sendFailure(res, logger, e, (x) => (x instanceof QuarterError ? x.message : null))
const single = singleQuery

export function createReportsRouter(deps: { config: Config; db: Db; logger?: Logger }): Router {
  const { config, db, logger } = deps
  const r = express.Router()
  const files = new Map(Object.entries(STATIC).map(([path, f]) => [path, { body: readFileSync(join(OVERVIEW_DIR, f.file)), type: f.type }]))
  for (const [path, f] of files) {
    r.get(path, (_req, res) => {
      res.set(PAGE_HEADERS).type(f.type).send(f.body)
    })
  }
  r.use('/api/v1/reports', requireToken(config.api.tokens))
  r.use('/api/v1/incidents', requireToken(config.api.tokens))
  r.get('/api/v1/reports/quarterly', async (req, res) => {
    const parsed = quarterlyQuerySchema.safeParse(single(req.query))
    if (!parsed.success) {
      res.status(400).json({ error: 'bad_request', message: parsed.error.issues.map((i) => i.message).join('; ') })
      return
    }
    const q = parsed.data
    try {
      const body = await quarterlyReport(db, config, { quarter: q.quarter, team: q.team, tz: q.tz, format: q.format })
      res.set(REPORT_HEADERS).type(CONTENT_TYPES[q.format]).send(body)
    } catch (e) {
      fail(res, logger, e)
    }
  })
  // Express decodes the segment: /api/v1/incidents/github%3Aacme%2Fcheckout%237/postmortem → github:acme/checkout#7.
  r.get('/api/v1/incidents/:id/postmortem', async (req, res) => {
    const id = String(req.params.id ?? '')
    if (id.length === 0 || id.length > 1024) {
      res.status(400).json({ error: 'bad_request', message: 'id: an incident id such as pagerduty:Q1 or github:acme/checkout#7, URL-encoded' })
      return
    }
    try {
      const md = await postmortemMarkdown(db, config, id)
      if (md === null) {
        res.status(404).json({ error: 'not_found', message: `no incident with id ${JSON.stringify(id)} (ids look like pagerduty:Q1 or github:acme/checkout#7; URL-encode them)` })
        return
      }
      res.set(REPORT_HEADERS).type('text/markdown; charset=utf-8').send(md)
    } catch (e) {
      fail(res, logger, e)
    }
  })
  return r
}
