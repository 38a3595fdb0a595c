import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { verify } from '@octokit/webhooks-methods'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfigText } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import { TEMPLATES } from '../../generator/payloads.ts'
import { QUARTER_DAYS, QUARTER_SERVICES, quarterDeliveries, quarterServicesYaml } from '../../generator/quarter.ts'
import { workload } from '../../bench/lib/workload.ts'
import { FIXTURES, processedAll, send } from '../helpers/payloads.ts'
import { startTestServer } from '../helpers/server.ts'

const END = Date.parse('2026-10-01T00:00:00Z')
const START = END - QUARTER_DAYS * 86_400_000
const GH = 'gen-gh-secret'
const PD = 'gen-pd-secret'
const quarter = (seed: number) => quarterDeliveries({ seed, end: END, githubSecret: GH, pagerdutySecret: PD })

describe('the one data generator', () => {
  it('its templates are the shared recorded fixtures, unchanged', () => {
    for (const f of ['github/push.json', 'github/pull_request.closed.merged.json', 'github/deployment_status.created.json', 'github/issues.opened.json', 'pagerduty/incident.triggered.json', 'pagerduty/incident.acknowledged.json', 'pagerduty/incident.resolved.json', 'gitlab/push.default-branch.gitlab-docs.json', 'gitlab/deployment.success.json', 'gitlab/merge_request.merged.json', 'gitlab/issue.incident.opened.json', 'gitlab/issue.incident.closed.json']) {
      if (!existsSync(join(FIXTURES, f))) throw new Error(`the shared fixtures are not beside the checkout (${FIXTURES})`)
      expect(JSON.parse(readFileSync(join(TEMPLATES, f), 'utf8')), f).toEqual(JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')))
    }
  })

  it('is deterministic by seed', () => {
    const a = quarter(7).map((d) => d.body)
    expect(quarter(7).map((d) => d.body)).toEqual(a)
    expect(quarter(8).map((d) => d.body)).not.toEqual(a)
    const w = (seed: number) => [...workload({ repos: 5, events: 300, seed })].map((d) => d.body)
    expect(w(3)).toEqual(w(3))
    expect(w(3)).not.toEqual(w(4))
    expect(w(3)).toHaveLength(300)
  })

  it('the quarter: three teams, six services, two of them sharing one repository, each pushing into its own folder', () => {
    expect(new Set(QUARTER_SERVICES.map((s) => s.team)).size).toBe(3)
    expect(QUARTER_SERVICES).toHaveLength(6)
    const repos = [...new Set(QUARTER_SERVICES.map((s) => s.repository))]
    const shared = repos.map((r) => [r, QUARTER_SERVICES.filter((s) => s.repository === r).map((s) => s.name)] as const).filter(([, names]) => names.length > 1)
    expect(shared).toEqual([['acme/discovery', ['search', 'recommendations']]])
    const files = new Set(
      quarter(1)
        .filter((d) => d.kind === 'push' && JSON.parse(d.body).repository.full_name === 'acme/discovery')
        .flatMap((d) => JSON.parse(d.body).commits.flatMap((c: { modified: string[] }) => c.modified.map((m) => m.split('/').slice(0, 2).join('/')))),
    )
    expect([...files].sort()).toEqual(['services/recommendations', 'services/search'])
  })

  it('is in time order within the quarter, GitHub and PagerDuty signed as they sign', async () => {
    const ds = quarter(3)
    expect(ds.every((d, i) => i === 0 || ds[i - 1]!.at <= d.at)).toBe(true)
    expect(ds.every((d) => d.at >= START && d.at <= END)).toBe(true)
    for (const d of ds.filter((x) => x.source === 'github').slice(0, 50)) expect(await verify(GH, d.body, d.headers['x-hub-signature-256']!)).toBe(true)
    expect(new Set(ds.map((d) => d.kind))).toEqual(new Set(['push', 'pull_request', 'deployment_status', 'issues', 'incident.triggered', 'incident.acknowledged', 'incident.resolved']))
  })
})

describe('the generated quarter through the real signed webhook path', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let config: Config
  const deliveries = quarter(42)

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-gen-'))
    config = parseConfigText(`github:\n  webhookSecrets: [${GH}]\npagerduty:\n  webhookSecrets: [${PD}]\n${quarterServicesYaml()}\n`, {})
    config.log.path = join(dir, 'log')
    config.clickhouse.path = join(dir, 'clickhouse')
    config.imports.path = join(dir, 'imports')
    config.server.host = '127.0.0.1'
    config.server.port = 0
    config.processor.pollIntervalMs = 50
    server = await startTestServer(config)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('every delivery is accepted, none is dead-lettered, and each service has the deployments and incidents its payloads say', async () => {
    for (const d of deliveries) expect((await send(server.url, d)).status, d.kind).toBe(202)
    await processedAll(server.url)
    const dead = (await (await fetch(`${server.url}/api/v1/dead-letters`)).json()) as { total: number }
    expect(dead.total).toBe(0)

    // Counted from the payloads: distinct deployments with a success to the service's production environment,
    // PagerDuty incidents of its PagerDuty service, issue incidents of its repository's first service.
    const expected = new Map(QUARTER_SERVICES.map((s) => [s.name, { deployments: new Set<number>(), incidents: new Set<string>() }]))
    for (const d of deliveries) {
      const b = JSON.parse(d.body)
      if (d.kind === 'deployment_status' && b.deployment_status.state === 'success') {
        const s = QUARTER_SERVICES.find((x) => x.repository === b.repository.full_name && (x.environment ?? 'production') === b.deployment.environment)!
        expected.get(s.name)!.deployments.add(b.deployment.id)
      }
      if (d.kind === 'incident.triggered') expected.get(QUARTER_SERVICES.find((x) => x.pagerdutyService === b.event.data.service.id)!.name)!.incidents.add(b.event.data.id)
      if (d.kind === 'issues') expected.get(QUARTER_SERVICES.find((x) => x.repository === b.repository.full_name)!.name)!.incidents.add(`issue-${b.issue.number}`)
    }
    const from = new Date(START).toISOString()
    const to = new Date(END).toISOString()
    const answer = (await (await fetch(`${server.url}/api/v1/metrics?from=${from}&to=${to}`)).json()) as { rows: { service: string; team: string; deployments: number; incidents: number; deploymentsPerDay: number; changeFailureRate: number | null }[] }
    const got = Object.fromEntries(answer.rows.map((r) => [r.service, [r.team, r.deployments, r.incidents]]))
    expect(got).toEqual(Object.fromEntries(QUARTER_SERVICES.map((s) => [s.name, [s.team, expected.get(s.name)!.deployments.size, expected.get(s.name)!.incidents.size]])))
    for (const s of QUARTER_SERVICES) expect(expected.get(s.name)!.deployments.size, s.name).toBeGreaterThan(3)

    // The teams work differently, so the overview has something to show.
    const row = (name: string) => answer.rows.find((r) => r.service === name)!
    expect(row('gateway').deploymentsPerDay).toBeGreaterThan(10 * row('identity').deploymentsPerDay)
    expect(row('identity').changeFailureRate!).toBeGreaterThan(row('gateway').changeFailureRate!)
  }, 180_000)
})
