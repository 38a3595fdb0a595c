import type { Command } from 'commander'
import { existsSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { readOrg } from '../init/github.ts'
import { configTemplate, envFile, newSecret, SECRETS } from '../init/template.ts'
import { runAction, type GlobalOptions } from './context.ts'

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented doraflow.yaml with generated secrets (as ${VAR} references, values in .env) and a .env.example; never overwrites without --force')
    .option('--force', 'overwrite existing files')
    .option('--from-github <org>', "one service per repository of this GitHub organisation, teams from its GitHub teams (token: GITHUB_TOKEN)")
    .option('--api-url <url>', 'GitHub REST API (GitHub Enterprise Server: https://HOST/api/v3)', 'https://api.github.com')
    .addHelpText('after', '\nExamples:\n  doraflow init\n  GITHUB_TOKEN=… doraflow init --from-github acme\n  doraflow --config ops/doraflow.yaml init --force\n')
    .action((opts: { force?: boolean; fromGithub?: string; apiUrl: string }) =>
      runAction(async () => {
        const configFile = resolve(program.opts<GlobalOptions>().config ?? './doraflow.yaml')
        const files = { config: configFile, env: join(dirname(configFile), '.env'), example: join(dirname(configFile), '.env.example') }
        const present = Object.values(files).filter((f) => existsSync(f))
        if (present.length && !opts.force) throw new Error(`${present.join(', ')} already exist${present.length === 1 ? 's' : ''}: nothing written (--force overwrites)`)
        const inventory = opts.fromGithub ? await readOrg({ org: opts.fromGithub, apiUrl: opts.apiUrl, token: process.env.GITHUB_TOKEN }) : null
        const values = Object.fromEntries(SECRETS.filter((s) => s.generated).map((s) => [s.name, newSecret()]))
        writeFileSync(files.config, configTemplate({ inventory, org: opts.fromGithub ?? null, date: new Date().toISOString().slice(0, 10), githubApiUrl: opts.apiUrl }))
        writeFileSync(files.env, envFile(values), { mode: 0o600 })
        writeFileSync(files.example, envFile(null))
        const out = (s: string) => process.stdout.write(`${s}\n`)
        out(`wrote ${files.config}${inventory ? ` (${inventory.repos.length} services from ${opts.fromGithub})` : ''}`)
        out(`wrote ${files.env} (generated secrets; keep it out of version control) and ${files.example}`)
        if (inventory?.teamsUnreadable) out(`note: ${inventory.teamsUnreadable}; every service is in team "unassigned"`)
        out('next: add PAGERDUTY_WEBHOOK_SECRET to .env once PagerDuty shows it, then `doraflow doctor`, then `doraflow serve`')
      }),
    )
}
