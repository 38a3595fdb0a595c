import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { DateTime } from 'luxon'
import type { Db } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import { humanizeSeconds } from './format.ts'
import { DEFAULT_PERIOD_DAYS, canonicalZone, chInstant, parseInstant } from './periods.ts'
import { csvField } from './csv.ts'

/**
 * The report library: named, parameterized SQL in queries/reports/*.sql, one
 * statement per file, runnable as it is with
 * `clickhouse-client --param_from='2026-07-01 00:00:00' …` against a doraflow
 * database. Each file opens with a header the registry parses:
 *
 *   -- @report <name>                         (= the file name)
 *   -- @title <one line>
 *   -- @description <one line>
 *   -- @param <name> <ClickHouse type> [= <default>] [[a|b|c]] : <description>
 *   -- @column <name> <ClickHouse type> : <description>
 *
 * Defaults: `now`, `-90d` (midnight in tz 90 days before today, as the metrics
 * answer), `[]`, a literal, or `config:timezone` / `config:service_names` /
 * `config:service_tzs` (filled from the configuration: the services'
 * timezones live in config, not in tables). A parameter without a default is
 * required. Values are always bound as server-side parameters.
 */

export const REPORTS_DIR = join(import.meta.dirname, 'reports')

export type ParamKind = 'datetime' | 'string' | 'integer' | 'number' | 'strings'

export interface ReportParam {
  name: string
  /** The ClickHouse type as written in the SQL, e.g. `DateTime64(3, 'UTC')`. */
  type: string
  kind: ParamKind
  /** As written in the header; null: required. */
  default: string | null
  /** Allowed values (enums), or null. */
  values: string[] | null
  description: string
}

export interface ReportColumn {
  name: string
  type: string
  description: string
}

export interface Report {
  name: string
  title: string
  description: string
  file: string
  /** The whole file (header included): what clickhouse-client runs. */
  sql: string
  /** The statement without the header comment block. */
  body: string
  params: ReportParam[]
  columns: ReportColumn[]
}

export type ParamValue = string | number | readonly string[]
export type RawParams = Record<string, ParamValue | undefined>

export interface ReportResult {
  report: string
  title: string
  /** The values the query ran with (datetimes as ISO instants). */
  params: Record<string, unknown>
  columns: ReportColumn[]
  rows: Record<string, unknown>[]
}

/** A parameter the caller got wrong: the HTTP layer answers 400, the CLI exits 2. */
export class ReportParamError extends Error {
  constructor(readonly issues: { parameter: string; message: string }[]) {
    super(issues.map((i) => i.message).join('; '))
    this.name = 'ReportParamError'
  }
}

export class UnknownReportError extends Error {
  constructor(readonly report: string) {
    super(`no report named ${JSON.stringify(report)}; \`doraflow query --list\` lists them`)
    this.name = 'UnknownReportError'
  }
}

// ---------------------------------------------------------------- registry

function kindOf(type: string, where: string): ParamKind {
  if (/^DateTime64\(3(, 'UTC')?\)$/.test(type)) return 'datetime'
  if (type === 'String') return 'string'
  if (/^U?Int(8|16|32|64)$/.test(type)) return 'integer'
  if (/^Float(32|64)$/.test(type)) return 'number'
  if (type === 'Array(String)') return 'strings'
  throw new Error(`${where}: unsupported parameter type ${type}`)
}

const PARAM_RE = /^(\w+)\s+(.+?)(?:\s*=\s*(\S+))?(?:\s*\[([^\]]+)\])?\s*:\s(.*)$/
const COLUMN_RE = /^(\w+)\s+(.+?)\s*:\s(.*)$/

