import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doraflow, freePort, run, waitHealthy, type Child } from '../helpers/child.ts'
import { approx, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, GITHUB_SECRET, PAGERDUTY_SECRET, SCENARIO_CONFIG_YAML, scenarioDeliveries } from '../helpers/scenario.ts'

/**
 * `doraflow serve` as a real child process on the embedded defaults (local log,
 * in-process ClickHouse under ./data), fed signed real-shaped webhooks.
 */
describe('doraflow serve end to end (child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-e2e-'))
  const env = { GH_SECRET: GITHUB_SECRET, PD_SECRET: PAGERDUTY_SECRET }
  const Q = ['--from', '2026-07-01', '--to', '2026-07-08']
  let port: number
  let url: string
  let serve: Child

  beforeAll(async () => {
    port = await freePort()
    url = `http://127.0.0.1:${port}`
    writeFileSync(join(dir, 'doraflow.yaml'), SCENARIO_CONFIG_YAML.replace('port: 0', `port: ${port}`))
    serve = doraflow(['serve'], dir, env)
    await waitHealthy(url, serve)
  })
  afterAll(async () => {
    serve?.proc.kill('SIGKILL')
  })

  it('answers the signed scenario with the hand-computed figures', async () => {
    for (const d of scenarioDeliveries()) expect((await send(url, d)).status).toBe(202)
    await processedAll(url)
    const answer = (await (await fetch(`${url}/api/v1/metrics?from=2026-07-01&to=2026-07-08`)).json()) as { rows: unknown[] }
    expect(answer.rows).toEqual([approx(EXPECTED_CHECKOUT_ROW)])
  })

  it('`doraflow metrics` asks the running server and says so', async () => {
    const r = await run(['metrics', ...Q, '--format', 'json'], dir, env)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`asking the running doraflow at ${url}`)
    expect(JSON.parse(r.stdout).rows).toEqual([approx(EXPECTED_CHECKOUT_ROW)])
    const table = await run(['metrics', ...Q], dir, env)
    expect(table.stdout).toMatch(/checkout/)
    expect(table.stdout).toMatch(/payments/)
  })

  it('`doraflow annotate add` sends to the running serve; `annotate list` shows it once processed; bad input says which option', async () => {
    const r = await run(['annotate', 'add', 'code freeze', '--at', '2026-07-03', '--end', '2026-07-05', '--tag', 'freeze', '--id', 'freeze-e2e'], dir, env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`added: freeze-e2e (sent to the running doraflow at ${url})`)
    await processedAll(url)
    const list = await run(['annotate', 'list', '--from', '2026-07-01', '--format', 'json'], dir, env)
    expect(list.code, list.stderr).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([{ id: 'freeze-e2e', at: '2026-07-03T00:00:00.000Z', endAt: '2026-07-05T00:00:00.000Z', text: 'code freeze', tags: ['freeze'], service: null, team: null }])
    const table = await run(['annotate', 'list', '--from', '2026-07-01'], dir, env)
    expect(table.stdout).toContain('2026-07-03T00:00:00.000Z → 2026-07-05T00:00:00.000Z  code freeze  (#freeze)  [freeze-e2e]')
    const bad = await run(['annotate', 'add', 'backwards', '--at', '2026-07-05', '--end', '2026-07-01'], dir, env)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--end: must not be before/)
  })

  it('`doraflow correct` sends to the running serve and says when the record is unknown; bad flags name the option', async () => {
    // An incident no event named yet: recorded all the same (it applies when the incident arrives), the figures do not move.
    const r = await run(['correct', '--incident', 'pagerduty:NOPE', '--none', '--reason', 'cloud outage', '--by', 'ana', '--id', 'cli-1', '--at', '2026-07-04'], dir, env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`recorded: cli-1 (sent to the running doraflow at ${url}) (no incident with that id yet`)
    await processedAll(url)
    const list = await run(['correct', '--list', '--format', 'json'], dir, env)
    expect(JSON.parse(list.stdout)).toEqual([{ id: 'cli-1', incident: 'pagerduty:NOPE', deployment: null, failed: null, by: 'ana', reason: 'cloud outage', at: '2026-07-04T00:00:00Z', effective: true }])
    const bad = await run(['correct', '--deployment', 'github:acme/checkout#101', '--reason', 'x'], dir, env)
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringMatching(/--failed: with deployment alone, give failed/)])
    expect((await run(['correct', '--incident', 'pagerduty:Q1', '--none', '--deployment', 'x', '--reason', 'x'], dir, env)).stderr).toMatch(/--none and --deployment exclude each other/)
    expect((await run(['correct', '--incident', 'pagerduty:Q1', '--none'], dir, env)).stderr).toMatch(/--reason: /)
  })

  it('SIGTERM stops serve with exit code 0; then `doraflow metrics` reads the data directly', async () => {
    serve.proc.kill('SIGTERM')
    expect(await serve.exited).toBe(0)
    const r = await run(['metrics', ...Q, '--format', 'csv'], dir, env)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('reading ClickHouse (embedded) directly')
    expect(r.stdout.split(/\r?\n/)[1]).toMatch(/^checkout,payments,/)
  })

  it('without a serve, `annotate add` and `remove` append to the event log', async () => {
    const add = await run(['annotate', 'add', 'after the stop', '--at', '2026-07-06T12:00:00Z', '--service', 'checkout', '--id', 'offline-1'], dir, env)
    expect(add.code, add.stderr).toBe(0)
    expect(add.stdout).toContain('added: offline-1 (appended to the event log')
    const rm = await run(['annotate', 'remove', 'freeze-e2e'], dir, env)
    expect(rm.code, rm.stderr).toBe(0)
    expect(rm.stdout).toContain('removed: freeze-e2e (appended to the event log')
    expect((await run(['annotate', 'remove', 'not an id'], dir, env)).stderr).toContain('invalid id')
    const corr = await run(['correct', '--deployment', 'github:acme/elsewhere#1', '--failed', 'true', '--reason', 'offline', '--by', 'ben', '--id', 'cli-2'], dir, env)
    expect(corr.code, corr.stderr).toBe(0)
    expect(corr.stdout).toContain('recorded: cli-2 (appended to the event log')
  })

  it('`doraflow replay` rebuilds the tables from the log with the same figures (and the annotations)', async () => {
    const r = await run(['replay'], dir, env)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`replayed ${scenarioDeliveries().length + 5} events`)) // + freeze added, offline added, freeze removed, two corrections
    const after = await run(['metrics', ...Q, '--format', 'json'], dir, env)
    expect(JSON.parse(after.stdout).rows).toEqual([approx(EXPECTED_CHECKOUT_ROW)])
    const list = await run(['annotate', 'list', '--service', 'checkout', '--format', 'json'], dir, env)
    expect(JSON.parse(list.stdout).map((a: { id: string }) => a.id)).toEqual(['offline-1'])
    const corrections = await run(['correct', '--list', '--format', 'json'], dir, env)
    expect(JSON.parse(corrections.stdout).map((c: { id: string }) => c.id).sort()).toEqual(['cli-1', 'cli-2'])
  })

  it('a bad config is refused with the key and what is wrong (exit 2)', async () => {
    const bad = join(dir, 'bad.yaml')
    writeFileSync(bad, 'server:\n  port: eighty\nservices:\n  - name: x\n    repositories: [nope]\n')
    const r = await run(['metrics', '--config', bad], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('server.port')
    expect(r.stderr).toContain('services.0.repositories.0: must be owner/name')
  })

  it('`doraflow --help` teaches: commands, examples, where to point webhooks', async () => {
    const r = await run(['--help'], dir)
    expect(r.code).toBe(0)
    for (const s of ['serve', 'metrics', 'replay', 'annotate', 'correct', '/webhooks/github', '/webhooks/pagerduty', '/webhooks/gitlab', '/webhooks/incidentio', '/webhooks/jira', 'deployment_status']) expect(r.stdout).toContain(s)
  })
})
