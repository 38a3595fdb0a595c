/**
 * The whole road: a fortnight sent as signed webhooks to one doraflow, and
 * imported by `doraflow import github|pagerduty` (a real child process going
 * through the running serve, POST/GET /api/v1/imports) into another, give the
 * same derived tables and the same metrics answer; an import after the
 * webhooks, and the webhooks after an import, change nothing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import { run } from '../helpers/child.ts'
import { eventually, processedAll, send } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'
import type { GithubStandin } from '../standins/github-api.ts'
import type { PagerdutyStandin } from '../standins/pagerduty-api.ts'
import { fortnight } from './fortnight.ts'
import { derived, GH_TOKEN, githubStandinFor, PD_TOKEN, pagerdutyStandinFor } from './harness.ts'
import { hookDelivery } from './world.ts'

const Q = 'from=2026-07-01&to=2026-07-15'
const world = fortnight(4242)
const hooks = [...world.repo.hooks, ...world.pd.hooks].map((h) => hookDelivery(h, { github: GITHUB_SECRET, pagerduty: PAGERDUTY_SECRET }))

let gh: GithubStandin
let pd: PagerdutyStandin
beforeAll(async () => {
  gh = await githubStandinFor(world.repo)
  pd = await pagerdutyStandinFor(world.pd)
})
afterAll(async () => {
  await gh?.close()
  await pd?.close()
})

function configFor(database: string): Config {
  const config = scenarioConfig(mkdtempSync(join(tmpdir(), `doraflow-${database}-`)))
  config.clickhouse.database = database
  config.github.token = GH_TOKEN
  config.github.apiUrl = gh.url
  config.pagerduty.apiToken = PD_TOKEN
  config.pagerduty.apiUrl = pd.url
  config.imports.path = join(config.log.path, '..', 'imports')
  return config
}

/** Once everything acknowledged is processed, the derived tables and the figures are the webhooks' ones. */
async function expectSameAsWebhooks(server: { url: string; db: Db | null }, expected: { tables: Record<string, string[]>; metrics: unknown }): Promise<void> {
  await processedAll(server.url)
  expect(await derived(server.db!)).toEqual(expected.tables)
  expect(await metrics(server.url)).toEqual(expected.metrics)
}

const metrics = async (url: string) => (await (await fetch(`${url}/api/v1/metrics?${Q}`)).json()) as { rows: { deployments: number }[] }

/** Starts an import through the API and waits until it is no longer running. */
async function importVia(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/api/v1/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(202)
  const { id } = (await res.json()) as { id: string }
  const done = await eventually(async () => {
    const view = (await (await fetch(`${url}/api/v1/imports`)).json()) as { runs: { id: string; status: string }[] }
    const r = view.runs.find((x) => x.id === id)
    return r && r.status !== 'running' ? r : undefined
  }, 60_000, `import ${id} to finish`)
  expect(done.status).toBe('succeeded')
}

describe('webhooks and import through serve: the same tables and figures', () => {
  let viaHooks: { tables: Record<string, string[]>; metrics: unknown }

  it('webhooks, then an import of the same history: nothing changes', async () => {
    const server = await startTestServer(configFor('via_hooks'))
    try {
      for (const d of hooks) expect((await send(server.url, d)).status).toBe(202)
      await processedAll(server.url)
      viaHooks = { tables: await derived(server.db!), metrics: await metrics(server.url) }
      expect((viaHooks.metrics as { rows: { deployments: number }[] }).rows[0]!.deployments).toBeGreaterThan(3)
      await importVia(server.url, { source: 'github', repos: ['acme/checkout'] })
      await importVia(server.url, { source: 'pagerduty', since: '2026-06-01', until: '2026-08-01' })
      await expectSameAsWebhooks(server, viaHooks)
    } finally {
      await server.stop()
    }
  }, 120_000)

  it('`doraflow import` through a running serve fills the same figures; webhooks after it change nothing', async () => {
    const config = configFor('via_import')
    const server = await startTestServer(config)
    try {
      const file = join(config.log.path, '..', 'doraflow.yaml')
      writeFileSync(file, `server: {port: ${server.port}}\nlog: {path: ${config.log.path}}\nclickhouse: {path: ${config.clickhouse.path}}\n`)
      const github = await run(['--config', file, 'import', 'github', '--repo', 'acme/checkout', '--no-progress'], tmpdir())
      expect(github.stderr).toContain(`importing through the running doraflow at http://127.0.0.1:${server.port}`)
      expect(github.stdout).toContain('import github finished')
      expect(github.code).toBe(0)
      const pager = await run(['--config', file, 'import', 'pagerduty', '--since', '2026-06-01', '--until', '2026-08-01', '--no-progress'], tmpdir())
      expect(pager.code).toBe(0)
      await expectSameAsWebhooks(server, viaHooks)
      for (const d of hooks) expect((await send(server.url, d)).status).toBe(202)
      await expectSameAsWebhooks(server, viaHooks)
    } finally {
      await server.stop()
    }
  }, 120_000)

  it('POST /api/v1/imports needs an admin token; GET a read token', async () => {
    const config = configFor('via_tokens')
    config.api.tokens = ['read-token']
    config.api.adminTokens = ['admin-token']
    const server = await startTestServer(config)
    try {
      const post = (token: string) => fetch(`${server.url}/api/v1/imports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ source: 'pagerduty', since: '2026-06-01', until: '2026-08-01' }) })
      expect((await post('read-token')).status).toBe(403)
      expect((await fetch(`${server.url}/api/v1/imports`)).status).toBe(401)
      const accepted = await post('admin-token')
      expect(accepted.status).toBe(202)
      const { id } = (await accepted.json()) as { id: string }
      const view = await eventually(async () => {
        const v = (await (await fetch(`${server.url}/api/v1/imports`, { headers: { authorization: 'Bearer read-token' } })).json()) as { runs: { id: string; status: string; summary: { recordsRead: number } | null }[] }
        const r = v.runs.find((x) => x.id === id)
        return r && r.status !== 'running' ? r : undefined
      }, 60_000, 'the import to finish')
      expect(view.status).toBe('succeeded')
      expect(world.pd.incidents.length).toBeGreaterThan(0)
      expect(view.summary!.recordsRead).toBe(world.pd.incidents.length)
    } finally {
      await server.stop()
    }
  }, 60_000)

  it('POST /api/v1/imports refuses a bad request with a message naming the field', async () => {
    const server = await startTestServer(configFor('via_bad'))
    try {
      const post = (body: string, type = 'application/json') => fetch(`${server.url}/api/v1/imports`, { method: 'POST', headers: { 'content-type': type }, body })
      const noRepo = await post(JSON.stringify({ source: 'github' }))
      expect(noRepo.status).toBe(400)
      expect(((await noRepo.json()) as { message: string }).message).toContain('repos')
      const badDate = await post(JSON.stringify({ source: 'pagerduty', since: 'yesterday' }))
      expect(badDate.status).toBe(400)
      expect(((await badDate.json()) as { message: string }).message).toContain('since')
      expect((await post('{not json')).status).toBe(400)
      expect((await post('{}', 'text/plain')).status).toBe(415)
    } finally {
      await server.stop()
    }
  }, 60_000)
})
