/**
 * Kafka mode: the ingest stage's measurements (max rate vs the same-run ceiling,
 * p99 at a fixed rate, kill -9 durability, freshness) against `doraflow serve`
 * with `log.kind: kafka` on a real broker (`bash scripts/services.sh up`:
 * localhost:19092), embedded ClickHouse. Every serve gets a fresh topic and
 * consumer group, so runs never see each other's events or group members.
 */
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { loadConfig } from '../../config/load.ts'
import { openKafkaLog } from '../../log/kafka.ts'
import { measureCeiling, measureServe, writePool, type Ceiling, type IngestOptions, type ServeMode } from './ingest.ts'

export const KAFKA_BROKER = process.env.DORAFLOW_BENCH_KAFKA ?? 'localhost:19092'

/** null when the broker answers a metadata request within `timeoutMs`, else why not. */
export async function kafkaUnavailable(broker = KAFKA_BROKER, timeoutMs = 5000): Promise<string | null> {
  const admin = new Kafka({ clientId: 'doraflow-bench-probe', brokers: [broker], connectionTimeout: timeoutMs, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      (async () => {
        await admin.connect()
        await admin.describeCluster()
      })(),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
    ])
    return null
  } catch (e) {
    return `Kafka broker ${broker} does not answer (${(e as Error).message}); start it with \`bash scripts/services.sh up\``
  } finally {
    clearTimeout(timer)
    await admin.disconnect().catch(() => {})
  }
}

export function kafkaMode(broker = KAFKA_BROKER, partitions = 6): ServeMode & { topics: string[] } {
  const run = randomUUID().slice(0, 8)
  const topics: string[] = []
  return {
    topics,
    config: (dir) => {
      const topic = `doraflow-bench-${run}-${topics.length}`
      topics.push(topic)
      return {
        log: ['kind: kafka', `brokers: [${broker}]`, `topic: ${topic}`, `partitions: ${partitions}`, 'replicationFactor: 1', `spoolPath: ${join(dir, 'spool')}`],
        extra: `processor:\n  group: ${topic}\n`,
      }
    },
    // What the broker holds after kill -9. A delivery answered 2xx while the broker was slow sits in
    // serve's spool (durable on disk too): forward it first, so `stored` counts both.
    stored: async (_dir, file) => {
      const { config } = loadConfig(file, process.env)
      const log = await openKafkaLog(config)
      try {
        const spoolDepthAtOpen = log.state().spoolDepth
        if (spoolDepthAtOpen > 0) await log.forwardNow()
        return { stored: await log.headOffset(), spoolDepthAtOpen, topic: config.log.topic }
      } finally {
        await log.close()
      }
    },
  }
}

/** Deletes the bench's topics (best effort): they are fresh per run and hold ≈ 10 KB per request. */
async function deleteTopics(broker: string, topics: string[]): Promise<string | null> {
  if (topics.length === 0) return null
  const admin = new Kafka({ clientId: 'doraflow-bench-cleanup', brokers: [broker], logLevel: logLevel.NOTHING }).admin()
  try {
    await admin.connect()
    await admin.deleteTopics({ topics, timeout: 10_000 })
    return null
  } catch (e) {
    return (e as Error).message
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

/** `ceiling`: the ingest stage's ceiling of the same run, when it ran; otherwise measured here. */
export async function benchKafka(o: IngestOptions & { broker?: string; ceiling?: Ceiling }) {
  const broker = o.broker ?? KAFKA_BROKER
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-bench-kafka-'))
  const mode = kafkaMode(broker)
  try {
    const pool = writePool(dir, o.repos, o.pool)
    const ceiling = o.ceiling ? { ...o.ceiling, ceilingFrom: 'ingest stage' } : { ...(await measureCeiling(pool, o)), ceilingFrom: 'kafka stage' }
    const served = await measureServe(dir, pool, o, mode, 'k')
    return { broker, topics: [...mode.topics], ...ceiling, ...served }
  } finally {
    const err = await deleteTopics(broker, mode.topics)
    if (err) process.stderr.write(`kafka: could not delete topics ${mode.topics.join(', ')}: ${err}\n`)
    rmSync(dir, { recursive: true, force: true })
  }
}
