import { createHmac } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfigText } from '../../config/load.ts'
import { approx, processedAll, send } from '../helpers/payloads.ts'
import { startTestServer } from '../helpers/server.ts'
import { gitlabDeployment, gitlabIncident, incidentioCreated, jiraIssue } from '../helpers/source-payloads.ts'
import { EXPECTED_MIXED_ROWS, MIXED_CONFIG_YAML, mixedDeliveries, SECRETS } from '../helpers/sources-scenario.ts'
import { ghSig, request } from './helpers.ts'

/**
 * The webhook barrage for GitLab, incident.io and Jira: after the mixed scenario is in,
 * fast-check throws mutated and random bodies at the three routes, authenticated or not.
 * Each answer is 202 or a documented 4xx, never a 5xx; a rejected request stores nothing;
 * accepted fuzz (other projects and services) is processed without stalling anything, and
 * the scenario's figures stay the hand-computed ones.
 */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 300)
type Route = 'gitlab' | 'incidentio' | 'jira'
type Auth = 'valid' | 'none' | 'wrong'

const base: Record<Route, () => object> = {
  gitlab: () => gitlabDeployment({ project: 'fuzz/project', deploymentId: 9, status: 'success', environment: 'production', tier: 'production', sha: 'f'.repeat(40), at: '2026-08-02 09:00:00 +0000' }),
  incidentio: () => incidentioCreated({ id: '01FUZZ', reference: 'INC-999', service: 'fuzz-service', name: 'fuzz', createdAt: '2026-08-02T00:00:00Z', updatedAt: '2026-08-02T00:00:00Z', category: 'live', status: 'Investigating' }),
  jira: () => jiraIssue({ event: 'jira:issue_created', id: '99999', key: 'FUZZ-1', project: 'FUZZ', type: 'Incident', created: '2026-08-02T00:00:00.000+0000', at: '2026-08-02T00:00:00Z', category: 'new', status: 'To Do' }),
}
const issueBase = () => gitlabIncident({ project: 'fuzz/project', iid: 1, action: 'open', description: 'x', createdAt: '2026-08-02T00:00:00Z', updatedAt: '2026-08-02T00:00:00Z', closedAt: null })

/** Replace the value at a random path of a JSON tree with any JSON value. */
function mutate(tree: unknown, pick: number[], value: unknown): unknown {
  if (pick.length === 0 || tree === null || typeof tree !== 'object') return value
  const keys = Object.keys(tree as object)
  if (keys.length === 0) return value
  const k = keys[pick[0]! % keys.length]!
  const copy: any = Array.isArray(tree) ? [...tree] : { ...(tree as object) }
  copy[k] = mutate(copy[k], pick.slice(1), value)
  return copy
}

const bodyArb = (route: Route): fc.Arbitrary<Buffer> =>
  fc.oneof(
    fc.tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), fc.boolean()).map(([pick, v, issue]) => Buffer.from(JSON.stringify(mutate(route === 'gitlab' && issue ? issueBase() : base[route](), pick, v)) ?? 'null')),
    fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
    fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)),
    fc.nat({ max: 2000 }).map((n) => Buffer.from(JSON.stringify(base[route]()).slice(0, n))),
    fc.constantFrom('', 'null', '[]', '{}', '{"object_kind":1}', '{"event_type":"x","x":null}', '{"webhookEvent":"jira:issue_updated"}').map((s) => Buffer.from(s)),
  )

function headersFor(route: Route, body: Buffer, auth: Auth, id: string): Record<string, string> {
  const h: Record<string, string> = { 'content-type': 'application/json' }
  if (route === 'gitlab') {
    Object.assign(h, { 'x-gitlab-event': 'Deployment Hook', 'idempotency-key': id })
    if (auth !== 'none') h['x-gitlab-token'] = auth === 'valid' ? SECRETS.GITLAB_TOKEN : 'not-the-token'
  } else if (route === 'incidentio') {
    Object.assign(h, { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) })
    // Signed over the raw bytes, as a sender would (the package signs strings, which would re-encode invalid UTF-8).
    const key = auth === 'valid' ? Buffer.from(SECRETS.INCIDENTIO_SECRET.slice('whsec_'.length), 'base64') : Buffer.from('wrong')
    if (auth !== 'none') h['webhook-signature'] = 'v1,' + createHmac('sha256', key).update(`${id}.${h['webhook-timestamp']}.`).update(body).digest('base64')
  } else {
    h['x-atlassian-webhook-identifier'] = id
    if (auth !== 'none') h['x-hub-signature'] = ghSig(body, auth === 'valid' ? SECRETS.JIRA_SECRET : 'wrong')
  }
  return h
}

describe('hostile deliveries to /webhooks/gitlab, /webhooks/incidentio, /webhooks/jira', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  const rows = async () => ((await (await fetch(`${server.url}/api/v1/metrics?from=2026-08-01&to=2026-08-08&service=api`)).json()) as { rows: unknown[] }).rows
  const statuses: Record<string, number> = {}

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-hostile-sources-'))
    const config = parseConfigText(MIXED_CONFIG_YAML, SECRETS)
    Object.assign(config.log, { path: join(dir, 'log') })
    Object.assign(config.clickhouse, { path: join(dir, 'clickhouse') })
    config.server.host = '127.0.0.1'
    config.server.port = 0
    config.server.rateLimit.requestsPerSecond = 0
    config.processor.pollIntervalMs = 50
    server = await startTestServer(config)
    for (const d of mixedDeliveries()) expect((await send(server.url, d)).status).toBe(202)
    await processedAll(server.url)
    expect(await rows()).toEqual([approx(EXPECTED_MIXED_ROWS[0]!)])
  })
  afterAll(async () => {
    console.log(`hostile new-source answers: ${JSON.stringify(statuses)}`)
    await server?.stop()
  })

  it('202 or a documented 4xx, never 5xx; a rejection stores nothing', async () => {
    let n = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Route>('gitlab', 'incidentio', 'jira'), fc.constantFrom<Auth>('valid', 'valid', 'none', 'wrong'), fc.gen(), async (route, auth, g) => {
        const body = g(() => bodyArb(route))
        const before = await server.log.headOffset()
        const r = await request(`${server.url}/webhooks/${route}`, { headers: headersFor(route, body, auth, `fuzz-${n++}`), body })
        statuses[`${route}:${auth}:${r.status}`] = (statuses[`${route}:${auth}:${r.status}`] ?? 0) + 1
        expect([202, 400, 401, 413, 415], `${route} ${auth} → ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status)
        if (auth !== 'valid') expect(r.status).toBe(401)
        else expect(r.status, 'a well-signed delivery is never refused as unauthenticated').not.toBe(401)
        if (r.status !== 202) {
          expect(await server.log.headOffset(), 'a rejected request stored something').toBe(before)
          expect(typeof r.json?.message).toBe('string')
        }
      }),
      { numRuns: RUNS },
    )
  })

  it('afterwards: every accepted delivery processed, the scenario figures unchanged', async () => {
    await processedAll(server.url)
    expect(await rows()).toEqual([approx(EXPECTED_MIXED_ROWS[0]!)])
  })
})
