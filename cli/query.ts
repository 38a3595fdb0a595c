import type { Command } from 'commander'
import type { Config } from '../config/schema.ts'
import { openDb } from '../server/open.ts'
import { formatReport, getReport, listReports, REPORT_FORMATS, ReportParamError, runReport, type RawParams, type ReportFormat, type ReportResult } from '../queries/library.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { findRunningServer } from './discover.ts'

interface QueryOptions {
  param: string[]
  format: string
  list?: boolean
}

/** `--param k=v`, repeatable; a repeated key makes a list (for Array(String) parameters). */
export function parseParamFlags(flags: readonly string[]): RawParams {
  const out: Record<string, string | string[]> = {}
  for (const f of flags) {
    const i = f.indexOf('=')
    if (i <= 0) throw new ReportParamError([{ parameter: f, message: `--param ${f}: expected NAME=VALUE` }])
    const k = f.slice(0, i)
    const v = f.slice(i + 1)
    const prev = out[k]
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v]
  }
  return out
}

function detailText(name: string): string {
  const r = getReport(name)
  if (!r) throw new Error(`no report named ${JSON.stringify(name)}; \`doraflow query --list\` lists them`)
  const out = [`${r.name}: ${r.title}`, '', r.description, '', 'Parameters (--param NAME=VALUE):']
  for (const p of r.params) out.push(`  ${p.name.padEnd(14)} ${p.type.padEnd(22)} ${p.default === null ? '(required)' : `default ${p.default}`}${p.values ? `; one of ${p.values.join(', ')}` : ''}\n  ${''.padEnd(14)} ${p.description}`)
  out.push('', 'Columns:')
  for (const c of r.columns) out.push(`  ${c.name.padEnd(32)} ${c.type.padEnd(28)} ${c.description}`)
  return `${out.join('\n')}\n`
}

function listText(): string {
  const reports = listReports()
  const w = Math.max(...reports.map((r) => r.name.length))
  const lines = reports.map((r) => {
    const params = r.params.filter((p) => !p.default?.startsWith('config:service')).map((p) => (p.default === null ? p.name : `[${p.name}]`))
    return `${r.name.padEnd(w)}  ${r.title}\n${''.padEnd(w)}  params: ${params.join(' ')}`
  })
  return `${lines.join('\n')}\n\nDetails: \`doraflow query NAME --list\`, or queries/README.md.\n`
}

/**
 * The embedded engine allows one process per data directory: while `serve`
 * runs, ask it (GET /api/v1/reports/:name); otherwise open ClickHouse directly.
 * Says which on stderr.
 */
async function answer(config: Config, name: string, params: RawParams): Promise<ReportResult> {
  const server = await findRunningServer(config)
  if (server) {
    process.stderr.write(`doraflow: asking the running doraflow at ${server.url}\n`)
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(params)) {
      if (v === undefined) continue
      if (Array.isArray(v)) for (const x of v) qs.append(k, x)
      else qs.append(k, String(v))
    }
    const res = await fetch(`${server.url}/api/v1/reports/${encodeURIComponent(name)}?${qs}`, { headers: server.headers })
    const body = (await res.json()) as ReportResult & { message?: string; issues?: { parameter: string; message: string }[] }
    if (res.status === 400 && body.issues) throw new ReportParamError(body.issues)
    if (!res.ok) throw new Error(body.message ?? `the server answered ${res.status}`)
    return body
  }
  process.stderr.write(`doraflow: no doraflow serve answering on port ${config.server.port}; reading ClickHouse (${config.clickhouse.kind}) directly\n`)
  const db = await openDb(config)
  try {
    return await runReport(db, name, params, { config })
  } finally {
    await db.close()
  }
}

export function registerQuery(program: Command): void {
  program
    .command('query')
    .description('run a named SQL report from queries/reports (incident, release-practice and lead-time analytics)')
    .argument('[name]', 'the report (see --list)')
    .option('-p, --param <name=value>', 'a report parameter; repeat it for several (a repeated name makes a list)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--format <format>', 'table | csv | json', 'table')
    .option('--list', 'list the reports (with NAME: its parameters and columns)')
    .addHelpText(
      'after',
      `
Examples:
  doraflow query --list
  doraflow query deployments_by_weekday --param from=2026-07-01 --param to=2026-10-01 --param teams=payments
  doraflow query incidents_by_priority --param from=2026-07-01 --format csv > mtta.csv
  doraflow query lead_time_slowest --param limit=10 --param services=checkout --param services=api-eu --format json

Dates are read in the report's tz (else metrics.timezone); from/to default to the last 90 days.
Every report, its parameters and columns: queries/README.md.`,
    )
    .action((name: string | undefined, opts: QueryOptions) =>
      runAction(async () => {
        if (opts.list) {
          process.stdout.write(name ? detailText(name) : listText())
          return
        }
        if (!name) throw new Error('which report? `doraflow query --list` lists them')
        if (!(REPORT_FORMATS as readonly string[]).includes(opts.format)) throw new Error(`--format must be table, csv or json (got ${opts.format})`)
        if (!getReport(name)) throw new Error(`no report named ${JSON.stringify(name)}; \`doraflow query --list\` lists them`)
        const params = parseParamFlags(opts.param)
        const { config } = load(program.opts<GlobalOptions>())
        try {
          const result = await answer(config, name, params)
          process.stdout.write(formatReport(result, opts.format as ReportFormat))
        } catch (e) {
          if (e instanceof ReportParamError) {
            process.stderr.write(`doraflow: ${e.issues.map((i) => `--param ${i.message}`).join('; ')}\n`)
            process.exit(2)
          }
          throw e
        }
      }),
    )
}
