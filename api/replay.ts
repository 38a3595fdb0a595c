import express, { type Router } from 'express'
import type { ReplayJob } from '../processors/replay-job.ts'

/**
 * POST /api/v1/replay (admin): rebuild every table from the event log inside
 * this running serve, as `doraflow replay` does offline. GET /api/v1/replay:
 * where it stands. Only a process that runs the embedded processor can do it;
 * with Kafka the processors are a consumer group spread over machines.
 */
export function createReplayRouter(job: ReplayJob | null): Router {
  const r = express.Router()
  r.get('/api/v1/replay', (_req, res) => {
    if (!job) {
      res.json({ available: false, status: 'idle', message: NOT_HERE })
      return
    }
    res.json({ available: true, ...job.state })
  })
  r.post('/api/v1/replay', (_req, res) => {
    if (!job) {
      res.status(409).json({ error: 'conflict', message: NOT_HERE })
      return
    }
    const started = job.start()
    if (!started) {
      res.status(409).json({ error: 'conflict', message: 'a replay is already running; follow it with GET /api/v1/replay', replay: job.state })
      return
    }
    res.status(202).location('/api/v1/replay').json({ accepted: true, message: 'replay started; follow it with GET /api/v1/replay (figures are partial until it has finished)', replay: started })
  })
  return r
}

const NOT_HERE =
  'this process does not run the embedded processor (Kafka mode, or the ingest role only): stop the processors and run `doraflow replay` instead'
