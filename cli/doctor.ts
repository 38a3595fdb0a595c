import type { Command } from 'commander'
import { envFor } from '../config/dotenv.ts'
import { exitCodeOf } from '../doctor/check.ts'
import { formatChecks } from '../doctor/format.ts'
import { runDoctor } from '../doctor/run.ts'
import { runAction, type GlobalOptions } from './context.ts'

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the configuration (every key), the stores, the secrets per source, the public URL, the last delivery per source, dead letters, processor lag and disk space; say what to fix')
    .option('--url <url>', 'the public URL GitHub and PagerDuty are given (checked from here)')
    .option('--format <format>', 'text | json', 'text')
    .addHelpText('after', '\nExit code: 0 when nothing failed (warnings allowed), 1 otherwise.\n\nExamples:\n  doraflow doctor\n  doraflow doctor --url https://dora.example.com --format json\n')
    .action((opts: { url?: string; format: string }) =>
      runAction(async () => {
        if (!['text', 'json'].includes(opts.format)) throw new Error(`--format must be text or json, not ${JSON.stringify(opts.format)}`)
        const file = program.opts<GlobalOptions>().config
        const checks = await runDoctor({ configFile: file, env: envFor(file ?? './doraflow.yaml', process.env), url: opts.url })
        const code = exitCodeOf(checks)
        process.stdout.write(opts.format === 'json' ? `${JSON.stringify({ ok: code === 0, checks }, null, 2)}\n` : formatChecks(checks))
        process.exitCode = code
      }),
    )
}
