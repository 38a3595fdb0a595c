/** What the log and ClickHouse say about the data: last delivery per source, dead letters, lag. */
import type { LogSnapshot } from '../log/embedded-inspect.ts'
import { check, type Check } from './check.ts'

/** A source with no delivery for longer than this is a warning: a changed secret or URL stops webhooks silently. */
const SILENT_DAYS = 7
/** By envelope kind (`doraflowsource`): what people call each. */
const SOURCE_NAMES: Record<string, string> = { github: 'GitHub', pagerduty: 'PagerDuty', generic: 'POST /events', cdevents: 'CDEvents', annotation: 'annotations' }

export interface DeadLetters {
  total: number
  byReason: Record<string, number>
  ids: Set<string>
}

export function deliveryChecks(snapshot: LogSnapshot | null, dead: DeadLetters | null, now: number): Check[] {
  if (!snapshot) return [check('deliveries', 'warn', 'no delivery yet: the log is empty', 'point the webhooks at doraflow (doraflow doctor --url https://YOUR-HOST checks they can reach it)')]
  return snapshot.last.map((d) => {
    const name = SOURCE_NAMES[d.source] ?? d.source
    const state = dead?.ids.has(d.id) ? 'dead-lettered' : d.offset <= snapshot.committed ? 'processed' : 'waiting to be processed'
    const days = (now - Date.parse(d.time)) / 86_400_000
    const line = `${name}: last delivery ${d.time} (${d.type}), ${state}`
    const data = { source: d.source, at: d.time, type: d.type, state }
    if (state === 'dead-lettered') return check(`deliveries.${d.source}`, 'warn', line, 'see GET /api/v1/dead-letters for the reason', data)
    if (days > SILENT_DAYS) return check(`deliveries.${d.source}`, 'warn', `${line} — nothing for ${Math.floor(days)} days`, `check the webhook's recent deliveries in ${name}: a changed secret or URL stops them silently`, data)
    return check(`deliveries.${d.source}`, 'ok', line, null, data)
  })
}

export function deadLetterCheck(dead: DeadLetters | null): Check {
  if (!dead) return check('dead_letters', 'skip', 'dead letters not read (ClickHouse not reachable)')
  if (dead.total === 0) return check('dead_letters', 'ok', 'no dead letters')
  const reasons = Object.entries(dead.byReason).sort((a, b) => b[1] - a[1])
  return check('dead_letters', 'warn', `${dead.total} dead letters: ${reasons.slice(0, 5).map(([r, n]) => `${n} × ${r}`).join('; ')}`, 'fix the cause, then `doraflow replay` (or POST /api/v1/replay) processes them again', { total: dead.total, byReason: dead.byReason })
}

export function lagCheck(lag: number | null): Check {
  if (lag === null) return check('processor_lag', 'skip', 'processor lag not known')
  if (lag === 0) return check('processor_lag', 'ok', 'processor lag: 0 (everything acknowledged is in ClickHouse)', null, { lag })
  return check('processor_lag', lag > 10_000 ? 'warn' : 'ok', `processor lag: ${lag} events behind the log`, lag > 10_000 ? 'the processor is behind: check its log for errors, or ClickHouse for slowness' : null, { lag })
}

/** By reason code (snake_case, counted over all of them by the query), and the ids of the newest for the per-source state. */
export const summarise = (dead: { total: number; byReason: Record<string, number>; deadLetters: { envelopeId: string }[] }): DeadLetters => ({
  total: dead.total,
  byReason: dead.byReason,
  ids: new Set(dead.deadLetters.map((r) => r.envelopeId)),
})
