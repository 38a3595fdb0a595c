import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseConfigText } from '../../config/load.ts'
import { pipelineChecks } from '../../doctor/pipeline.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { openEmbeddedLog } from '../../log/embedded.ts'
import { freePort } from '../helpers/child.ts'
import { clickhouseConfig, clickhouseServerAvailable, requireOrSkip } from '../helpers/services.ts'

const hasServer = requireOrSkip('clickhouse-server', await clickhouseServerAvailable())

const DAY = 86_400_000

describe('doctor: the last delivery per source, from the log itself', () => {
  it('a source whose last delivery is older than 7 days is named, with how long and what to check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doraflow-doctor-log-'))
    const config = parseConfigText(`server:\n  port: ${await freePort()}\nlog:\n  path: ${join(dir, 'log')}\nclickhouse:\n  path: ${join(dir, 'clickhouse')}\n`, {})
    const now = Date.parse('2026-11-20T12:00:00Z')
    const log = openEmbeddedLog(config.log.path)
    const envelope = (source: 'github' | 'pagerduty', id: string, at: number) =>
      buildEnvelope({ source, deliveryId: id, path: `/webhooks/${source}`, type: `com.${source}.ping`, subject: source, headers: {}, data: '{}' }, new Date(at))
    await log.append(envelope('github', 'old-1', now - 20 * DAY))
    await log.append(envelope('github', 'old-2', now - 10 * DAY))
    await log.append(envelope('pagerduty', 'recent', now - 2 * DAY))
    await log.close()

    const checks = Object.fromEntries((await pipelineChecks(config, now)).map((c) => [c.id, c]))
    expect(checks['deliveries.github']).toMatchObject({
      status: 'warn',
      detail: 'GitHub: last delivery 2026-11-10T12:00:00.000Z (com.github.ping), waiting to be processed — nothing for 10 days',
      fix: expect.stringContaining("check the webhook's recent deliveries in GitHub"),
    })
    expect(checks['deliveries.pagerduty']).toMatchObject({ status: 'ok', data: { at: '2026-11-18T12:00:00.000Z' } })
    // Nothing processed them (no serve ran): three events behind.
    expect(checks.processor_lag).toMatchObject({ data: { lag: 3 } })
  }, 60_000)

  it('Kafka with no serve to ask: the brokers are checked directly', async () => {
    const port = await freePort()
    const config = parseConfigText(`server:\n  port: ${port}\nlog:\n  kind: kafka\n  brokers: [127.0.0.1:${await freePort()}]\n`, {})
    const checks = Object.fromEntries((await pipelineChecks(config)).map((c) => [c.id, c]))
    expect(checks.log).toMatchObject({ status: 'fail', detail: expect.stringContaining('cannot be reached') })
  }, 60_000)
})

describe.runIf(hasServer)('doctor: a ClickHouse server too old for the schema (the shared Debian 18.16)', () => {
  it('fails on the version, says what is missing and what to do, and creates nothing on that server', async () => {
    const c = clickhouseConfig()
    const config = parseConfigText(`server:\n  port: ${await freePort()}\nclickhouse:\n  kind: server\n  url: ${c.url}\n  username: ${c.username}\n  database: doraflow_doctor_probe\n`, { })
    config.clickhouse.password = c.password
    const checks = Object.fromEntries((await pipelineChecks(config)).map((x) => [x.id, x]))
    expect(checks.clickhouse).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^ClickHouse server at \S+ 18\.16\.\S+ is older than 23\.3: doraflow's tables need DateTime64/), fix: expect.stringContaining('upgrade') })
    expect(checks.dead_letters!.status).toBe('skip')
  }, 60_000)
})
