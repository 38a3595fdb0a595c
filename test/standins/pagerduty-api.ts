/**
 * A stand-in for PagerDuty's REST API v2, for the importer's tests: plain
 * node:http, records shaped like the documented examples in
 * ../shared/fixtures/api/pagerduty with a scenario's values, classic
 * `limit`/`offset`/`more` pagination with the 10,000-record offset cap (a 400
 * beyond it, as PagerDuty answers), `ratelimit-*` headers and injected 429s
 * (with `ratelimit-reset`) and 502s.
 */
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { resolve } from 'node:path'

const FIXTURES = resolve(import.meta.dirname, '../../../shared/fixtures/api/pagerduty')
const read = (f: string): any => JSON.parse(readFileSync(resolve(FIXTURES, f), 'utf8'))
const INCIDENT = read('incidents.list.json').incidents[0] as Record<string, any>
const ENTRY = read('incident_log_entries.list.json').log_entries[0] as Record<string, any>
const RESOLVE_ENTRY = read('resolve_log_entry.json') as Record<string, any>

export const PD_OFFSET_CAP = 10_000

export interface PLogEntry {
  id: string
  type: 'trigger_log_entry' | 'acknowledge_log_entry' | 'resolve_log_entry' | 'notify_log_entry' | 'annotate_log_entry' | 'escalate_log_entry' | 'reopen_log_entry'
  at: string
  agent?: string
}
export interface PIncident {
  id: string
  number: number
  title: string
  service: string
  serviceName?: string
  createdAt: string
  urgency: 'high' | 'low'
  priority?: string | null
  entries: PLogEntry[]
}

export type PdFault = { kind: 'rate-limited'; resetInSeconds: number } | { kind: 'bad-gateway' }

export interface PagerdutyStandin {
  url: string
  incidents: PIncident[]
  faults: { fault: PdFault; match?: (path: string) => boolean; times?: number }[]
  stats: { requests: number; faults: number; offsetRefusals: number; maxOffset: number }
  close(): Promise<void>
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers })
  res.end(text)
}

function incidentJson(i: PIncident, base: string): Record<string, any> {
  const resolved = [...i.entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)).reverse()
  const lastChange = resolved.find((e) => e.type !== 'notify_log_entry' && e.type !== 'annotate_log_entry')
  const isResolved = lastChange?.type === 'resolve_log_entry'
  return {
    ...INCIDENT,
    id: i.id,
    summary: `[#${i.number}] ${i.title}`,
    self: `${base}/incidents/${i.id}`,
    html_url: `https://acme.pagerduty.com/incidents/${i.id}`,
    incident_number: i.number,
    title: i.title,
    description: i.title,
    created_at: i.createdAt,
    updated_at: lastChange?.at ?? i.createdAt,
    status: isResolved ? 'resolved' : i.entries.some((e) => e.type === 'acknowledge_log_entry') ? 'acknowledged' : 'triggered',
    service: { ...INCIDENT['service'], id: i.service, summary: i.serviceName ?? `PD ${i.service}`, self: `${base}/services/${i.service}` },
    last_status_change_at: lastChange?.at ?? i.createdAt,
    resolved_at: isResolved ? lastChange!.at : null,
    urgency: i.urgency,
    priority: i.priority ? { id: 'P53ZZH5', type: 'priority_reference', summary: i.priority, self: `${base}/priorities/P53ZZH5` } : null,
  }
}

function entryJson(i: PIncident, e: PLogEntry, base: string): Record<string, any> {
  const template = e.type === 'resolve_log_entry' ? RESOLVE_ENTRY : ENTRY
  return {
    ...template,
    id: e.id,
    type: e.type,
    summary: `${e.type.replace('_log_entry', '')}d`,
    self: `${base}/log_entries/${e.id}?incident_id=${i.id}`,
    created_at: e.at,
    agent: { ...template['agent'], summary: e.agent ?? 'PD Service' },
    incident: { ...template['incident'], id: i.id, summary: i.title, self: `${base}/incidents/${i.id}` },
    service: { ...RESOLVE_ENTRY['service'], id: i.service, summary: i.serviceName ?? `PD ${i.service}` },
  }
}

