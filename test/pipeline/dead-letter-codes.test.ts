import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { githubDelivery, pagerdutyDelivery, pagerdutyPayload, processedAll, pushPayload, send } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET, REPO, SHA } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'

/**
 * "Accept raw, parse later" stays (a parser fix must still replay), but a body
 * the parser cannot use is loud: a reason code beside the sentence, counted by
 * reason in Prometheus and in GET /api/v1/dead-letters (issue 9 §2: a Four Keys
 * sender without repository.full_name was answered 202 and silently dead-lettered).
 */
describe('dead letters by reason code', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const TOKEN = 'dl-token'

  beforeAll(async () => {
    config = scenarioConfig()
    config.api.tokens = [TOKEN]
    server = await startTestServer(config)
  })
  afterAll(async () => server?.stop())

  it('a push without repository, two bad timestamps: codes in the table, the API and the counter', async () => {
    const noRepo = pushPayload({ repo: REPO, before: SHA.A, after: SHA.B, commits: [] }) as Record<string, unknown>
    delete noRepo.repository
    expect((await send(server.url, githubDelivery('push', noRepo, GITHUB_SECRET, 'no-repo'))).status).toBe(202)
    const badCommitTime = pushPayload({ repo: REPO, before: SHA.A, after: SHA.C, commits: [{ id: 'c9'.padEnd(40, '9'), timestamp: 'yesterday' }] })
    expect((await send(server.url, githubDelivery('push', badCommitTime, GITHUB_SECRET, 'bad-time'))).status).toBe(202)
    const pd = pagerdutyPayload({ eventId: 'E-bad-time', type: 'incident.triggered', incidentId: 'Q7', service: 'PCHECK', occurredAt: 'soon' })
    expect((await send(server.url, pagerdutyDelivery(pd, PAGERDUTY_SECRET))).status).toBe(202)
    // Not a dead letter: a ping is dropped, counted under its own code.
    expect((await send(server.url, githubDelivery('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }, GITHUB_SECRET, 'ping-1'))).status).toBe(202)
    await processedAll(server.url, 30_000)

    const rows = await server.db!.query<{ envelope_id: string; reason: string; reason_code: string }>('SELECT envelope_id, reason, reason_code FROM dead_letters FINAL ORDER BY envelope_id')
    expect(rows).toEqual([
      { envelope_id: 'github:bad-time', reason: 'github: commits.0.timestamp is not a valid date-time: "yesterday"', reason_code: 'bad_timestamp' },
      { envelope_id: 'github:no-repo', reason: 'github: repository.full_name must be a string, got nothing (missing)', reason_code: 'missing_repository' },
      { envelope_id: 'pagerduty:E-bad-time', reason: 'pagerduty: event.occurred_at is not a valid date-time: "soon"', reason_code: 'bad_timestamp' },
    ])

    const api = (await (await fetch(`${server.url}/api/v1/dead-letters`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { total: number; byReason: Record<string, number>; deadLetters: { envelopeId: string; reasonCode: string }[] }
    expect(api.total).toBe(3)
    expect(api.byReason).toEqual({ bad_timestamp: 2, missing_repository: 1 })
    expect(api.deadLetters.find((d) => d.envelopeId === 'github:no-repo')?.reasonCode).toBe('missing_repository')

    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(/^doraflow_processor_dead_letters_total\{reason="missing_repository"\} (\d+)$/m.exec(metrics)?.[1]).toBe('1')
    expect(/^doraflow_processor_dead_letters_total\{reason="bad_timestamp"\} (\d+)$/m.exec(metrics)?.[1]).toBe('2')
    expect(/^doraflow_processor_dropped_total\{reason="not_used_by_metrics"\} (\d+)$/m.exec(metrics)?.[1]).toBe('1')
  })
})
