import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { doraflow, freePort, run, waitHealthy, type Child } from '../helpers/child.ts'
import { approx, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_MIXED_ROWS, MIXED_CONFIG_YAML, mixedDeliveries, SECRETS } from '../helpers/sources-scenario.ts'

/**
 * `doraflow serve` as a child process fed GitHub + PagerDuty and GitLab + incident.io +
 * Jira deliveries, authenticated as each sender does: the figures of both services are
 * the hand-computed ones of test/helpers/sources-scenario.ts, field by field.
 */
describe('doraflow serve end to end: GitHub and GitLab services, PagerDuty, incident.io and Jira incidents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-e2e-sources-'))
  let url: string
  let serve: Child

  beforeAll(async () => {
    const port = await freePort()
    url = `http://127.0.0.1:${port}`
    writeFileSync(join(dir, 'doraflow.yaml'), MIXED_CONFIG_YAML.replace('port: 0', `port: ${port}`))
    serve = doraflow(['serve'], dir, SECRETS)
    await waitHealthy(url, serve)
  })
  afterAll(async () => {
    serve?.proc.kill('SIGKILL')
  })

  it('every delivery is accepted; the retries are answered as duplicates', async () => {
    const answers = []
    for (const d of mixedDeliveries()) answers.push(await send(url, d))
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 202))
    expect(answers.filter((a) => a.body.duplicate).map((a) => a.body.id)).toEqual(['gitlab:gl-1', 'incidentio:msg_inc7_live'])
    await processedAll(url)
  })

  it('GET /api/v1/metrics: both services, every figure as computed by hand', async () => {
    const answer = (await (await fetch(`${url}/api/v1/metrics?from=2026-08-01&to=2026-08-08`)).json()) as { rows: unknown[] }
    expect(answer.rows).toEqual(EXPECTED_MIXED_ROWS.map(approx))
  })

  it('the records say where each incident came from and which deployment it failed', async () => {
    const incidents = (await (await fetch(`${url}/api/v1/incidents?from=2026-08-01&to=2026-08-08`)).json()) as { rows?: Record<string, unknown>[]; incidents?: Record<string, unknown>[] }
    const rows = (incidents.rows ?? incidents.incidents ?? []) as Record<string, any>[]
    const brief = rows.map((r) => [r.service, r.origin, r.startedAt, r.resolvedAt]).sort()
    expect(brief).toEqual([
      ['api', 'gitlab', '2026-08-06T10:00:00.000Z', '2026-08-06T10:30:00.000Z'],
      ['api', 'incidentio', '2026-08-03T12:00:00.000Z', '2026-08-03T13:00:00.000Z'],
      ['api', 'jira', '2026-08-05T07:00:00.000Z', '2026-08-05T08:00:00.000Z'],
      ['web', 'pagerduty', '2026-08-01T12:00:00.000Z', '2026-08-01T13:00:00.000Z'],
    ])
  })

  it('`doraflow replay` rebuilds the same figures from the log', async () => {
    serve.proc.kill('SIGTERM')
    expect(await serve.exited).toBe(0)
    const r = await run(['replay'], dir, SECRETS)
    expect(r.code, r.stderr).toBe(0)
    const after = await run(['metrics', '--from', '2026-08-01', '--to', '2026-08-08', '--format', 'json'], dir, SECRETS)
    expect(JSON.parse(after.stdout).rows).toEqual(EXPECTED_MIXED_ROWS.map(approx))
  })
})
