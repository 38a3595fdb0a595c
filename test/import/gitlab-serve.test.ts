/**
 * The whole road for GitLab: the hooks of a project (one push cut at 20 of its
 * 25 commits) sent to a running doraflow, then `POST /api/v1/imports` with
 * `source: "gitlab"`; and the other order on a second doraflow. Both end with
 * the same derived ClickHouse tables and the same metrics answer, and the
 * lead time is the full history's (hand-computed; the world: gitlab-world.ts `cappedWorld`).
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { eventually, processedAll, send } from '../helpers/payloads.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'
import { startGitlabStandin, type GitlabStandin } from '../standins/gitlab-api.ts'
import { derived } from './harness.ts'
import { cappedWorld } from './gitlab-world.ts'

const TOKEN = 'glpat-standin-token-2'
const HOOK_TOKEN = 'gitlab-hook-secret'
const Q = 'from=2026-08-01&to=2026-08-02'
const { w } = cappedWorld()

let gl: GitlabStandin
beforeAll(async () => {
  gl = await startGitlabStandin({ token: TOKEN })
  gl.projects.push(w.project)
})
afterAll(async () => {
  await gl?.close()
})

function configFor(database: string): Config {
  const config = scenarioConfig(mkdtempSync(join(tmpdir(), `doraflow-${database}-`)))
  config.clickhouse.database = database
  config.gitlab.token = TOKEN
  config.gitlab.apiUrl = gl.url
  config.gitlab.webhookTokens = [HOOK_TOKEN]
  config.imports.path = join(config.log.path, '..', 'imports')
  return config
}

async function importVia(url: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/imports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ source: 'gitlab', projects: ['acme/shop'] }) })
  expect(res.status).toBe(202)
  const { id } = (await res.json()) as { id: string }
  const done = await eventually(async () => {
    const view = (await (await fetch(`${url}/api/v1/imports`)).json()) as { runs: { id: string; status: string; source: string }[] }
    const r = view.runs.find((x) => x.id === id)
    return r && r.status !== 'running' ? r : undefined
  }, 60_000, `import ${id} to finish`)
  expect([done.source, done.status]).toEqual(['gitlab', 'succeeded'])
}

async function sendHooks(url: string): Promise<void> {
  for (const d of w.deliveries(HOOK_TOKEN)) expect((await send(url, d)).status).toBe(202)
}

type Metrics = { rows: { service: string; deployments: number; leadTimeSeconds: { median: number | null } | number | null }[] }
const metrics = async (url: string) => (await (await fetch(`${url}/api/v1/metrics?${Q}`)).json()) as Metrics

describe('GitLab hooks and import through serve: the same tables and figures', () => {
  let first: { tables: Record<string, string[]>; metrics: Metrics }

  it('hooks, then an import: the import fills the capped push', async () => {
    const server = await startTestServer(configFor('gl_hooks_first'))
    try {
      await sendHooks(server.url)
      await processedAll(server.url)
      const changesBefore = await server.db!.query<{ n: number }>(`SELECT count() AS n FROM changes`)
      expect(Number(changesBefore[0]!.n)).toBe(21)
      await importVia(server.url)
      await processedAll(server.url)
      // c0 (10 min) and the 25 pushed commits: (60 − i) minutes for commit i.
      const leads = (await server.db!.query<{ lead: number }>(`SELECT lead_time_seconds AS lead FROM changes ORDER BY lead`)).map((r) => Number(r.lead))
      expect(leads).toEqual([600, ...Array.from({ length: 25 }, (_, i) => (35 + i) * 60)].sort((a, b) => a - b))
      first = { tables: await derived(server.db!), metrics: await metrics(server.url) }
      expect(first.metrics.rows.find((r) => r.service === 'acme/shop')?.deployments).toBe(2)
    } finally {
      await server.stop()
    }
  }, 120_000)

  it('an import, then the hooks: the same tables and metrics', async () => {
    const server = await startTestServer(configFor('gl_import_first'))
    try {
      await importVia(server.url)
      await sendHooks(server.url)
      await processedAll(server.url)
      expect(await derived(server.db!)).toEqual(first.tables)
      expect(await metrics(server.url)).toEqual(first.metrics)
    } finally {
      await server.stop()
    }
  }, 120_000)
})
