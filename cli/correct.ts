import { userInfo } from 'node:os'
import type { Command } from 'commander'
import { correctionInputSchema } from '../sources/correction/schema.ts'
import { correctionEnvelope, correctionRecord } from '../sources/correction/envelope.ts'
import { correctionsQuerySchema, listCorrections, type CorrectionView } from '../queries/corrections.ts'
import { appendToLog, sendToServer } from './admin-write.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { fetchFromServer, findRunningServer, viaServerOrDb } from './discover.ts'

interface CorrectOptions {
  incident?: string
  deployment?: string
  none?: boolean
  failed?: string
  reason?: string
  by?: string
  at?: string
  id?: string
  list?: boolean
  format: string
}

/** The command's option for each field of the correction schema, to name it in errors. */
const OPTION: Record<string, string> = { incident: '--incident', deployment: '--deployment', failed: '--failed', reason: '--reason', by: '--by', at: '--at', id: '--id' }

/** The flags → the API's body (METRICS.md §18), or what is wrong with them. */
export function correctionFromFlags(o: CorrectOptions, defaultBy: string): unknown {
  if (o.none && o.deployment !== undefined) throw new Error('--none and --deployment exclude each other: --none says the incident caused no deployment\'s failure')
  if (o.none && o.incident === undefined) throw new Error('--none goes with --incident')
  if (o.failed !== undefined && o.failed !== 'true' && o.failed !== 'false') throw new Error(`--failed must be true or false (got ${o.failed})`)
  const day = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)
  const body: Record<string, unknown> = { by: o.by ?? defaultBy, reason: o.reason }
  if (o.incident !== undefined) {
    body.incident = o.incident
    body.deployment = o.none ? null : o.deployment
  } else if (o.deployment !== undefined) body.deployment = o.deployment
  if (o.failed !== undefined) body.failed = o.failed === 'true'
  if (o.at !== undefined) body.at = day(o.at)
  if (o.id !== undefined) body.id = o.id
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined))
}

function describe(c: CorrectionView): string {
  const what = c.incident !== null ? (c.deployment === null ? `incident ${c.incident} caused no deployment's failure` : `incident ${c.incident} → deployment ${c.deployment}`) : `deployment ${c.deployment} ${c.failed ? 'failed' : 'not failed'}`
  return `${c.at}  ${what}  — ${c.reason} (${c.by})${c.effective ? '' : '  [replaced by a later correction]'}  [${c.id}]`
}

export function registerCorrect(program: Command): void {
  program
    .command('correct')
    .description('overrule the attribution rules, on the record (METRICS.md §18): an incident caused no failure, or one deployment\'s; a deployment failed or not')
    .option('--incident <id>', 'the incident record id (as GET /api/v1/incidents shows it)')
    .option('--deployment <id>', 'with --incident: the deployment it caused; alone: the deployment whose failure you set (with --failed)')
    .option('--none', 'with --incident: it caused no deployment\'s failure (a cloud outage)')
    .option('--failed <bool>', 'with --deployment alone: true or false, whatever the rules derive')
    .option('--reason <text>', 'why (required: it is shown beside every record it changes)')
    .option('--by <name>', 'who decided (default: your login name)')
    .option('--at <time>', 'when it was decided (default now); of two corrections of one target the latest wins')
    .option('--id <id>', 'your own id, so running the command twice stores it once')
    .option('--list', 'list the corrections on record instead (filter with --incident / --deployment)')
    .option('--format <format>', 'with --list: table or json', 'table')
    .addHelpText(
      'after',
      `
A correction goes through the event log like a webhook, so it survives a replay, and it
applies even when posted before the events it names. With \`doraflow serve\` running it is
sent there (an admin token from api.adminTokens if one is set); without, it is appended to
the log and applies once doraflow processes it.

Examples:
  doraflow correct --incident pagerduty:Q1ABC --none --reason "AWS us-east-1 outage"
  doraflow correct --incident github:acme/checkout#42 --deployment github:acme/checkout#9001 --reason "the flag flip in 9001"
  doraflow correct --deployment github:acme/checkout#9002 --failed false --reason "the page was a false alarm"
  doraflow correct --list --incident pagerduty:Q1ABC
`,
    )
    .action((o: CorrectOptions) =>
      runAction(async () => {
        const { config } = load(program.opts<GlobalOptions>())
        if (o.list) {
          if (o.format !== 'table' && o.format !== 'json') throw new Error(`--format must be table or json, got "${o.format}"`)
          const filters = Object.fromEntries(Object.entries({ incident: o.incident, deployment: o.deployment }).filter((e): e is [string, string] => e[1] !== undefined))
          const q = correctionsQuerySchema.parse(filters)
          const rows = await viaServerOrDb(
            config,
            async (server) => (JSON.parse(await fetchFromServer(server, `/api/v1/corrections?${new URLSearchParams(filters)}`)) as { corrections: CorrectionView[] }).corrections,
            (db) => listCorrections(db, q),
          )
          if (o.format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
          else process.stdout.write(rows.length ? `${rows.map(describe).join('\n')}\n` : 'no corrections on record\n')
          return
        }
        const parsed = correctionInputSchema.safeParse(correctionFromFlags(o, userInfo().username))
        if (!parsed.success) throw new Error(`invalid correction: ${parsed.error.issues.map((i) => `${OPTION[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; ')}`)
        const rec = correctionRecord(parsed.data)
        const server = await findRunningServer(config)
        if (server) {
          // The input as validated, with the id and time fixed here: the server validates it again.
          const answer = await sendToServer(server, config, 'POST', '/api/v1/corrections', { ...parsed.data, id: rec.id, at: rec.at })
          const unknown = Object.entries(answer.correction?.known ?? {}).filter(([, v]) => v === false).map(([k]) => k)
          const note = unknown.length ? ` (no ${unknown.join(' or ')} with that id yet: a typo, or events not processed yet)` : ''
          process.stdout.write(`${answer.duplicate ? 'already there' : 'recorded'}: ${rec.id} (sent to the running doraflow at ${server.url})${note}\n`)
        } else {
          const { duplicate } = await appendToLog(config, correctionEnvelope(rec))
          process.stdout.write(`${duplicate ? 'already in the log' : 'recorded'}: ${rec.id} (appended to the event log; applies once \`doraflow serve\` processes it)\n`)
        }
      }),
    )
}
