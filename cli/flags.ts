import type { Command } from 'commander'
import type { Config } from '../config/schema.ts'
import { humanizeSeconds } from '../queries/format.ts'
import { flagsQuerySchema, listFlags, listReleases, releasesQuerySchema, type FlagView } from '../queries/releases.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { fetchFromServer, viaServerOrDb } from './discover.ts'

type Query = Record<string, string>
const defined = (o: Record<string, string | boolean | undefined>): Query =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'))
const problems = (issues: { path: PropertyKey[]; message: string }[]) => issues.map((i) => `--${String(i.path[0] ?? 'query')}: ${i.message}`).join('; ')

async function flagsAnswer(config: Config, q: Query) {
  return viaServerOrDb(
    config,
    async (server) => JSON.parse(await fetchFromServer(server, `/api/v1/flags?${new URLSearchParams(q)}`)) as Awaited<ReturnType<typeof listFlags>>,
    (db) => {
      const parsed = flagsQuerySchema.safeParse(q)
      if (!parsed.success) throw new Error(problems(parsed.error.issues))
      return listFlags(db, config, parsed.data)
    },
  )
}

async function releasesAnswer(config: Config, q: Query) {
  return viaServerOrDb(
    config,
    async (server) => JSON.parse(await fetchFromServer(server, `/api/v1/releases?${new URLSearchParams(q)}`)) as Awaited<ReturnType<typeof listReleases>>,
    (db) => {
      const parsed = releasesQuerySchema.safeParse(q)
      if (!parsed.success) throw new Error(problems(parsed.error.issues))
      return listReleases(db, parsed.data)
    },
  )
}

const pad = (rows: string[][]) => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n'
}

export function formatFlags(flags: FlagView[], staleDays: number): string {
  if (flags.length === 0) return 'no production flags\n'
  const rows = [['service', 'flag', 'env', 'provider', 'exposure', 'since', 'days', 'stale']]
  for (const f of flags) rows.push([f.service, f.flag, f.environment, f.provider, `${f.exposure} %`, f.since.slice(0, 10), String(f.daysAtExposure), f.stale ? `STALE (> ${staleDays} d at 100 %)` : ''])
  return pad(rows)
}

export function registerFlags(program: Command): void {
  program
    .command('flags')
    .description('feature flags in production: exposure, since when, and which are stale (METRICS.md §12)')
    .option('--at <time>', 'as of this instant (date or ISO date-time; default now)')
    .option('--service <name>', 'one service')
    .option('--team <name>', 'one team')
    .option('--stale', 'only the stale ones (100 % for more than metrics.staleFlagDays)')
    .option('--format <format>', 'table | json', 'table')
    .action((o: { at?: string; service?: string; team?: string; stale?: boolean; format: string }) =>
      runAction(async () => {
        if (o.format !== 'table' && o.format !== 'json') throw new Error(`--format must be table or json, got "${o.format}"`)
        const { config } = load(program.opts<GlobalOptions>())
        const a = await flagsAnswer(config, defined({ at: o.at, service: o.service, team: o.team, stale: o.stale ? 'true' : undefined }))
        process.stdout.write(o.format === 'json' ? `${JSON.stringify(a, null, 2)}\n` : formatFlags(a.flags, a.staleFlagDays))
      }),
    )

  program
    .command('releases')
    .description('flag releases (with how long they took to reach 100 %), kill switches and canary aborts of a period')
    .option('--from <date>', 'start (date or ISO date-time)')
    .option('--to <date>', 'end, exclusive')
    .option('--service <name>', 'one service')
    .option('--team <name>', 'one team')
    .option('--format <format>', 'table | json', 'table')
    .action((o: { from?: string; to?: string; service?: string; team?: string; format: string }) =>
      runAction(async () => {
        if (o.format !== 'table' && o.format !== 'json') throw new Error(`--format must be table or json, got "${o.format}"`)
        const { config } = load(program.opts<GlobalOptions>())
        const a = await releasesAnswer(config, defined({ from: o.from, to: o.to, service: o.service, team: o.team }))
        if (o.format === 'json') return void process.stdout.write(`${JSON.stringify(a, null, 2)}\n`)
        const out: string[] = []
        const releases = a.releases as { service: string; flag: string; releasedAt: string; exposure: number; fullReleaseAt: string | null; rolloutSeconds: number | null }[]
        out.push(`Releases (${releases.length})\n`)
        if (releases.length) out.push(pad([['service', 'flag', 'released', 'at', 'full release', 'rollout'], ...releases.map((r) => [r.service, r.flag, r.releasedAt, `${r.exposure} %`, r.fullReleaseAt ?? '—', humanizeSeconds(r.rolloutSeconds)])]))
        const kills = a.killSwitches as { service: string; flag: string; changedAt: string; incidentId: string; timeToKillSeconds: number }[]
        out.push(`\nKill switches (${kills.length})\n`)
        if (kills.length) out.push(pad([['service', 'flag', 'switched off', 'incident', 'time to kill'], ...kills.map((k) => [k.service, k.flag, k.changedAt, k.incidentId, humanizeSeconds(k.timeToKillSeconds)])]))
        const aborts = (a.rollouts as { service: string; id: string; abortedAt: string | null; maxWeight: number; canaryAbort: boolean }[]).filter((r) => r.canaryAbort)
        out.push(`\nCanary aborts (${aborts.length})\n`)
        if (aborts.length) out.push(pad([['service', 'rollout', 'aborted', 'blast radius'], ...aborts.map((r) => [r.service, r.id, r.abortedAt ?? '', `${r.maxWeight} %`])]))
        process.stdout.write(out.join(''))
      }),
    )
}
