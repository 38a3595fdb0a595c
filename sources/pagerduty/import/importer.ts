/**
 * `doraflow import pagerduty`: incidents created in [--since, --until) with
 * their log entries, per service, appended as `pagerduty-api` envelopes.
 * PagerDuty's classic pagination stops at offset 10,000, so the range is read
 * in time slices (30 days at most; a slice that would pass the cap is halved
 * and read again), with a checkpoint after each slice: a killed import resumes
 * at the first slice it had not finished.
 */
import type { Config } from '../../../config/schema.ts'
import type { EventLog } from '../../../log/types.ts'
import { ImportFailure, ImportRun, type RunSummary, type ScopeProgress } from '../../shared/import/run.ts'
import type { ImportState } from '../../shared/import/state.ts'
import { PAGE_SIZE, PD_OFFSET_CAP, pagerdutyClient, type PagerdutyClient } from './client.ts'
import { pagerdutyApiEnvelope } from './records.ts'

export interface PagerdutyImportRequest {
  services: string[]
  since?: string
  until?: string
}

export interface PagerdutyImportDeps {
  config: Config
  log: EventLog
  state: ImportState
  onProgress?: (run: ImportRun) => void
  backoffMs?: number
  /** PagerDuty's classic pagination cap (10,000); tests of the slicing lower it. */
  offsetCap?: number
}

const DAY = 86_400_000
const MAX_SLICE = 30 * DAY
/** PagerDuty lists the last 30 days by default; an import without --since reads a year. */
const DEFAULT_RANGE = 365 * DAY

export async function importPagerduty(req: PagerdutyImportRequest, deps: PagerdutyImportDeps): Promise<RunSummary> {
  const run = new ImportRun('pagerduty', { log: deps.log, state: deps.state, ...(deps.onProgress ? { onProgress: deps.onProgress } : {}) }, req)
  try {
    const token = deps.config.pagerduty.apiToken
    if (!token) throw new ImportFailure({ reason: 'bad_token', message: 'no PagerDuty key configured: set pagerduty.apiToken (a read-only REST API key)' })
    const pd = pagerdutyClient({ token, apiUrl: deps.config.pagerduty.apiUrl, run, ...(deps.backoffMs !== undefined ? { backoffMs: deps.backoffMs } : {}) })
    const until = req.until ? Date.parse(req.until) : Date.now()
    const since = req.since ? Date.parse(req.since) : until - DEFAULT_RANGE
    // Per service, so one busy service's slices do not cut everyone's; no service given: the whole account.
    const scopes = req.services.length ? req.services : ['*']
    for (const service of scopes) {
      const scope = run.scope(service === '*' ? 'all services' : service)
      scope.status = 'running'
      scope.startedAt = Date.now()
      scope.resource = 'incidents'
      await importService(pd, service, since, until, req, deps, run, scope, deps.offsetCap ?? PD_OFFSET_CAP)
      scope.status = 'done'
      scope.resource = null
      run.changed()
    }
  } catch (err) {
    for (const s of run.scopes.values()) if (s.status === 'running') s.status = 'failed'
    run.problem = err instanceof ImportFailure ? err.problem : { reason: 'http_error', message: err instanceof Error ? err.message : String(err) }
  }
  return run.finish()
}

async function importService(pd: PagerdutyClient, service: string, since: number, until: number, req: PagerdutyImportRequest, deps: { state: ImportState }, run: ImportRun, scope: ScopeProgress, cap: number): Promise<void> {
  const window = `${req.since ?? ''}|${req.until ?? ''}`
  const cp = deps.state.checkpoint(service, 'incidents', window)
  let from = cp && !cp.done && cp.next ? Date.parse(cp.next) : since
  scope.estimatedTotal = null
  while (from < until) {
    let to = Math.min(until, from + MAX_SLICE)
    // Halve the slice until it fits under the offset cap; a slice of one second that does not is refused.
    for (;;) {
      const read = await readSlice(pd, service, from, to, run, scope, cap)
      if (read === 'fits') break
      if (to - from <= 1000) throw new ImportFailure({ reason: 'http_error', message: `more than ${cap} incidents created within one second on ${service}: PagerDuty cannot list them` })
      to = from + Math.floor((to - from) / 2)
    }
    from = to
    deps.state.saveCheckpoint(service, 'incidents', window, { next: new Date(from).toISOString(), done: false, highWater: null })
  }
  deps.state.saveCheckpoint(service, 'incidents', window, { next: null, done: true, highWater: new Date(until).toISOString() })
}

/** Reads one slice; 'too_big' (nothing appended) when it would pass the offset cap. */
async function readSlice(pd: PagerdutyClient, service: string, from: number, to: number, run: ImportRun, scope: ScopeProgress, cap: number): Promise<'fits' | 'too_big'> {
  const params = new URLSearchParams({ since: new Date(from).toISOString(), until: new Date(to).toISOString(), time_zone: 'UTC', total: 'true' })
  if (service !== '*') params.append('service_ids[]', service)
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const { items, more, total } = await pd.page('/incidents', params, 'incidents', offset)
    if (offset === 0 && more && to - from > 1000) {
      // Cheap look ahead: ask for the page at the cap's edge before reading (and appending) anything.
      const edge = cap - PAGE_SIZE
      const probe = await pd.page('/incidents', params, 'incidents', edge)
      if (probe.more) return 'too_big'
    }
    // The bar's total: what each slice says it holds, added as the slices are started.
    if (offset === 0 && total !== null) scope.estimatedTotal = (scope.estimatedTotal ?? 0) + total
    const records = []
    for (const incident of items) {
      const entries = await pd.all(`/incidents/${encodeURIComponent(String(incident['id']))}/log_entries`, new URLSearchParams({ time_zone: 'UTC' }), 'log_entries')
      records.push({ resource: 'incident' as const, incident, log_entries: entries })
    }
    await run.append(scope, records.map((r) => pagerdutyApiEnvelope(r)), records.length)
    if (!more || items.length === 0) return 'fits'
  }
}