/** Parses one report file; throws on a malformed header (a bug in the file, caught by the tests). */
export function parseReport(sql: string, file: string): Report {
  const where = `queries/reports/${basename(file)}`
  const meta: Record<string, string> = {}
  const params: ReportParam[] = []
  const columns: ReportColumn[] = []
  const lines = sql.split('\n')
  let i = 0
  for (; i < lines.length; i++) {
    const line = lines[i]!
    if (!line.startsWith('--')) break
    const m = /^--\s*@(\w+)\s+(.*)$/.exec(line)
    if (!m) continue
    const [, tag, rest] = m as unknown as [string, string, string]
    if (tag === 'param') {
      const p = PARAM_RE.exec(rest)
      if (!p) throw new Error(`${where}: bad @param line: ${line}`)
      params.push({
        name: p[1]!,
        type: p[2]!,
        kind: kindOf(p[2]!, where),
        default: p[3] ?? null,
        values: p[4] ? p[4].split('|').map((s) => s.trim()) : null,
        description: p[5]!.trim(),
      })
    } else if (tag === 'column') {
      const c = COLUMN_RE.exec(rest)
      if (!c) throw new Error(`${where}: bad @column line: ${line}`)
      columns.push({ name: c[1]!, type: c[2]!, description: c[3]!.trim() })
    } else meta[tag] = rest.trim()
  }
  const name = basename(file, '.sql')
  if (meta.report !== name) throw new Error(`${where}: @report must be ${name}`)
  if (!meta.title || !meta.description) throw new Error(`${where}: @title and @description are required`)
  return { name, title: meta.title, description: meta.description, file, sql, body: lines.slice(i).join('\n').trim(), params, columns }
}

let cache: Map<string, Report> | null = null

function registry(): Map<string, Report> {
  if (!cache) {
    const files = readdirSync(REPORTS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort()
    cache = new Map(files.map((f) => [basename(f, '.sql'), parseReport(readFileSync(join(REPORTS_DIR, f), 'utf8'), join(REPORTS_DIR, f))]))
  }
  return cache
}

export function listReports(): Report[] {
  return [...registry().values()]
}

export function getReport(name: string): Report | undefined {
  return registry().get(name)
}

/** Every `{name:Type}` the statement binds, in order of first use. */
export function boundParams(sql: string): { name: string; type: string }[] {
  const seen = new Map<string, string>()
  // A type may nest parentheses one level deep: DateTime64(3, 'UTC'), Array(String).
  for (const m of sql.matchAll(/\{(\w+):([A-Za-z0-9_]+(?:\([^()]*(?:\([^()]*\))?[^()]*\))?)\}/g)) {
    if (!seen.has(m[1]!)) seen.set(m[1]!, m[2]!)
  }
  return [...seen].map(([name, type]) => ({ name, type }))
}

// ---------------------------------------------------------------- parameters

export interface ResolveContext {
  config?: Config
  /** Epoch ms; for tests. */
  now?: number
}

function configDefault(token: string, ctx: ResolveContext): ParamValue {
  const services = ctx.config?.services ?? []
  switch (token) {
    case 'config:timezone':
      return ctx.config?.metrics.timezone ?? 'UTC'
    case 'config:service_names':
      return services.map((s) => s.name)
    case 'config:service_tzs':
      return services.map((s) => s.timezone)
    default:
      throw new Error(`unknown default ${token}`)
  }
}

function asList(v: ParamValue): string[] {
  if (typeof v === 'number') return [String(v)]
  if (typeof v !== 'string') return [...v]
  const s = v.trim()
  if (s === '' || s === '[]') return []
  if (s.startsWith('[')) {
    const parsed: unknown = JSON.parse(s)
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error('not a JSON array of strings')
    return parsed
  }
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '')
}

function one(v: ParamValue): string {
  if (typeof v === 'number') return String(v)
  if (typeof v === 'string') return v
  return v[v.length - 1] ?? ''
}

/**
 * Validates and converts the caller's values (strings from a URL or the CLI,
 * or typed values from code) into server-side parameter values, filling
 * defaults. Datetimes: a date or a date-time without offset is read in the
 * report's `tz` (or the configured timezone). Throws ReportParamError.
 */
