/**
 * `doraflow import github|pagerduty|gitlab`: history from the sources' REST APIs into
 * the event log (METRICS.md §10). With a doraflow serve running, the import
 * runs there (POST /api/v1/imports, followed with GET); otherwise in this
 * process, appending to the log the config names. It says which.
 */
import type { Command } from 'commander'
import type { Config } from '../config/schema.ts'
import { openLog } from '../server/open.ts'
import { runImport } from '../sources/shared/import/jobs.ts'
import { describeIssues, importRequestSchema, type ImportRequest } from '../sources/shared/import/request.ts'
import type { RunSummary } from '../sources/shared/import/run.ts'
import { ImportState, type RunRow } from '../sources/shared/import/state.ts'
import { fetchFromServer, findRunningServer, type RunningServer } from './discover.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { ImportBars, printSummary } from './import-progress.ts'

const OPTION: Record<string, string> = { repos: '--repo', org: '--org', since: '--since', until: '--until', services: '--service', projects: '--project', group: '--group' }

function request(raw: Record<string, unknown>): ImportRequest {
  const parsed = importRequestSchema.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)))
  if (parsed.success) return parsed.data
  throw new Error(`invalid import: ${parsed.error.issues.map((i) => `${OPTION[String(i.path[0])] ?? String(i.path[0] ?? '')}: ${i.message}`).join('; ') || describeIssues(parsed.error)}`)
}

async function here(config: Config, req: ImportRequest, bars: ImportBars): Promise<RunSummary> {
  const log = await openLog(config)
  const state = new ImportState(config.imports.path)
  try {
    return await runImport(req, { config, log, state, onProgress: (run) => bars.update(run.progress().scopes) })
  } finally {
    state.close()
    await log.close()
  }
}

async function there(server: RunningServer, config: Config, req: ImportRequest, bars: ImportBars): Promise<RunSummary> {
  const token = config.api.adminTokens?.[0]
  const started = JSON.parse(
    await fetchFromServer(server, '/api/v1/imports', { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(req) }),
  ) as { id: string }
  for (;;) {
    const view = JSON.parse(await fetchFromServer(server, '/api/v1/imports')) as { runs: RunRow[] }
    const run = view.runs.find((r) => r.id === started.id)
    const progress = run?.progress as { scopes?: RunSummary['scopes'] } | undefined
    if (progress?.scopes) bars.update(progress.scopes)
    if (run && run.status !== 'running') {
      if (run.summary) return run.summary as RunSummary
      throw new Error(`the import ${run.id} ended ${run.status} in the running doraflow`)
    }
    await new Promise((r) => setTimeout(r, 500))
  }
}

async function execute(program: Command, raw: Record<string, unknown>, progress: boolean): Promise<void> {
  const { config } = load(program.opts<GlobalOptions>())
  const req = request(raw)
  const server = await findRunningServer(config)
  const where = server ? `(through the running doraflow at ${server.url})` : `(appended to the event log, ${config.log.kind}; \`doraflow serve\` processes it)`
  process.stderr.write(
    server
      ? `doraflow: importing through the running doraflow at ${server.url}\n`
      : `doraflow: no doraflow serve answering on port ${config.server.port}; importing into the event log (${config.log.kind}) directly\n`,
  )
  const bars = new ImportBars(progress && process.stderr.isTTY === true)
  let summary: RunSummary
  try {
    summary = server ? await there(server, config, req, bars) : await here(config, req, bars)
  } finally {
    bars.stop()
  }
  printSummary(summary, where)
  if (summary.status !== 'succeeded') process.exitCode = 1
}

export function registerImport(program: Command): void {
  const cmd = program
    .command('import')
    .description('history from GitHub, PagerDuty or GitLab REST APIs into the event log: resumable, idempotent, rate-limit aware')
    .addHelpText(
      'after',
      `
Imported records and webhooks about the same thing are one fact: import as often as you like.
A killed import resumes where it stopped; a re-run fetches only what changed.
Tokens: github.token (read: contents, deployments, issues, pull requests), pagerduty.apiToken (read-only key), gitlab.token (scope read_api).

Examples:
  doraflow import github --repo acme/checkout --repo acme/search --since 2026-04-01
  doraflow import github --org acme --since 2026-01-01
  doraflow import pagerduty --service PABC123 --since 2026-04-01
  doraflow import gitlab --group acme --since 2026-04-01
`,
    )

  cmd
    .command('github')
    .description('deployments and statuses, default-branch commits, merged PRs, incident issues')
    .option('--repo <owner/name...>', 'repositories (repeat or list)')
    .option('--org <org>', 'every repository of an organisation')
    .option('--since <date>', 'start of the history (commits before it are not imported: the baseline)')
    .option('--until <date>', 'end (exclusive)')
    .option('--no-progress', 'no progress bars')
    .action((o: { repo?: string[]; org?: string; since?: string; until?: string; progress: boolean }) =>
      runAction(() => execute(program, { source: 'github', repos: o.repo, org: o.org, since: o.since, until: o.until }, o.progress)),
    )

  cmd
    .command('pagerduty')
    .description('incidents and their log entries')
    .option('--service <id...>', 'PagerDuty service ids (default: every service)')
    .option('--since <date>', 'start (default: a year ago)')
    .option('--until <date>', 'end (exclusive; default: now)')
    .option('--no-progress', 'no progress bars')
    .action((o: { service?: string[]; since?: string; until?: string; progress: boolean }) =>
      runAction(() => execute(program, { source: 'pagerduty', services: o.service, since: o.since, until: o.until }, o.progress)),
    )

  cmd
    .command('gitlab')
    .description('deployments, default-branch commits (fills pushes past the 20-commit cap), merged MRs, incident issues')
    .option('--project <group/name...>', 'projects by path_with_namespace (repeat or list)')
    .option('--group <group>', 'every project of a group and its subgroups')
    .option('--since <date>', 'start of the history (commits before it are not imported: the baseline)')
    .option('--until <date>', 'end (exclusive)')
    .option('--no-progress', 'no progress bars')
    .action((o: { project?: string[]; group?: string; since?: string; until?: string; progress: boolean }) =>
      runAction(() => execute(program, { source: 'gitlab', projects: o.project, group: o.group, since: o.since, until: o.until }, o.progress)),
    )
}
