/**
 * /api/v1/imports: history from the sources' REST APIs (METRICS.md §10).
 * GET: the runs, newest first, with what they read and what is left; the
 * running one with its live progress. POST (admin, apiAuth): start one, with
 * the body `doraflow import` sends ({source: "github", repos | org, since,
 * until}, {source: "pagerduty", services, since, until} or {source: "gitlab",
 * projects | group, since, until}); 202 and the run's id,
 * 409 while another runs.
 */
import express, { type Router } from 'express'
import { HttpError, sendError, unsupportedMediaType } from '../http/errors.ts'
import { parseJsonObject } from '../http/json.ts'
import { checkContentLength, decodeUtf8, mediaType, readRawBody } from '../http/raw-body.ts'
import { describeIssues, importRequestSchema } from '../sources/shared/import/request.ts'
import type { ImportJobs } from '../sources/shared/import/jobs.ts'

const MAX_BYTES = 64 * 1024

export function createImportsRouter(jobs: ImportJobs): Router {
  const r = express.Router()
  r.get('/api/v1/imports', (_req, res) => {
    res.json(jobs.view())
  })
  r.post('/api/v1/imports', async (req, res) => {
    let body: unknown
    try {
      checkContentLength(req, MAX_BYTES, 'an import request is at most 64 KiB')
      if (mediaType(req) !== 'application/json') throw unsupportedMediaType(`Content-Type must be application/json, got "${mediaType(req) || 'none'}"`)
      body = parseJsonObject(decodeUtf8(await readRawBody(req, MAX_BYTES, 'an import request is at most 64 KiB')))
    } catch (err) {
      if (err instanceof HttpError) return sendError(res, err)
      throw err
    }
    const parsed = importRequestSchema.safeParse(body)
    if (!parsed.success) {
      res.status(400).json({ error: 'bad_request', message: `invalid import: ${describeIssues(parsed.error)}` })
      return
    }
    const started = jobs.start(parsed.data)
    if (!started) {
      res.status(409).json({ error: 'conflict', message: 'an import is already running; follow it with GET /api/v1/imports', ...jobs.view() })
      return
    }
    res.status(202).location('/api/v1/imports').json({ accepted: true, id: started.id, message: 'import started; follow it with GET /api/v1/imports' })
  })
  return r
}
