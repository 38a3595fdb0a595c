import { Command } from 'commander'
import { registerAnnotate } from './annotate.ts'
import { checkConfigBeforeEveryCommand } from './context.ts'
import { registerDemo } from './demo.ts'
import { registerDoctor } from './doctor.ts'
import { registerInit } from './init.ts'
import { registerCorrect } from './correct.ts'
import { registerImport } from './import.ts'
import { registerFlags } from './flags.ts'
import { registerFreeze } from './freeze.ts'
import { registerMetrics } from './metrics.ts'
import { registerPostmortem } from './postmortem.ts'
import { registerQuery } from './query.ts'
import { registerReplay } from './replay.ts'
import { registerReport } from './report.ts'
import { registerServe } from './serve.ts'

export async function main(argv: string[]): Promise<void> {
  const program = new Command()
  program
    .name('doraflow')
    .description('DORA metrics and incident analytics: signed webhooks → event log → ClickHouse → reports')
    .option('-c, --config <file>', 'YAML configuration (default ./doraflow.yaml; without one, embedded defaults under ./data)')
    .showHelpAfterError('(run `doraflow --help` for usage)')
    .addHelpText(
      'after',
      `
Start here:
  doraflow demo                       see it in 60 seconds: a throw-away instance with a generated quarter
  doraflow serve                      run everything on one machine (embedded log + ClickHouse under ./data)
  doraflow metrics --by team --bucket month --from 2026-07-01 --to 2026-10-01
                                      the four keys (+ recovery, rework) per team and month
  doraflow replay                     rebuild every table from the event log
  doraflow import github --org acme --since 2026-01-01
                                      history from GitHub's API on day one (resumable; also: import pagerduty, import gitlab)
  doraflow annotate add "code freeze" --at 2026-07-20 --end 2026-07-31
                                      a note on every dashboard's timeline
  doraflow flags --stale              flags at 100 % for longer than metrics.staleFlagDays
  doraflow freeze "holiday freeze" --from 2026-12-21 --to 2027-01-04 --team payments
                                      a release freeze: deployments inside it are flagged

Point GitHub webhooks at  http://HOST:8080/webhooks/github    (events: push, pull_request, deployment, deployment_status, issues)
Point PagerDuty V3 at     http://HOST:8080/webhooks/pagerduty
Point GitLab webhooks at  http://HOST:8080/webhooks/gitlab    (push, tag push, issues, merge request, pipeline, deployment)
Point incident.io at      http://HOST:8080/webhooks/incidentio (public incident created/updated (v2), incident status updated (v2))
Point Jira webhooks at    http://HOST:8080/webhooks/jira      (issue created, issue updated; Jira Service Management too)
Other tools POST to       http://HOST:8080/events              (doraflow JSON or CloudEvents/CDEvents)
Flags and canaries:       /webhooks/launchdarkly, /webhooks/unleash, /webhooks/flagsmith, /webhooks/flagger
`,
    )
  checkConfigBeforeEveryCommand(program)
  registerServe(program)
  registerMetrics(program)
  registerReplay(program)
  registerQuery(program)
  registerReport(program)
  registerPostmortem(program)
  registerAnnotate(program)
  registerDemo(program)
  registerDoctor(program)
  registerInit(program)
  registerCorrect(program)
  registerImport(program)
  registerFlags(program)
  registerFreeze(program)
  await program.parseAsync(argv)
}
