import type { Command } from 'commander'
import { annotationIdSchema, annotationInputSchema } from '../sources/annotation/schema.ts'
import { annotationAdded, annotationEnvelope, annotationRemoved } from '../sources/annotation/envelope.ts'
import { annotationsQuerySchema, listAnnotations, type AnnotationView } from '../queries/annotations.ts'
import { appendToLog, sendToServer } from './admin-write.ts'
import { fetchFromServer, findRunningServer, viaServerOrDb } from './discover.ts'
import { load, runAction, type GlobalOptions } from './context.ts'

/** The command's option for each field of the annotation schema, to name it in errors. */
const OPTION: Record<string, string> = { text: 'text', at: '--at', endAt: '--end', service: '--service', team: '--team', tags: '--tag', id: '--id' }

function printList(rows: AnnotationView[]): void {
  if (rows.length === 0) process.stdout.write('no annotations in the period\n')
  for (const a of rows) {
    const when = a.endAt ? `${a.at} → ${a.endAt}` : a.at
    const about = [a.service && `service ${a.service}`, a.team && `team ${a.team}`, a.tags.length > 0 && `#${a.tags.join(' #')}`].filter(Boolean).join(', ')
    process.stdout.write(`${when}  ${a.text}${about ? `  (${about})` : ''}  [${a.id}]\n`)
  }
}

export interface AddOptions {
  at?: string
  end?: string
  service?: string
  team?: string
  tag?: string[]
  id?: string
}

/** `annotate add` (and `freeze`, which is an annotation tagged `freeze`): to the running serve, or into the log. */
export async function addAnnotation(program: Command, text: string, o: AddOptions): Promise<void> {
  const { config } = load(program.opts<GlobalOptions>())
  const day = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s)
  const input = { text, at: day(o.at), endAt: day(o.end), service: o.service, team: o.team, tags: o.tag, id: o.id }
  const parsed = annotationInputSchema.safeParse(Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)))
  if (!parsed.success) throw new Error(`invalid annotation: ${parsed.error.issues.map((i) => `${OPTION[String(i.path[0])] ?? 'text'}: ${i.message}`).join('; ')}`)
  const rec = annotationAdded(parsed.data)
  if ('problem' in rec) throw new Error(`invalid annotation: ${rec.problem.replace(/^endAt/, '--end')}`)
  const server = await findRunningServer(config)
  if (server) {
    // The input as validated, with the id and time fixed here: the server validates it again.
    const answer = await sendToServer(server, config, 'POST', '/api/v1/annotations', { ...parsed.data, id: rec.id, at: rec.at })
    process.stdout.write(`${answer.duplicate ? 'already there' : 'added'}: ${rec.id} (sent to the running doraflow at ${server.url})\n`)
  } else {
    const { duplicate } = await appendToLog(config, annotationEnvelope(rec))
    process.stdout.write(`${duplicate ? 'already in the log' : 'added'}: ${rec.id} (appended to the event log; shows once \`doraflow serve\` processes it)\n`)
  }
}

export function registerAnnotate(program: Command): void {
  const cmd = program
    .command('annotate')
    .description('pin notes on the timeline (a code freeze, a CI migration): shown on the Grafana dashboards and in the API')
    .addHelpText(
      'after',
      `
An annotation goes through the event log like a webhook, so it survives a replay.
With \`doraflow serve\` running it is sent there (an admin token from api.adminTokens if
one is set); without, it is appended to the log and shows once doraflow processes it.

Examples:
  doraflow annotate add "summer code freeze" --at 2026-07-20 --end 2026-07-31 --tag freeze
  doraflow annotate add "checkout moved to the new CI" --service checkout
  doraflow annotate list --from 2026-07-01 --service checkout
  doraflow annotate remove 3f2a…          (the id that add and list print)
`,
    )

  cmd
    .command('add <text>')
    .description('add an annotation (a point in time, or a period with --end)')
    .option('--at <time>', 'when (ISO date-time, or a date: midnight UTC); default now')
    .option('--end <time>', 'end of a period (a freeze, a migration)')
    .option('--service <name>', 'the service it is about (default: everyone)')
    .option('--team <name>', 'the team it is about')
    .option('--tag <tag...>', 'tags, e.g. --tag freeze release')
    .option('--id <id>', 'your own id, so running the command twice stores it once')
    .action((text: string, o: AddOptions) => runAction(() => addAnnotation(program, text, o)))

  cmd
    .command('remove <id>')
    .description('take an annotation off the timeline')
    .action((id: string) =>
      runAction(async () => {
        const { config } = load(program.opts<GlobalOptions>())
        const valid = annotationIdSchema.safeParse(id)
        if (!valid.success) throw new Error(`invalid id: ${valid.error.issues[0]?.message ?? 'invalid'} (the id that \`annotate add\` or \`annotate list\` printed)`)
        const server = await findRunningServer(config)
        if (server) {
          const answer = await sendToServer(server, config, 'DELETE', `/api/v1/annotations/${encodeURIComponent(id)}`)
          const note = answer.annotation?.onTimeline === false ? ' (it was not on the timeline: a wrong id, or one added a moment ago)' : ''
          process.stdout.write(`removed: ${id}${note}\n`)
        } else {
          await appendToLog(config, annotationEnvelope(annotationRemoved(id)))
          process.stdout.write(`removed: ${id} (appended to the event log; applies once \`doraflow serve\` processes it)\n`)
        }
      }),
    )

  cmd
    .command('list')
    .description('list the annotations of a period (a service filter keeps those about no service)')
    .option('--from <date>', 'start (date or ISO date-time); default: all')
    .option('--to <date>', 'end (exclusive)')
    .option('--service <name>', 'one service')
    .option('--team <name>', 'one team')
    .option('--tag <tag>', 'one tag')
    .option('--format <format>', 'table or json', 'table')
    .action((o: { from?: string; to?: string; service?: string; team?: string; tag?: string; format: string }) =>
      runAction(async () => {
        const { config } = load(program.opts<GlobalOptions>())
        if (o.format !== 'table' && o.format !== 'json') throw new Error(`--format must be table or json, got "${o.format}"`)
        const { format, ...filters } = o
        const q = annotationsQuerySchema.safeParse(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)))
        if (!q.success) throw new Error(q.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '))
        const rows = await viaServerOrDb(
          config,
          async (server) => (JSON.parse(await fetchFromServer(server, `/api/v1/annotations?${new URLSearchParams(Object.entries(filters).filter((e): e is [string, string] => e[1] !== undefined))}`)) as { annotations: AnnotationView[] }).annotations,
          (db) => listAnnotations(db, q.data),
        )
        if (format === 'json') process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`)
        else printList(rows)
      }),
    )
}
