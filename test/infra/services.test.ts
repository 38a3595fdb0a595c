/**
 * Smoke test of the real services started by `bash scripts/services.sh up`:
 * a KRaft Kafka broker (kafkajs + kcat) and a ClickHouse server over HTTP
 * (@clickhouse/client). Outside CI it skips loudly when they are not up; with
 * CI=true a missing service fails the file.
 */
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { Kafka, Partitioners, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs'
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import {
  clickhouseConfig,
  clickhouseServerAvailable,
  isCI,
  kafkaAvailable,
  kafkaConfig,
  requireOrSkip,
} from '../helpers/services.ts'

const execFileP = promisify(execFile)

const hasKafka = requireOrSkip('kafka', await kafkaAvailable())
const hasClickHouse = requireOrSkip('clickhouse-server', await clickhouseServerAvailable())

async function kcatPath(): Promise<string | undefined> {
  for (const bin of ['kcat', 'kafkacat']) {
    try {
      await execFileP(bin, ['-V'])
      return bin
    } catch {
      // try next
    }
  }
  return undefined
}

describe.runIf(hasKafka)('kafka broker (kafkajs + kcat)', () => {
  const { brokers } = kafkaConfig()
  const topic = `doraflow-smoke-${Date.now()}-${randomUUID().slice(0, 8)}`
  const kafka = new Kafka({
    clientId: 'doraflow-smoke',
    brokers,
    // Quiet: a just-formatted broker answers the first InitProducerId /
    // FindCoordinator with retriable "coordinator loading" errors that kafkajs
    // logs at ERROR and then retries; real failures still reject the promises.
    logLevel: logLevel.NOTHING,
  })
  let admin: Admin | undefined
  let producer: Producer | undefined
  let consumer: Consumer | undefined
  const sent = Array.from({ length: 10 }, (_, i) => ({
    key: `k${i % 3}`,
    value: JSON.stringify({ seq: i, at: new Date(0).toISOString() }),
    headers: { 'x-seq': String(i) },
  }))

  afterAll(async () => {
    await consumer?.disconnect().catch(() => {})
    await producer?.disconnect().catch(() => {})
    if (admin) {
      await admin.deleteTopics({ topics: [topic], timeout: 10_000 }).catch(() => {})
      await admin.disconnect().catch(() => {})
    }
  })

  it('creates a fresh topic (auto-create is off)', async () => {
    admin = kafka.admin()
    await admin.connect()
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
      waitForLeaders: true,
    })
    expect(created).toBe(true)
    expect(await admin.listTopics()).toContain(topic)
  })

  it('produces with an idempotent producer, acks=-1', async () => {
    producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    })
    await producer.connect()
    const meta = await producer.send({ topic, acks: -1, messages: sent })
    expect(meta).toHaveLength(1)
    expect(meta[0]?.errorCode).toBe(0)
    expect(meta[0]?.baseOffset).toBe('0')
  })

  it('a consumer group reads every message back in order', async () => {
    consumer = kafka.consumer({
      groupId: `${topic}-group`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 500, // a short fetch wait: disconnect in afterAll returns sooner
    })
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    const got: { key: string; value: string; seq: string; offset: string }[] = []
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out: got ${got.length}/${sent.length}`)), 30_000)
      void consumer!
        .run({
          eachMessage: async ({ message }) => {
            got.push({
              key: message.key?.toString() ?? '',
              value: message.value?.toString() ?? '',
              seq: message.headers?.['x-seq']?.toString() ?? '',
              offset: message.offset,
            })
            if (got.length >= sent.length) {
              clearTimeout(timer)
              resolve()
            }
          },
        })
        .catch(reject)
    })
    expect(got.map((m) => m.value)).toEqual(sent.map((m) => m.value))
    expect(got.map((m) => m.key)).toEqual(sent.map((m) => m.key))
    expect(got.map((m) => m.seq)).toEqual(sent.map((_, i) => String(i)))
    expect(got.map((m) => m.offset)).toEqual(sent.map((_, i) => String(i)))
  })

  it('kcat reads the same topic', async (ctx) => {
    const bin = await kcatPath()
    if (!bin) {
      if (isCI()) throw new Error('kcat not installed (scripts/services.sh up installs it)')
      process.stderr.write('!!! SKIPPING kcat check: kcat/kafkacat not installed (bash scripts/services.sh up)\n')
      ctx.skip()
      return
    }
    const { stdout } = await execFileP(
      bin,
      ['-b', brokers.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%s\t%o\n'],
      { timeout: 30_000 },
    )
    const lines = stdout.trim().split('\n')
    expect(lines).toEqual(sent.map((m, i) => `${m.key}\t${m.value}\t${i}`))
  })
})

describe.runIf(hasClickHouse)('clickhouse server (@clickhouse/client over HTTP)', () => {
  const cfg = clickhouseConfig()
  const table = `smoke_${Date.now()}_${randomUUID().slice(0, 8).replace(/-/g, '')}`
  let client: ClickHouseClient | undefined

  afterAll(async () => {
    if (client) {
      await client.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => {})
      await client.close()
    }
  })

  it('pings and authenticates (basic auth)', async () => {
    client = createClient({ url: cfg.url, username: cfg.username, password: cfg.password })
    expect((await client.ping()).success).toBe(true)
    const rows = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{
      v: string
    }>()
    expect(rows[0]?.v).toMatch(/^\d+\.\d+/)
    process.stderr.write(`[services] clickhouse-server version ${rows[0]?.v}\n`)
  })

  it('rejects a wrong password', async () => {
    const bad = createClient({ url: cfg.url, username: cfg.username, password: 'wrong', log: { level: 127 } })
    try {
      await expect(bad.query({ query: 'SELECT 1', format: 'JSONEachRow' })).rejects.toThrow(/password|Authentication/i)
    } finally {
      await bad.close()
    }
  })

  it('create table, JSONEachRow insert, select FORMAT JSONEachRow', async () => {
    const c = client!
    await c.command({
      query: `CREATE TABLE ${table} (id UInt64, repo String, at DateTime('UTC'), tags Array(String), lead Nullable(Int64))
              ENGINE = MergeTree ORDER BY (repo, id)`,
    })
    await c.insert({
      table,
      format: 'JSONEachRow',
      values: [
        { id: 1, repo: 'a/b', at: '2024-01-02 03:04:05', tags: ['x'], lead: null },
        { id: 2, repo: 'a/b', at: '2024-01-02 03:04:06', tags: [], lead: 3600 },
        // 64-bit ids may be sent as strings (18.16 accepts quoted integers)
        { id: '18446744073709551615', repo: 'c/d', at: '2024-01-02 03:04:07', tags: ['y', 'z'], lead: -1 },
      ],
    })
    const rows = await (
      await c.query({ query: `SELECT id, repo, at, tags, lead FROM ${table} ORDER BY id`, format: 'JSONEachRow' })
    ).json<{ id: string; repo: string; at: string; tags: string[]; lead: string | null }>()
    // (U)Int64 come back quoted (output_format_json_quote_64bit_integers=1 default)
    expect(rows).toEqual([
      { id: '1', repo: 'a/b', at: '2024-01-02 03:04:05', tags: ['x'], lead: null },
      { id: '2', repo: 'a/b', at: '2024-01-02 03:04:06', tags: [], lead: '3600' },
      { id: '18446744073709551615', repo: 'c/d', at: '2024-01-02 03:04:07', tags: ['y', 'z'], lead: '-1' },
    ])
    const agg = await (
      await c.query({
        query: `SELECT repo, count() AS n FROM ${table} GROUP BY repo ORDER BY repo`,
        format: 'JSONEachRow',
      })
    ).json<{ repo: string; n: string }>()
    expect(agg).toEqual([
      { repo: 'a/b', n: '2' },
      { repo: 'c/d', n: '1' },
    ])
  })
})
