/**
 * The Kafka log on the real broker: CloudEvents binary mode read back by
 * kcat, the pipeline (ingest → Kafka → consumer group → embedded ClickHouse)
 * giving the hand-computed figures, replay from the earliest offset into a
 * fresh database equal to live processing, and the spool: appends while the
 * broker is unreachable are durable locally and forwarded at the next start.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../config/schema.ts'
import { buildEnvelope } from '../../ingest/envelope.ts'
import { decodeEnvelope, encodeEnvelope, partitionKey } from '../../log/kafka-codec.ts'
import { openKafkaLog } from '../../log/kafka.ts'
import { replay } from '../../processors/replay.ts'
import { openClickHouse } from '../../clickhouse/client.ts'
import { migrate } from '../../clickhouse/migrations.ts'
import { dumpTables } from '../helpers/dump.ts'
import { approx, eventually, processedAll, send } from '../helpers/payloads.ts'
import { EXPECTED_CHECKOUT_ROW, scenarioDeliveries } from '../helpers/scenario.ts'
import { scenarioConfig, startTestServer } from '../helpers/server.ts'
import { kafkaAvailable, kafkaConfig, requireOrSkip } from '../helpers/services.ts'

const execFileP = promisify(execFile)
const hasKafka = requireOrSkip('kafka', await kafkaAvailable())

export function kafkaScenarioConfig(dir = mkdtempSync(join(tmpdir(), 'doraflow-kafka-'))): Config {
  const config = scenarioConfig(dir)
  config.log.kind = 'kafka'
  config.log.brokers = kafkaConfig().brokers
  config.log.topic = `doraflow-test-${randomUUID().slice(0, 8)}`
  config.log.partitions = 3
  config.log.spoolPath = join(dir, 'spool')
  config.processor.group = `doraflow-test-${randomUUID().slice(0, 8)}`
  return config
}

describe('CloudEvents Kafka binding (codec)', () => {
  it('round-trips an envelope exactly and keys it by service group', () => {
    const config = kafkaScenarioConfig()
    const e = buildEnvelope({ source: 'github', deliveryId: 'd-1', path: '/webhooks/github', type: 'com.github.push', subject: 'acme/checkout', headers: { 'X-GitHub-Event': 'push' }, data: '{"a":"é\\u0000"}' })
    const m = encodeEnvelope(e, partitionKey(e, config))
    const back = decodeEnvelope({ key: Buffer.from(m.key), value: m.value, headers: Object.fromEntries(Object.entries(m.headers).map(([k, v]) => [k, Buffer.from(v)])) })
    expect(back).toEqual(e)
    // The repository and the PagerDuty service of checkout share one key, so one partition.
    const pd = { ...e, doraflowsource: 'pagerduty' as const, subject: 'PCHECK' }
    expect(partitionKey(e, config)).toBe('service:checkout')
    expect(partitionKey(pd, config)).toBe('service:checkout')
    expect(partitionKey({ doraflowsource: 'generic', subject: 'checkout' }, config)).toBe('service:checkout')
    expect(partitionKey({ doraflowsource: 'generic', subject: 'other' }, config)).toBe('named:other')
  })
})

describe.runIf(hasKafka)('pipeline on Kafka (real broker) with embedded ClickHouse', () => {
  let config: Config
  let server: Awaited<ReturnType<typeof startTestServer>>
  const Q = 'from=2026-07-01&to=2026-07-08'

  beforeAll(async () => {
    config = kafkaScenarioConfig()
    server = await startTestServer(config)
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('accepts the scenario and computes the hand-computed figures', async () => {
    for (const d of scenarioDeliveries()) expect((await send(server.url, d)).status).toBe(202)
    await processedAll(server.url)
    const answer = (await (await fetch(`${server.url}/api/v1/metrics?${Q}`)).json()) as { rows: unknown[] }
    expect(answer.rows[0]).toEqual(approx(EXPECTED_CHECKOUT_ROW))
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { kafka: { mode: string; spoolDepth: number } }
    expect(ready.kafka).toMatchObject({ mode: 'direct', spoolDepth: 0 })
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^doraflow_spool_depth 0$/m)
    expect(metrics).toMatch(/^doraflow_spool_forward_lag_seconds 0$/m)
    // The processors are a consumer group here: a replay from the API is refused with what to do instead.
    const replay = await fetch(`${server.url}/api/v1/replay`, { method: 'POST' })
    expect(replay.status).toBe(409)
    expect(((await replay.json()) as { message: string }).message).toMatch(/doraflow replay/)
    expect(await (await fetch(`${server.url}/api/v1/replay`)).json()).toMatchObject({ available: false })
  })

  it('writes valid CloudEvents in binary mode: kcat, an independent consumer, sees ce_ headers and the raw body', async () => {
    const { stdout } = await execFileP('kcat', ['-C', '-b', config.log.brokers.join(','), '-t', config.log.topic, '-o', 'beginning', '-e', '-q', '-f', '%k\\t%h\\t%s\\n'], { maxBuffer: 64 * 1024 * 1024 })
    const lines = stdout.trim().split('\n')
    expect(lines.length).toBe(scenarioDeliveries().length)
    for (const line of lines) {
      const [key, headers, ...rest] = line.split('\t')
      expect(key).toBe('service:checkout')
      for (const h of ['ce_specversion=1.0', 'ce_id=', 'ce_source=', 'ce_type=', 'ce_time=', 'ce_subject=', 'content-type=application/json', 'ce_doraflowsource=']) expect(headers).toContain(h)
      expect(() => JSON.parse(rest.join('\t'))).not.toThrow()
    }
    console.log(`kcat: ${lines.length} messages on ${config.log.topic}, every one with ce_specversion/ce_id/ce_source/ce_type/ce_time/ce_subject and content-type`)
  })

  it('replay from the earliest offset into a fresh database equals live processing', async () => {
    const live = await dumpTables(server.db!)
    expect(live.deployments!.length).toBe(4)
    await server.stop()
    // chdb allows one data directory per process: the fresh database lives beside the live one in the same data directory.
    const fresh = await openClickHouse({ ...config.clickhouse, database: 'replayed' })
    await migrate(fresh)
    const log = await openKafkaLog({ ...config, processor: { ...config.processor, group: `${config.processor.group}-replay` } })
    try {
      const result = await replay(log, fresh, config)
      expect(result.events).toBe(scenarioDeliveries().length)
      expect(await dumpTables(fresh)).toEqual(live)
    } finally {
      await log.close()
      await fresh.close()
    }
  })
})

describe.runIf(hasKafka)('spool when the broker is unreachable', () => {
  it('acknowledges from the spool, then forwards in order when a broker answers', async () => {
    const config = kafkaScenarioConfig()
    const deliveries = Array.from({ length: 25 }, (_, i) =>
      buildEnvelope({ source: 'generic', deliveryId: `spool-${i}`, path: '/events', type: 'dev.doraflow.generic.deployment', subject: 'checkout', headers: {}, data: JSON.stringify({ i }) }),
    )
    // Nothing listens on port 1: every append must still resolve, from the spool.
    const down = await openKafkaLog({ ...config, log: { ...config.log, brokers: ['127.0.0.1:1'] } }, { appendTimeoutMs: 500 })
    for (const e of deliveries) await down.append(e)
    expect(down.state()).toMatchObject({ mode: 'spooling', broker: 'down', spoolDepth: 25 })
    expect(down.state().forwardLagSeconds).toBeGreaterThanOrEqual(0)
    await down.close()

    const up = await openKafkaLog(config)
    try {
      await eventually(async () => (up.state().spoolDepth === 0 && up.state().mode === 'direct' ? true : undefined), 30_000, 'the spool to drain')
      const { stdout } = await execFileP('kcat', ['-C', '-b', config.log.brokers.join(','), '-t', config.log.topic, '-o', 'beginning', '-e', '-q', '-f', '%h\\n'])
      const ids = [...stdout.matchAll(/ce_id=([^,\n]+)/g)].map((m) => m[1])
      expect(ids).toEqual(deliveries.map((d) => d.id)) // one key, one partition: forwarded in order
      console.log(`spool: ${deliveries.length} acknowledged while the broker was unreachable, ${ids.length} forwarded in order`)
    } finally {
      await up.close()
    }
  })
})
