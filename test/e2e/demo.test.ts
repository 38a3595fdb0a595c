import { mkdtempSync, readdirSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { doraflow, run, type Child } from '../helpers/child.ts'
import { eventually } from '../helpers/payloads.ts'

/**
 * `doraflow demo` as a user runs it: a child process in an empty folder, with its own
 * TMPDIR so "leaves nothing behind" can be checked on the whole of it.
 */
describe('doraflow demo end to end (child process)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'doraflow-demo-cwd-'))
  const tmp = mkdtempSync(join(tmpdir(), 'doraflow-demo-tmp-'))
  // tsx's compile cache (of doraflow's own sources, made by any command) would land in TMPDIR too: off, so the check sees only the demo.
  const env = { TMPDIR: tmp, TSX_DISABLE_CACHE: '1' }
  let demo: Child
  afterAll(() => demo?.proc.kill('SIGKILL'))

  it('starts, fills the overview through the signed webhooks, the printed commands work against it, and Ctrl-C leaves nothing behind', async () => {
    demo = doraflow(['demo', '--seed', '7'], cwd, env)
    const shown = await eventually(async () => (/Ctrl-C stops the demo/.test(demo.output()) ? demo.output() : undefined), 120_000, 'the demo to be ready')
    const url = /Overview: +(http:\/\/127\.0\.0\.1:\d+)\//.exec(shown)?.[1]
    const configFile = /--config (\S+doraflow\.yaml) metrics --by team/.exec(shown)?.[1]
    expect(url, shown).toBeDefined()
    expect(configFile!.startsWith(tmp)).toBe(true)
    expect(shown).not.toMatch(/REFUSED/)
    const accepted = Number(/(\d+) webhooks accepted/.exec(shown)?.[1])
    expect(accepted).toBeGreaterThan(500)

    // Data appears: every generated service, with deployments.
    const answer = (await (await fetch(`${url}/api/v1/metrics?groupBy=service&from=${new Date(Date.now() - 100 * 86_400_000).toISOString()}`)).json()) as { rows: { service: string; deployments: number }[] }
    // billing-worker is the GitLab-hosted one (generator/gitlab.ts): its pushes, deployments and incidents came as GitLab hooks.
    expect(answer.rows.map((r) => r.service).sort()).toEqual(['billing-worker', 'checkout', 'gateway', 'identity', 'ledger', 'recommendations', 'search'])
    for (const r of answer.rows) expect(r.deployments, r.service).toBeGreaterThan(0)
    const deadLetters = (await (await fetch(`${url}/api/v1/dead-letters?limit=5000`)).json()) as { deadLetters: { envelopeType: string; reason: string }[] }
    expect(deadLetters.deadLetters.filter((d) => d.envelopeType.startsWith('com.gitlab.'))).toEqual([])
    // And the release views have something to show (generator/releases.ts, the demo's freeze) for the GitHub quarter's services.
    const rel = answer.rows as unknown as { service: string; release: { releases: number; fullReleases: number }; canaryAborts: number; freezeDeployments: number; team?: string }[]
    for (const r of rel.filter((x) => x.service !== 'billing-worker')) expect(r.release.releases, r.service).toBeGreaterThan(0)
    expect(rel.reduce((n, r) => n + r.canaryAborts, 0)).toBeGreaterThan(0)
    expect(rel.reduce((n, r) => n + r.freezeDeployments, 0)).toBeGreaterThan(0)
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)

    // The commands it prints ask the running demo over HTTP.
    const metrics = await run(['--config', configFile!, 'metrics', '--by', 'team', '--format', 'json'], cwd, env)
    expect(metrics.code, metrics.stderr).toBe(0)
    expect(metrics.stderr).toContain(`asking the running doraflow at ${url}`)
    expect((JSON.parse(metrics.stdout) as { rows: { team: string }[] }).rows.map((r) => r.team).sort()).toEqual(['discovery', 'payments', 'platform'])
    const quarter = /report quarterly --quarter (\d{4}-Q\d)/.exec(shown)![1]!
    const report = await run(['--config', configFile!, 'report', 'quarterly', '--quarter', quarter], cwd, env)
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout).toContain(`# Quarterly engineering review — ${quarter}`)
    const incident = /postmortem '([^']+)'/.exec(shown)![1]!
    const pm = await run(['--config', configFile!, 'postmortem', incident], cwd, env)
    expect(pm.code, pm.stderr).toBe(0)
    expect(pm.stdout).toMatch(/^# Post-mortem \(draft\)/)

    // Ctrl-C: a clean exit, and neither the temporary folder nor the working folder keeps anything.
    demo.proc.kill('SIGINT')
    expect(await demo.exited).toBe(0)
    expect(demo.output()).toContain('nothing left behind')
    expect(readdirSync(tmp)).toEqual([])
    expect(readdirSync(cwd)).toEqual([])
  }, 240_000)

  it('refuses a bad or busy --port with a message, leaving nothing behind', async () => {
    const r = await run(['demo', '--port', 'eighty'], cwd, env)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('--port must be a port number')
    expect(readdirSync(tmp)).toEqual([])
    // A port already taken: it says so, and its temporary folder is gone too.
    const taken = createServer()
    await new Promise<void>((ok) => taken.listen(0, '0.0.0.0', ok))
    try {
      const busy = await run(['demo', '--port', String((taken.address() as AddressInfo).port)], cwd, env)
      expect(busy.code).toBe(1)
      expect(busy.stderr).toMatch(/EADDRINUSE|address already in use/)
      expect(readdirSync(tmp)).toEqual([])
    } finally {
      taken.close()
    }
  }, 60_000)
})
