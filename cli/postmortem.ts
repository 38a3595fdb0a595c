import type { Command } from 'commander'
import { writeFileSync } from 'node:fs'
import type { Config } from '../config/schema.ts'
import { postmortemMarkdown } from '../reports/postmortem/index.ts'
import { load, runAction, type GlobalOptions } from './context.ts'
import { fetchFromServer, viaServerOrDb } from './discover.ts'

/** The draft from the running `doraflow serve` (GET /api/v1/incidents/:id/postmortem), or from ClickHouse directly. */
async function draft(config: Config, id: string): Promise<string> {
  return viaServerOrDb(
    config,
    (server) => fetchFromServer(server, `/api/v1/incidents/${encodeURIComponent(id)}/postmortem`),
    async (db) => {
      const md = await postmortemMarkdown(db, config, id)
      if (md === null) throw new Error(`no incident with id ${JSON.stringify(id)} (ids look like pagerduty:Q1 or github:acme/checkout#7; see GET /api/v1/incidents)`)
      return md
    },
  )
}

export function registerPostmortem(program: Command): void {
  program
    .command('postmortem')
    .description('write a blameless post-mortem draft (Markdown) for an incident, from the event log: summary, timeline, suspected deployment and its changes, measured response times, prompts and action-item placeholders')
    .argument('<incident>', 'incident id, e.g. pagerduty:Q1ABC, github:acme/checkout#7, generic:inc-42')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
Examples:
  doraflow postmortem pagerduty:Q1ABC2DEF --out postmortems/2026-07-03-checkout.md
  doraflow postmortem 'github:acme/checkout#7'          (quote ids with # in a shell)

Incident ids are listed by GET /api/v1/incidents and in the quarterly report.`,
    )
    .action((id: string, opts: { out?: string }) =>
      runAction(async () => {
        const { config } = load(program.opts<GlobalOptions>())
        const md = await draft(config, id)
        if (opts.out) {
          writeFileSync(opts.out, md)
          process.stderr.write(`doraflow: wrote ${opts.out}\n`)
        } else process.stdout.write(md)
      }),
    )
}
