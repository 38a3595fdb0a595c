import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doraflow, freePort, run, waitHealthy, type Child } from '../helpers/child.ts'
import { approx, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_Q3, FREEZE_ANNOTATION, RELEASE_CONFIG_YAML, RELEASE_SECRETS, releaseDeliveries } from '../releases/scenario.ts'

/**
 * The release scenario (test/releases/scenario.ts) through a real `doraflow serve`
 * child process: every flag and rollout source over HTTP, the freeze declared with
 * `doraflow freeze`, the hand-computed Q3 figures read back through the API and the CLI.
 */
describe('doraflow serve: deployments, flags, rollouts, incidents and a freeze, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-releases-'))
  let url: string
  let serve: Child

  beforeAll(async () => {
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    writeFileSync(join(dir, 'doraflow.yaml'), RELEASE_CONFIG_YAML.replace('port: 0', `port: ${port}`))
    serve = doraflow(['serve'], dir)
    await waitHealthy(url, serve)
  }, 90_000)
  afterAll(() => {
    serve?.proc.kill('SIGKILL')
  })

  it('every delivery is accepted; a redelivery is a duplicate; bad input is refused with the field named', async () => {
    const deliveries = releaseDeliveries()
    for (const d of deliveries) expect((await send(url, d)).status, d.path).toBe(202)
    // LaunchDarkly retries once: the same entry again collapses on its _id.
    const ld = deliveries.find((d) => d.path === '/webhooks/launchdarkly')!
    expect((await send(url, ld)).body).toMatchObject({ duplicate: true })
    expect((await send(url, { ...ld, headers: { 'content-type': 'application/json' } })).status).toBe(401)
    const badFlag = { path: '/events', headers: { 'content-type': 'application/json', authorization: `Bearer ${RELEASE_SECRETS.events}` }, body: JSON.stringify({ kind: 'flag', id: 'x', flag: 'checkout-x', environment: 'production', exposure: 120, changedAt: '2026-07-01T00:00:00Z' }) }
    const bad = await send(url, badFlag)
    expect(bad.status).toBe(400)
    expect(bad.body.issues[0].path).toBe('exposure')
  })

  it('`doraflow freeze` declares the freeze through the running serve', async () => {
    const r = await run(['freeze', FREEZE_ANNOTATION.text, '--from', FREEZE_ANNOTATION.at, '--to', FREEZE_ANNOTATION.endAt, '--team', 'payments', '--id', FREEZE_ANNOTATION.id], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain(`added: ${FREEZE_ANNOTATION.id} (sent to the running doraflow at ${url})`)
    await processedAll(url)
  })

  it('GET /api/v1/metrics over Q3: the hand-computed release, recovery-path, freeze and canary figures', async () => {
    const answer = (await (await fetch(`${url}/api/v1/metrics?from=2026-07-01&to=2026-10-01`)).json()) as { rows: Record<string, unknown>[] }
    const byService = new Map(answer.rows.map((r) => [r['service'], r]))
    expect(byService.get('checkout')).toMatchObject({ deployments: 8, failedDeployments: 4, ...approx(EXPECTED_Q3.checkout) })
    expect(byService.get('Flagsmith Website')).toMatchObject(approx(EXPECTED_Q3.flagsmithWebsite))
  })

  it('`doraflow flags --stale` and `doraflow releases` print them', async () => {
    const flags = await run(['flags', '--at', '2026-10-01', '--stale'], dir)
    expect(flags.code, flags.stderr).toBe(0)
    const lines = flags.stdout.trim().split('\n')
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
      ['Flagsmith Website', 'butter_bar'],
      ['checkout', 'checkout-dark-mode'],
    ])
    const rel = await run(['releases', '--from', '2026-07-01', '--to', '2026-10-01', '--service', 'checkout'], dir)
    expect(rel.code, rel.stderr).toBe(0)
    expect(rel.stdout).toContain('Releases (3)')
    expect(rel.stdout).toMatch(/checkout-new-pay\s+2026-07-05T10:29:00\.000Z\s+generic:i2\s+9m$/m)
    expect(rel.stdout).toContain('Canary aborts (2)')
    const m = await run(['metrics', '--from', '2026-07-01', '--to', '2026-10-01', '--releases'], dir)
    expect(m.code, m.stderr).toBe(0)
    const row = m.stdout.split('\n').find((l) => l.startsWith('checkout '))!
    expect(row.split(/\s{2,}/)).toEqual(['checkout', 'payments', '3', '2 (2d 15h)', '1 (9m)', '1', '1 (40m)', '1 (35m)', '1 (3h 40m)', '1 (1h)', '3 (1)', '2 (≤ 23.5 %)'])
  })

  it('with serve stopped, `doraflow flags` and `doraflow releases` read the data directly', async () => {
    serve.proc.kill('SIGTERM')
    expect(await serve.exited).toBe(0)
    const flags = await run(['flags', '--at', '2026-10-01', '--format', 'json'], dir)
    expect(flags.code, flags.stderr).toBe(0)
    expect(flags.stderr).toContain('reading ClickHouse (embedded) directly')
    expect(JSON.parse(flags.stdout).flags.filter((f: { stale: boolean }) => f.stale).map((f: { flag: string }) => f.flag)).toEqual(['butter_bar', 'checkout-dark-mode'])
    const rel = await run(['releases', '--from', '2026-07-01', '--to', '2026-10-01', '--format', 'json'], dir)
    expect(rel.code, rel.stderr).toBe(0)
    expect(JSON.parse(rel.stdout).killSwitches).toHaveLength(1)
    const bad = await run(['flags', '--at', 'someday'], dir)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/--at/)
  }, 60_000)
})
