import type { Command } from 'commander'
import { addAnnotation } from './annotate.ts'
import { runAction } from './context.ts'

/**
 * `doraflow freeze`: a release freeze from CI or a release manager's shell,
 * stored as an annotation tagged `freeze` (METRICS.md §14), so it survives a
 * replay like any event. Permanent freezes belong in the config's `freezes`.
 */
export function registerFreeze(program: Command): void {
  program
    .command('freeze <name>')
    .description('declare a release freeze (an annotation tagged freeze): deployments inside it are flagged and counted')
    .requiredOption('--from <time>', 'start (a date: midnight UTC, or an ISO date-time)')
    .requiredOption('--to <time>', 'end, exclusive')
    .option('--service <name>', 'only this service (default: every service)')
    .option('--team <name>', 'only this team')
    .option('--id <id>', 'your own id, so a retried CI job stores it once')
    .addHelpText(
      'after',
      `
Examples:
  doraflow freeze "holiday freeze" --from 2026-12-21 --to 2027-01-04 --team payments --id holidays-2026
  doraflow annotate remove holidays-2026        (lift it)

Same as: doraflow annotate add "<name>" --at <from> --end <to> --tag freeze`,
    )
    .action((name: string, o: { from: string; to: string; service?: string; team?: string; id?: string }) =>
      runAction(() => addAnnotation(program, name, { at: o.from, end: o.to, service: o.service, team: o.team, id: o.id, tag: ['freeze'] })),
    )
}
