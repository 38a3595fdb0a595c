import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doraflow, freePort, run, waitHealthy, type Child } from '../helpers/child.ts'
import { githubDelivery, processedAll, pushPayload, send } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET, REPO, SCENARIO_CONFIG_YAML, SHA, scenarioDeliveries } from '../helpers/scenario.ts'

interface Report {
  ok: boolean
  checks: { id: string; status: string; detail: string; fix: string | null; data?: any }[]
}
const byId = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c]))

async function doctor(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const r = await run(['doctor', '--format', 'json', ...args], dir, env)
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr }
}

describe('doraflow doctor', () => {
  it('after `init`: exit 0, each finding with what to do; nothing written by the check itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-doctor-'))
    expect((await run(['init'], dir)).code).toBe(0)
    // Another doraflow may answer on 8080 on this machine: this one gets its own port.
    const port = await freePort()
    writeFileSync(join(dir, 'doraflow.yaml'), readFileSync(join(dir, 'doraflow.yaml'), 'utf8').replace('port: 8080', `port: ${port}`))
    const { code, report } = await doctor(dir)
    expect(code).toBe(0)
    const c = byId(report)
    expect(c.config!.status).toBe('ok')
    expect(c['secrets.github']!.status).toBe('ok')
    expect(c['secrets.pagerduty']).toMatchObject({ status: 'warn', fix: expect.stringContaining('PAGERDUTY_WEBHOOK_SECRET') })
    expect(c['secrets.api']!.status).toBe('ok')
    expect(c.log!.status).toBe('ok')
    expect(c.clickhouse).toMatchObject({ status: 'ok', detail: expect.stringMatching(/ClickHouse engine \(embedded\) \d+\.\d+/) })
    expect(c.deliveries).toMatchObject({ status: 'warn', detail: expect.stringContaining('no delivery yet') })
    expect(c.dead_letters!.status).toBe('ok')
    expect(c.url!.status).toBe('skip')
    expect(c['disk.log']!.data.freeBytes).toBeGreaterThan(0)
    expect(readdirSync(dir).sort()).toEqual(['.env', '.env.example', 'doraflow.yaml'])
  }, 60_000)

  it('a misspelt key: exit 1 and the did-you-mean, in text too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-doctor-'))
    writeFileSync(join(dir, 'doraflow.yaml'), 'sevices: []\n')
    const { code, report } = await doctor(dir)
    expect(code).toBe(1)
    expect(report.checks).toEqual([expect.objectContaining({ id: 'config', status: 'fail', detail: expect.stringContaining('sevices: unknown key (did you mean "services"?)') })])
    const text = await run(['doctor'], dir)
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/^FAIL {2}invalid configuration/)
    expect(text.stdout).toContain('0 ok, 0 warnings, 1 failed')
  })

  describe('beside a running serve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-doctor-serve-'))
    const env = { GH_SECRET: GITHUB_SECRET, PD_SECRET: PAGERDUTY_SECRET }
    let url: string
    let serve: Child
    beforeAll(async () => {
      const port = await freePort()
      url = `http://127.0.0.1:${port}`
      writeFileSync(join(dir, 'doraflow.yaml'), SCENARIO_CONFIG_YAML.replace('port: 0', `port: ${port}`))
      serve = doraflow(['serve'], dir, env)
      await waitHealthy(url, serve)
      for (const d of scenarioDeliveries()) expect((await send(url, d)).status).toBe(202)
      // Two signed deliveries the parser cannot read: dead letters with their reason.
      for (const id of ['poison-1', 'poison-2']) {
        const poison = pushPayload({ repo: REPO, before: SHA.A, after: SHA.B, commits: [] }) as Record<string, unknown>
        poison.commits = 'not-an-array'
        expect((await send(url, githubDelivery('push', poison, GITHUB_SECRET, id))).status).toBe(202)
      }
      await processedAll(url)
    }, 90_000)
    afterAll(() => serve?.proc.kill('SIGKILL'))

    it('reads the last delivery per source, dead letters by reason, the lag, and checks the URL the senders are given', async () => {
      const { code, report } = await doctor(dir, ['--url', url], env)
      expect(code).toBe(0) // warnings only
      const c = byId(report)
      expect(c.serve!.detail).toContain(`a doraflow serve answers at ${url}`)
      expect(c.clickhouse!.status).toBe('ok')
      expect(c['deliveries.github']).toMatchObject({ status: 'warn', data: { source: 'github', type: 'com.github.push', state: 'dead-lettered' } })
      expect(c['deliveries.pagerduty']).toMatchObject({ status: 'ok', data: { source: 'pagerduty', state: 'processed' } })
      expect(Date.now() - Date.parse(c['deliveries.pagerduty']!.data.at)).toBeLessThan(5 * 60_000)
      expect(c.dead_letters!.status).toBe('warn')
      expect(c.dead_letters!.data.total).toBe(2)
      // By reason code (snake_case): both pushes carry commits that are not an array.
      expect(c.dead_letters!.data.byReason).toEqual({ bad_field: 2 })
      expect(c.dead_letters!.detail).toBe('2 dead letters: 2 × bad_field')
      expect(c.processor_lag).toMatchObject({ status: 'ok', data: { lag: 0 } })
      expect(c.url).toMatchObject({ status: 'ok', detail: expect.stringContaining('refuses unsigned webhooks (401)') })
    }, 60_000)

    it('a public URL that does not answer fails, exit 1', async () => {
      const closed = await freePort()
      const { code, report } = await doctor(dir, ['--url', `http://127.0.0.1:${closed}`], env)
      expect(code).toBe(1)
      expect(byId(report).url).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot be reached from here') })
    }, 60_000)
  })
})
