import type { Command } from 'commander'
import { computeMetrics, metricsQuerySchema, type MetricsAnswer } from '../queries/metrics.ts'
import { formatMetrics } from '../queries/format.ts'
import { formatReleaseTable } from '../queries/format-releases.ts'
import type { Config } from '../config/schema.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { fetchFromServer, viaServerOrDb } from './discover.ts'

interface MetricsOptions {
  from?: string
  to?: string
  tz?: string
  service?: string
  team?: string
  by?: string
  bucket?: string
  format: string
  releases?: boolean
}

/**
 * The embedded engine allows one process per data directory: while `serve`
 * runs, ask it over HTTP; otherwise open the data ourselves. Say which.
 */
async function answer(config: Config, query: Record<string, string>): Promise<MetricsAnswer> {
  return viaServerOrDb(
    config,
    async (server) => JSON.parse(await fetchFromServer(server, `/api/v1/metrics?${new URLSearchParams(query)}`)) as MetricsAnswer,
    (db) => {
      const parsed = metricsQuerySchema.safeParse(query)
      if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `--${String(i.path[0] ?? 'query')}: ${i.message}`).join('; '))
      return computeMetrics(db, config, parsed.data)
    },
  )
}

export function registerMetrics(program: Command): void {
  program
    .command('metrics')
    .description('print the DORA figures (deployment frequency, lead time, change failure rate, time to restore, recovery, rework) with tiers')
    .option('--from <date>', 'start, inclusive: a date (read in --tz) or an ISO instant (default: 90 days ago)')
    .option('--to <date>', 'end, exclusive (default: now)')
    .option('--tz <zone>', 'IANA timezone for dates and buckets (default: metrics.timezone)')
    .option('--service <name>', 'only this service')
    .option('--team <name>', 'only this team')
    .option('--by <group>', 'group rows by service | team | none | authorClass (bot, ai_assisted, human: lead time, share of changes, their deployments)', 'service')
    .option('--bucket <size>', 'one row per day | week | month | quarter (default: one row per group)')
    .option('--format <format>', 'table | json | csv', 'table')
    .option('--releases', 'the table shows the release figures instead (METRICS.md §12–§15: releases, kill switches, stale flags, recovery paths, freezes, canaries)')
    .addHelpText(
      'after',
      `
Examples:
  doraflow metrics --from 2026-07-01 --to 2026-10-01              Q3 per service
  doraflow metrics --by team --bucket month --tz Europe/Berlin    monthly trend per team
  doraflow metrics --service checkout --format json | jq .rows[0]
  doraflow metrics --by authorClass                                AI-assisted, bot and human changes side by side

The JSON is the same as GET /api/v1/metrics (definitions: METRICS.md).`,
    )
    .action((opts: MetricsOptions) =>
      runAction(async () => {
        if (!['table', 'json', 'csv'].includes(opts.format)) throw new Error(`--format must be table, json or csv (got ${opts.format})`)
        const { config } = load(program.opts<GlobalOptions>())
        const query: Record<string, string> = {}
        for (const k of ['from', 'to', 'tz', 'service', 'team', 'bucket'] as const) if (opts[k] !== undefined) query[k] = opts[k]!
        if (opts.by) query.groupBy = opts.by
        const result = await answer(config, query)
        process.stdout.write(opts.releases && opts.format === 'table' ? formatReleaseTable(result) : formatMetrics(result, opts.format as 'table' | 'json' | 'csv'))
      }),
    )
}
