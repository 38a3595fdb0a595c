import type { Command } from 'commander'
import { writeFileSync } from 'node:fs'
import type { Config } from '../config/schema.ts'
import { quarterlyReport, REPORT_FORMATS, type ReportFormat } from '../reports/quarterly/index.ts'
import { lastCompleteQuarter } from '../reports/quarterly/period.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { fetchFromServer, viaServerOrDb } from './discover.ts'

interface QuarterlyFlags {
  quarter?: string
  team?: string
  tz?: string
  format: string
  out?: string
}

/** Ask the running `doraflow serve` (it holds the embedded data directory), or read ClickHouse ourselves; say which on stderr. */
async function produce(config: Config, q: { quarter: string; team?: string; tz?: string; format: ReportFormat }): Promise<string> {
  const params = new URLSearchParams({ quarter: q.quarter, format: q.format })
  if (q.team) params.set('team', q.team)
  if (q.tz) params.set('tz', q.tz)
  return viaServerOrDb(
    config,
    (server) => fetchFromServer(server, `/api/v1/reports/quarterly?${params}`),
    (db) => quarterlyReport(db, config, q),
  )
}

export function registerReport(program: Command): void {
  const report = program.command('report').description('reports for people: the quarterly engineering review')
  report
    .command('quarterly')
    .description('the quarterly engineering review: per team and service, the figures with tiers and change against the previous quarter, weekly trends, worst incidents, slowest changes, rollbacks and release-practice findings')
    .option('--quarter <YYYY-Qn>', 'the quarter, e.g. 2026-Q3 (default: the last complete quarter)')
    .option('--team <name>', 'only this team')
    .option('--tz <zone>', 'IANA timezone of the quarter boundaries and weeks (default: metrics.timezone)')
    .option('--format <format>', 'md | html | csv', 'md')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  doraflow report quarterly --quarter 2026-Q3 --format html --out q3.html   one self-contained page (prints well)
  doraflow report quarterly --quarter 2026-Q3 --team payments               Markdown for a wiki or a PR
  doraflow report quarterly --quarter 2026-Q3 --format csv > q3.csv         one line per scope and figure

While \`doraflow serve\` runs, the report is asked from it (GET /api/v1/reports/quarterly).`,
    )
    .action((opts: QuarterlyFlags) =>
      runAction(async () => {
        if (!(REPORT_FORMATS as readonly string[]).includes(opts.format)) throw new Error(`--format must be md, html or csv (got ${opts.format})`)
        const { config } = load(program.opts<GlobalOptions>())
        const tz = opts.tz ?? config.metrics.timezone
        // Default: the last complete quarter (the one a review is about).
        const quarter = opts.quarter ?? lastCompleteQuarter(tz)
        if (!/^\d{4}-?Q[1-4]$/i.test(quarter)) throw new Error(`--quarter: expected YYYY-Qn, e.g. 2026-Q3 (got ${quarter})`)
        const text = await produce(config, { quarter, team: opts.team, tz: opts.tz, format: opts.format as ReportFormat })
        if (opts.out) {
          writeFileSync(opts.out, text)
          process.stderr.write(`doraflow: wrote ${opts.out}\n`)
        } else process.stdout.write(text)
      }),
    )
}