export function resolveParams(report: Report, raw: RawParams, ctx: ResolveContext = {}): { bind: Record<string, unknown>; echo: Record<string, unknown> } {
  const issues: { parameter: string; message: string }[] = []
  const known = new Set(report.params.map((p) => p.name))
  for (const k of Object.keys(raw)) {
    if (raw[k] !== undefined && !known.has(k)) {
      issues.push({ parameter: k, message: `${k}: ${report.name} has no such parameter (it takes ${[...known].join(', ') || 'none'})` })
    }
  }
  const now = ctx.now ?? Date.now()
  const given = (name: string): ParamValue | undefined => {
    const v = raw[name]
    const p = report.params.find((x) => x.name === name)
    // '' (e.g. `?tz=`) means "not given", except for a free-form string where '' is a value
    return v === '' && !(p?.kind === 'string' && p.values === null && p.name !== 'tz') ? undefined : v
  }

  // The timezone first: datetimes without an offset are read in it.
  let tz = canonicalZone(ctx.config?.metrics.timezone ?? 'UTC') ?? 'UTC'
  const tzParam = report.params.find((p) => p.name === 'tz')
  const bind: Record<string, unknown> = {}
  const echo: Record<string, unknown> = {}
  for (const p of report.params) {
    let v = given(p.name)
    if (v === undefined) {
      if (p.default === null) {
        issues.push({ parameter: p.name, message: `${p.name}: required (${p.type})` })
        continue
      }
      v = p.default.startsWith('config:') ? configDefault(p.default, ctx) : p.default
      if (p.default === 'now' || p.default === '-90d') {
        // resolved below, once tz is known
        echo[p.name] = p.default
        continue
      }
    }
    try {
      switch (p.kind) {
        case 'string': {
          const s = one(v)
          if (s.length > 512) throw new Error('longer than 512 characters')
          if (p.values && !p.values.includes(s)) throw new Error(`must be one of ${p.values.join(', ')} (got ${JSON.stringify(s)})`)
          if (p.name === 'tz' || p.name.endsWith('_tz')) {
            const c = canonicalZone(s)
            if (c === null) throw new Error(`not an IANA timezone (e.g. UTC, Europe/Berlin): ${JSON.stringify(s)}`)
            bind[p.name] = echo[p.name] = c
            if (p === tzParam) tz = c
          } else bind[p.name] = echo[p.name] = s
          break
        }
        case 'strings': {
          const xs = asList(v)
          if (xs.length > 1000 || xs.some((x) => x.length > 512)) throw new Error('too many or too long values')
          if (p.name.endsWith('_tzs')) {
            bind[p.name] = echo[p.name] = xs.map((x) => {
              const c = canonicalZone(x)
              if (c === null) throw new Error(`not an IANA timezone: ${JSON.stringify(x)}`)
              return c
            })
          } else bind[p.name] = echo[p.name] = xs
          break
        }
        case 'integer': {
          const s = one(v).trim()
          const unsigned = p.type.startsWith('U')
          if (!(unsigned ? /^\d+$/ : /^-?\d+$/).test(s)) throw new Error(`must be ${unsigned ? 'a non-negative' : 'an'} integer (got ${JSON.stringify(s)})`)
          const n = Number(s)
          if (!Number.isSafeInteger(n) || (p.type === 'UInt32' && n > 4294967295)) throw new Error(`out of range for ${p.type}`)
          bind[p.name] = echo[p.name] = n
          break
        }
        case 'number': {
          const n = Number(one(v))
          if (!Number.isFinite(n)) throw new Error(`must be a number (got ${JSON.stringify(one(v))})`)
          bind[p.name] = echo[p.name] = n
          break
        }
        case 'datetime':
          echo[p.name] = one(v) // parsed below, once tz is known
          break
      }
    } catch (e) {
      issues.push({ parameter: p.name, message: `${p.name}: ${(e as Error).message}` })
    }
  }

  // Datetimes, in tz. Defaults as the metrics answer: to = now, from = midnight 90 days before to's day.
  const times = new Map<string, number>()
  for (const p of report.params.filter((x) => x.kind === 'datetime' && echo[x.name] !== undefined && echo[x.name] !== '-90d')) {
    const s = String(echo[p.name])
    const ms = s === 'now' ? now : parseInstant(s, tz)
    if (ms === null) issues.push({ parameter: p.name, message: `${p.name}: not a date or ISO date-time (e.g. 2026-07-01 or 2026-07-01T00:00:00Z): ${JSON.stringify(s)}` })
    else times.set(p.name, ms)
  }
  for (const p of report.params.filter((x) => x.kind === 'datetime' && echo[x.name] === '-90d')) {
    const anchor = times.get('to') ?? now
    times.set(p.name, DateTime.fromMillis(anchor, { zone: tz }).minus({ days: DEFAULT_PERIOD_DAYS }).startOf('day').toMillis())
  }
  for (const [name, ms] of times) {
    bind[name] = chInstant(ms)
    echo[name] = new Date(ms).toISOString()
  }
  const from = times.get('from')
  const to = times.get('to')
  if (from !== undefined && to !== undefined && from >= to) {
    issues.push({ parameter: 'from', message: `from: must be before to (${new Date(from).toISOString()} >= ${new Date(to).toISOString()})` })
  }
  if (issues.length > 0) throw new ReportParamError(issues)
  return { bind, echo }
}