/** `offsetCap`: PagerDuty's is 10,000; tests of the slicing lower it to keep the data small. */
export async function startPagerdutyStandin(opts: { token: string; rateLimit?: number; offsetCap?: number }): Promise<PagerdutyStandin> {
  const cap = opts.offsetCap ?? PD_OFFSET_CAP
  const self: PagerdutyStandin = { url: '', incidents: [], faults: [], stats: { requests: 0, faults: 0, offsetRefusals: 0, maxOffset: 0 }, close: async () => {} }
  const limit = opts.rateLimit ?? 960
  let remaining = limit

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    self.stats.requests++
    const base = `http://${req.headers.host}`
    const u = new URL(req.url ?? '/', base)
    const rl = () => ({ 'ratelimit-limit': String(limit), 'ratelimit-remaining': String(Math.max(0, remaining)), 'ratelimit-reset': '1' })
    if (req.headers.authorization !== `Token token=${opts.token}`) return send(res, 401, { error: { message: 'Authentication required', code: 2006 } })
    const rule = self.faults.find((f) => (f.times ?? 1) > 0 && (!f.match || f.match(u.pathname + u.search)))
    if (rule) {
      rule.times = (rule.times ?? 1) - 1
      self.stats.faults++
      if (rule.fault.kind === 'bad-gateway') {
        res.writeHead(502, { 'content-type': 'text/html' })
        return void res.end('<html><body>502 Bad Gateway</body></html>')
      }
      return send(res, 429, { error: { message: 'Rate Limit Exceeded', code: 2020 } }, { 'ratelimit-limit': String(limit), 'ratelimit-remaining': '0', 'ratelimit-reset': String(rule.fault.resetInSeconds) })
    }
    remaining--
    const pageLimit = Math.min(100, Math.max(1, Number(u.searchParams.get('limit') ?? 25) || 25))
    const offset = Math.max(0, Number(u.searchParams.get('offset') ?? 0) || 0)
    self.stats.maxOffset = Math.max(self.stats.maxOffset, offset)
    if (offset + pageLimit > cap) {
      self.stats.offsetRefusals++
      return send(res, 400, { error: { message: 'Invalid Input Provided', code: 2001, errors: [`Offset must be less than ${cap - pageLimit + 1}.`] } }, rl())
    }
    const page = <T>(key: string, items: T[]) =>
      send(res, 200, { [key]: items.slice(offset, offset + pageLimit), limit: pageLimit, offset, total: u.searchParams.get('total') === 'true' ? items.length : null, more: offset + pageLimit < items.length }, rl())

    if (u.pathname === '/incidents') {
      const since = u.searchParams.get('since')
      const until = u.searchParams.get('until')
      const services = u.searchParams.getAll('service_ids[]')
      const list = self.incidents
        .filter((i) => (!since || Date.parse(i.createdAt) >= Date.parse(since)) && (!until || Date.parse(i.createdAt) < Date.parse(until)) && (services.length === 0 || services.includes(i.service)))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.number - b.number)
      return page('incidents', list.map((i) => incidentJson(i, base)))
    }
    const entries = /^\/incidents\/([^/]+)\/log_entries$/.exec(u.pathname)
    if (entries) {
      const i = self.incidents.find((x) => x.id === entries[1])
      if (!i) return send(res, 404, { error: { message: 'Not Found', code: 2100 } }, rl())
      // Newest first, as PagerDuty lists them.
      return page('log_entries', [...i.entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).map((e) => entryJson(i, e, base)))
    }
    return send(res, 404, { error: { message: 'Not Found', code: 2100 } }, rl())
  }

  const server: Server = createServer(handle)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const addr = server.address()
  self.url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
  // The budget refills every second, as PagerDuty's per-minute window does in effect for a test.
  const refill = setInterval(() => (remaining = limit), 1000)
  refill.unref()
  self.close = () =>
    new Promise<void>((r) => {
      clearInterval(refill)
      server.close(() => r())
      server.closeAllConnections()
    })
  return self
}
