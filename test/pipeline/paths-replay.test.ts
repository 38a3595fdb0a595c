import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'
import { replay } from '../../processors/replay.ts'
import { computeMetrics } from '../../queries/metrics.ts'
import { openDb, openLog } from '../../server/open.ts'
import type { Db } from '../../clickhouse/client.ts'
import type { EventLog } from '../../log/types.ts'
import { githubEnvelope } from '../helpers/envelope.ts'
import { deploymentStatusPayload, pushPayload } from '../helpers/payloads.ts'

/**
 * §16 paths are data applied at projection time: real push and deployment_status payloads of a
 * monorepo through the event log, replayed; then `paths` changes and a replay re-scores history.
 * The monorepo and its figures are those of test/project/paths.test.ts, by hand:
 *   api      lead times 14400, 10800, 3600 → median 10800     web 14400, 7200, 1800 → 7200
 *   platform 14400.
 * With libs/ui/** moved from web to api, c5 (12:30) goes to api's #4 at 15:00 (9000 s):
 *   api 14400, 10800, 3600, 9000 → median 9900; web 14400, 7200 → 10800; platform unchanged.
 */
const REPO = 'acme/mono'
const ZERO = '0'.repeat(40)
const S = (n: number) => String(n).repeat(40)
const id = (n: number) => `c${n}`.padEnd(40, String(n))
const services = (webPaths: string[], apiPaths: string[]) => [
  { name: 'api', team: 'core', repositories: [REPO], environments: ['prod-api'], paths: apiPaths },
  { name: 'web', team: 'front', repositories: [REPO], environments: ['prod-web'], paths: webPaths },
  { name: 'platform', team: 'core', repositories: [REPO], environments: ['prod-platform'] },
]

describe('paths: change them, replay, the figures move', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-paths-'))
  const base = { log: { path: join(dir, 'log') }, clickhouse: { path: join(dir, 'ch') } }
  let log: EventLog
  let db: Db

  beforeAll(async () => {
    const config = parseConfig({ ...base, services: services(['services/web/**', 'libs/ui/**'], ['services/api/**']) })
    log = await openLog(config)
    db = await openDb(config)
    const gh = (event: string, body: unknown) => log.append(githubEnvelope(event, body))
    await gh('push', pushPayload({ repo: REPO, before: ZERO, after: S(1), commits: [
      { id: id(1), timestamp: '2026-07-01T08:00:00Z', added: ['services/api/a.ts'], removed: [], modified: [] },
      { id: id(2), timestamp: '2026-07-01T09:00:00Z', added: [], removed: [], modified: ['services/api/b.ts', 'services/web/c.ts'] },
    ] }))
    await gh('push', pushPayload({ repo: REPO, before: S(1), after: S(2), commits: [
      { id: id(3), timestamp: '2026-07-01T10:00:00Z', added: [], removed: [], modified: ['README.md'] },
      { id: id(4), timestamp: '2026-07-01T11:00:00Z', added: ['services/web/new.ts'], removed: ['services/api/old.ts'], modified: [] },
    ] }))
    await gh('push', pushPayload({ repo: REPO, before: S(2), after: S(3), commits: [{ id: id(5), timestamp: '2026-07-01T12:30:00Z', added: [], removed: [], modified: ['libs/ui/button.tsx'] }] }))
    const status = (deploymentId: number, environment: string, sha: string, at: string) =>
      gh('deployment_status', deploymentStatusPayload({ repo: REPO, deploymentId, statusId: deploymentId * 10, state: 'success', environment, sha, at }))
    await status(1, 'prod-api', S(2), '2026-07-01T12:00:00Z')
    await status(2, 'prod-web', S(3), '2026-07-01T13:00:00Z')
    await status(3, 'prod-platform', S(3), '2026-07-01T14:00:00Z')
    await status(4, 'prod-api', S(3), '2026-07-01T15:00:00Z')
  })
  afterAll(async () => {
    await log?.close()
    await db?.close()
  })

  const medians = async (config: Config) => {
    await replay(log, db, config)
    const a = await computeMetrics(db, config, { from: '2026-07-01', to: '2026-07-02' })
    return Object.fromEntries(a.rows.map((r) => [r.service, [r.deployments, r.leadTimeSeconds.count, r.leadTimeSeconds.median]]))
  }

  it('per-service figures by path', async () => {
    expect(await medians(parseConfig({ ...base, services: services(['services/web/**', 'libs/ui/**'], ['services/api/**']) }))).toEqual({
      api: [2, 3, 10800],
      platform: [1, 1, 14400],
      web: [1, 3, 7200],
    })
  })

  it('libs/ui/** moved from web to api: a replay re-scores history', async () => {
    expect(await medians(parseConfig({ ...base, services: services(['services/web/**'], ['services/api/**', 'libs/ui/**']) }))).toEqual({
      api: [2, 4, 9900],
      platform: [1, 1, 14400],
      web: [1, 2, 10800],
    })
  })
})