// ---------------------------------------------------------------- running

const isDateTime = (type: string) => /^(Nullable\()?DateTime64/.test(type)
const isNumeric = (type: string) => /^(Nullable\()?(U?Int|Float)\d+\)?$/.test(type)

/** ClickHouse JSON → plain values: 64-bit integers (quoted by the server) as numbers, datetimes as ISO instants in UTC. */
function normalize(row: Record<string, unknown>, columns: ReportColumn[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const c of columns) {
    const v = row[c.name]
    if (v === null || v === undefined) out[c.name] = null
    else if (isDateTime(c.type)) out[c.name] = new Date(`${String(v).replace(' ', 'T')}Z`).toISOString()
    else if (isNumeric(c.type)) out[c.name] = Number(v)
    else out[c.name] = v
  }
  return out
}

/**
 * Runs a report with validated parameters. Throws UnknownReportError,
 * ReportParamError (caller's fault) or DbError (ClickHouse).
 */
export async function runReport(db: Db, name: string, raw: RawParams = {}, ctx: ResolveContext = {}): Promise<ReportResult> {
  const report = getReport(name)
  if (!report) throw new UnknownReportError(name)
  const { bind, echo } = resolveParams(report, raw, ctx)
  const rows = await db.query<Record<string, unknown>>(report.body, bind)
  return { report: report.name, title: report.title, params: echo, columns: report.columns, rows: rows.map((r) => normalize(r, report.columns)) }
}

// ---------------------------------------------------------------- formats

export const REPORT_FORMATS = ['table', 'csv', 'json'] as const
export type ReportFormat = (typeof REPORT_FORMATS)[number]

/** For people: seconds humanized, rates as percentages, instants to the minute. */
function cell(v: unknown, c: ReportColumn): string {
  if (v === null || v === undefined) return '-'
  if (Array.isArray(v)) return v.join(' ')
  if (typeof v === 'number' && c.name.endsWith('_seconds')) return humanizeSeconds(v)
  if (typeof v === 'number' && /(_rate|_share|^share\w*)$/.test(c.name)) return `${(v * 100).toFixed(1)}%`
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(2)
  if (typeof v === 'string' && isDateTime(c.type)) return v.replace('T', ' ').replace(/:\d\d\.\d+Z$/, 'Z')
  return String(v)
}

export function formatReport(r: ReportResult, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(r, null, 2)}\n`
  const cols = r.columns
  if (format === 'csv') return [cols.map((c) => csvField(c.name)).join(','), ...r.rows.map((row) => cols.map((c) => csvField(row[c.name])).join(','))].join('\n') + '\n'
  const head = `${r.title} (${r.report})  ${Object.entries(r.params)
    .filter(([k, v]) => !(Array.isArray(v) && v.length === 0) && !k.startsWith('service_'))
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ')}`
  if (r.rows.length === 0) return `${head}\n(no rows)\n`
  const right = cols.map((c) => isNumeric(c.type))
  const cells = r.rows.map((row) => cols.map((c) => cell(row[c.name], c)))
  const widths = cols.map((c, i) => Math.min(60, Math.max(c.name.length, ...cells.map((x) => x[i]!.length))))
  const fit = (s: string, i: number) => {
    const w = widths[i]!
    const t = s.length > w ? `${s.slice(0, w - 1)}…` : s
    return right[i] ? t.padStart(w) : t.padEnd(w)
  }
  const line = (xs: string[]) => xs.map(fit).join('  ').trimEnd()
  return [head, line(cols.map((c) => c.name.toUpperCase())), ...cells.map(line)].join('\n') + '\n'
}

// ---------------------------------------------------------------- docs

/** queries/README.md, generated from the registry (`npm run docs:queries`). */
export function renderReadme(reports: Report[] = listReports()): string {
  const out: string[] = []
  out.push('# SQL reports')
  out.push('')
  out.push('<!-- Generated from the headers of queries/reports/*.sql by `npm run docs:queries`; edit the .sql files, not this page. -->')
  out.push('')
  out.push('Named, parameterized reports over the doraflow tables (definitions: `METRICS.md`). Each file is one')
  out.push('statement with server-side parameters, runnable as it is:')
  out.push('')
  out.push('```sh')
  out.push('doraflow query --list')
  out.push('doraflow query deployments_by_weekday --param from=2026-07-01 --param to=2026-10-01 --param teams=payments --format table')
  out.push("curl 'http://localhost:8080/api/v1/reports/incidents_by_priority?from=2026-07-01&to=2026-10-01'")
  out.push('clickhouse-client --database doraflow --param_from="2026-07-01 00:00:00" --param_to="2026-10-01 00:00:00" \\')
  out.push("  --param_group_by=service --param_services=\"[]\" --param_teams=\"[]\" --queries-file queries/reports/incidents_summary.sql")
  out.push('```')
  out.push('')
  out.push('Conventions:')
  out.push('')
  out.push('- `from` / `to`: the half-open period `[from, to)`. Through doraflow they take a date or an ISO instant (a date or a')
  out.push("  date-time without offset is read in `tz`, else in `metrics.timezone`); with clickhouse-client, a UTC `'YYYY-MM-DD hh:mm:ss'`.")
  out.push('  Defaults: `to` = now, `from` = midnight 90 days before.')
  out.push('- `services` / `teams`: `Array(String)`, empty = all (`--param services=checkout,api-eu`, `?services=a&services=b`,')
  out.push('  or a JSON array). The same filter lines as `queries/metrics/*.sql`.')
  out.push("- `group_by`: `service` | `team` | `none`, as `GET /api/v1/metrics`; `service` is `''` unless grouped by service,")
  out.push("  `team` is `''` with `none`.")
  out.push("- Service timezones: the weekday/hour reports read each service's time in its own timezone. Timezones live in the")
  out.push('  configuration, not in the tables, so they are parameters: `service_names` and `service_tzs` (same order), which')
  out.push('  doraflow fills from `services[].timezone`; services not listed use `tz`. With clickhouse-client pass them yourself,')
  out.push("  e.g. `--param_service_names=\"['checkout']\" --param_service_tzs=\"['Europe/Berlin']\" --param_tz=UTC`.")
  out.push('  This uses `toString(t, <per-row timezone>)`, which needs ClickHouse 23.9 or newer.')
  out.push('- Durations are seconds (`*_seconds`), rates are fractions (`*_rate`, `*_share`); quantiles are')
  out.push("  `quantileExactInclusive` (numpy's linear), as in the metrics answer. Datetimes are `DateTime64(3, 'UTC')`.")
  out.push('- One source of truth: figures that the metrics answer also has (`dora_summary`, `dora_trend`) use the same')
  out.push('  definitions as `queries/metrics/*.sql`, and test/sql-reports checks that they agree with `GET /api/v1/metrics`.')
  out.push('  The Grafana dashboards (`dashboards/`) are generated from these files.')
  out.push('')
  out.push('| report | what |')
  out.push('| --- | --- |')
  for (const r of reports) out.push(`| [\`${r.name}\`](#${r.name}) | ${r.title} |`)
  out.push('')
  for (const r of reports) {
    out.push(`## ${r.name}`)
    out.push('')
    out.push(`**${r.title}.** ${r.description}`)
    out.push('')
    out.push(`File: [\`reports/${r.name}.sql\`](reports/${r.name}.sql)`)
    out.push('')
    out.push('| parameter | type | default | meaning |')
    out.push('| --- | --- | --- | --- |')
    for (const p of r.params) {
      const def = p.default === null ? '(required)' : `\`${p.default}\``
      const vals = p.values ? ` One of: ${p.values.map((v) => `\`${v}\``).join(', ')}.` : ''
      out.push(`| \`${p.name}\` | \`${p.type}\` | ${def} | ${p.description}.${vals} |`)
    }
    out.push('')
    out.push('| column | type | meaning |')
    out.push('| --- | --- | --- |')
    for (const c of r.columns) out.push(`| \`${c.name}\` | \`${c.type}\` | ${c.description.replaceAll('|', '\\|')} |`)
    out.push('')
  }
  return out.join('\n')
}
