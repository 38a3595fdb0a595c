import type { Command } from 'commander'
import { SingleBar, Presets } from 'cli-progress'
import { feed } from '../demo/feed.ts'
import { startDemo, type DemoInstance } from '../demo/instance.ts'
import { QUARTER_SERVICES } from '../generator/quarter.ts'
import { GITLAB_SERVICE } from '../generator/gitlab.ts'
import { caughtUp, readBacklog } from '../server/lag.ts'
import { runAction } from './context.ts'

const out = (s = '') => process.stdout.write(`${s}\n`)

/** The quarter most of the generated data falls in (it ends now and spans 91 days). */
function quarterOf(ms: number): string {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}

async function waitProcessed(url: string, total: number): Promise<void> {
  const bar = new SingleBar({ format: '  processing  [{bar}] {percentage}% | {value}/{total} events in ClickHouse', hideCursor: true }, Presets.shades_classic)
  bar.start(total, 0)
  const deadline = Date.now() + 120_000
  try {
    for (;;) {
      const b = await readBacklog(url)
      if (b.lag !== null) bar.update(Math.max(0, total - b.lag))
      if (caughtUp(b)) break
      if (Date.now() > deadline) throw new Error(`the demo's processor is still ${b.lag} events behind after 2 minutes`)
      await new Promise((r) => setTimeout(r, 200))
    }
    bar.update(total)
  } finally {
    bar.stop()
  }
}

/** The incident a post-mortem is most worth writing for: the longest PagerDuty one. */
async function worstIncident(url: string): Promise<string | null> {
  const res = await fetch(`${url}/api/v1/incidents?from=${new Date(Date.now() - 120 * 86_400_000).toISOString()}&limit=500`)
  const { incidents } = (await res.json()) as { incidents: { id: string; restoreSeconds: number | null }[] }
  const sorted = incidents.filter((i) => i.id.startsWith('pagerduty:')).sort((a, b) => (b.restoreSeconds ?? 0) - (a.restoreSeconds ?? 0))
  return sorted[0]?.id ?? null
}

async function totals(url: string): Promise<{ deployments: number; incidents: number }> {
  const res = await fetch(`${url}/api/v1/metrics?groupBy=none&from=${new Date(Date.now() - 120 * 86_400_000).toISOString()}`)
  const { rows } = (await res.json()) as { rows: { deployments: number; incidents: number }[] }
  return { deployments: rows[0]?.deployments ?? 0, incidents: rows[0]?.incidents ?? 0 }
}

/** Ctrl-C (or SIGTERM) stops the instance and removes its folder; a second Ctrl-C does not interrupt the clean-up. */
function stopOnSignals(demo: DemoInstance): void {
  let stopping = false
  const handler = () => {
    if (stopping) return
    stopping = true
    process.stdout.write(`\n  stopping the demo and removing ${demo.dir} …\n`)
    demo.stop().then(
      () => {
        out('  stopped; nothing left behind.')
        process.exit(0)
      },
      (e: Error) => {
        process.stderr.write(`doraflow: the demo did not stop cleanly: ${e.message}\n`)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start a throw-away doraflow with a realistic generated quarter (3 teams, 7 services, GitHub, GitLab and PagerDuty), fed through the real signed webhook path; Ctrl-C removes everything')
    .option('-p, --port <port>', 'listen port (default: a free one)', '0')
    .option('--seed <n>', 'seed of the generated quarter (the same seed, the same data)', '42')
    .addHelpText('after', '\nExample:\n  npx doraflow demo            then open the URL it prints\n')
    .action((opts: { port: string; seed: string }) =>
      runAction(async () => {
        const port = Number(opts.port)
        const seed = Number(opts.seed)
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${JSON.stringify(opts.port)}`)
        if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${JSON.stringify(opts.seed)}`)
        out(`doraflow demo — a throw-away doraflow with a generated quarter (seed ${seed})`)
        const demo = await startDemo({ port, seed })
        stopOnSignals(demo)
        out(`  data folder: ${demo.dir} (removed when the demo stops)`)
        out()
        try {
          const bar = new SingleBar({ format: '  webhooks    [{bar}] {percentage}% | {value}/{total} signed deliveries (GitHub, GitLab, PagerDuty)', hideCursor: true }, Presets.shades_classic)
          bar.start(demo.deliveries.length, 0)
          const fed = await feed(demo.url, demo.deliveries, (n) => bar.update(n)).finally(() => bar.stop())
          await waitProcessed(demo.url, demo.deliveries.length)
          const refused = Object.entries(fed.refused)
          const t = await totals(demo.url)
          out()
          out(`  ${fed.accepted} webhooks accepted${refused.length ? `, REFUSED: ${refused.map(([s, n]) => `${n} × ${s}`).join(', ')}` : ''}: ${t.deployments} deployments and ${t.incidents} incidents of ${QUARTER_SERVICES.length + 1} services in ${new Set([...QUARTER_SERVICES, GITLAB_SERVICE].map((x) => x.team)).size} teams.`)
          out()
          out(`  Overview:  ${demo.url}/`)
          out()
          const cli = `npx doraflow --config ${demo.configFile}`
          const incident = await worstIncident(demo.url)
          out('  Try, in another terminal (they ask this running demo over HTTP):')
          out(`    ${cli} metrics --by team`)
          out(`    ${cli} metrics --by service --bucket month --format csv`)
          out(`    ${cli} report quarterly --quarter ${quarterOf(Date.now() - 45 * 86_400_000)}`)
          if (incident) out(`    ${cli} postmortem '${incident}'`)
          out(`    curl '${demo.url}/api/v1/metrics?groupBy=team'`)
          out()
          out('  Ctrl-C stops the demo and removes its data folder.')
        } catch (e) {
          // A demo that failed half-way still leaves nothing behind.
          await demo.stop().catch(() => {})
          throw e
        }
      }),
    )
}
