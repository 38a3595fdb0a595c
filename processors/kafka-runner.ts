/**
 * The processor in scale-out mode: replicas form one Kafka consumer group on
 * the topic; each batch of a partition goes through the same
 * `processEnvelopes` as the embedded processor, and its offset is committed
 * only after ClickHouse accepted every write.
 *
 * - Auto-commit and auto-resolve are off: an offset moves only in
 *   `commitOffsets` after `processEnvelopes` returned. A crash, a kill -9 or a
 *   rebalance before that leaves the batch uncommitted; the partition's next
 *   owner reads it again, and processing is idempotent (facts keyed by
 *   identity, derived rows of the touched services rebuilt from all their
 *   facts in ClickHouse). So taking over a partition needs no local state:
 *   the state is rebuilt from ClickHouse for every batch.
 * - ClickHouse down (retriable DbError): the batch is retried with
 *   exponential backoff inside `eachBatch` while heartbeating, so the member
 *   stays in the group and nothing is committed; processing resumes where it
 *   stopped when the server answers. A rebalance meanwhile (heartbeat throws)
 *   abandons the batch uncommitted.
 * - One writer per service: messages are keyed by service group
 *   (log/kafka-codec.ts `partitionKey`), a partition has one owner, and a
 *   member runs one `processEnvelopes` at a time, so no two replicas
 *   delete+insert the same service's rows concurrently.
 * - The partitions of one fetch are handed in concurrently and processed as
 *   one batch (processors/coalesce.ts): a batch's fixed cost (the services'
 *   facts read back, the derived rows replaced) is paid once per fetch, not
 *   once per partition — at a few hundred deliveries a second over six
 *   partitions that cost was most of the freshness. Each partition's offset
 *   is still committed only after the batch that held its messages.
 */
import type { Consumer, EachBatchPayload } from 'kafkajs'
import type { Logger } from 'pino'
import type { Db } from '../clickhouse/client.ts'
import { DbError } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { LoggedEnvelope } from '../contracts/envelope.ts'
import { ensureTopic, kafkaClient } from '../log/kafka-client.ts'
import { decodeEnvelope } from '../log/kafka-codec.ts'
import { undecodable } from '../log/kafka.ts'
import { Coalescer } from './coalesce.ts'
import { processEnvelopes, type BatchResult, type EnvelopesResult, type ProcessorHooks, type RunningProcessor } from './processor.ts'

export interface KafkaProcessorOptions {
  config: Config
  db: Db
  logger: Logger
  hooks?: ProcessorHooks
}

export interface KafkaRunningProcessor extends RunningProcessor {
  /** Batches committed by this member since start. */
  readonly committedBatches: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** kafkajs message → the log-independent shape processEnvelopes takes. Offsets are per partition, monotonic. */
function toLogged(topic: string, partition: number, m: EachBatchPayload['batch']['messages'][number]): LoggedEnvelope {
  try {
    return { offset: Number(m.offset), envelope: decodeEnvelope(m) }
  } catch (e) {
    return { offset: Number(m.offset), envelope: undecodable(topic, partition, m.offset, m.value, (e as Error).message) }
  }
}

export async function startKafkaProcessor(opts: KafkaProcessorOptions): Promise<KafkaRunningProcessor> {
  const { config, db, logger } = opts
  const hooks: ProcessorHooks = opts.hooks ?? {}
  const kafka = kafkaClient(config, { logger, suffix: 'processor' })
  const topic = config.log.topic
  let stopped = false
  let lastError: Error | null = null
  let committedBatches = 0
  let consumer: Consumer | null = null
  // One run at a time for this member, over what every partition handed in meanwhile.
  const none = (): EnvelopesResult => ({ facts: 0, dropped: 0, deadLettered: 0, deadLetterCodes: {}, dropCodes: {}, services: [] })
  const batches = new Coalescer<LoggedEnvelope, EnvelopesResult>((envelopes) => processEnvelopes(envelopes, db, config, logger), none, 4 * config.processor.batchSize)

  const eachBatch = async ({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> => {
    const all = batch.messages.map((m) => toLogged(topic, batch.partition, m))
    for (let i = 0; i < all.length; i += config.processor.batchSize) {
      const chunk = all.slice(i, i + config.processor.batchSize)
      let backoff = 0
      for (;;) {
        if (!isRunning() || isStale()) return // stopping or rebalanced: leave it uncommitted
        try {
          const r = await batches.submit(chunk)
          const result: BatchResult = { read: chunk.length, ...r, committedOffset: chunk[chunk.length - 1]!.offset }
          await hooks.beforeCommit?.(result)
          const next = String(result.committedOffset + 1)
          // Explicit commit of this partition only, after ClickHouse accepted the writes.
          await consumer!.commitOffsets([{ topic, partition: batch.partition, offset: next }])
          resolveOffset(String(result.committedOffset))
          committedBatches++
          lastError = null
          hooks.onBatch?.(result)
          logger.debug({ partition: batch.partition, read: r.facts, dead: r.deadLettered, services: r.services.length, offset: next }, 'batch processed and committed')
          break
        } catch (e) {
          if (!(e instanceof DbError)) throw e // Kafka errors (rebalance, coordinator): kafkajs rejoins; the batch stays uncommitted
          lastError = e
          backoff = Math.min(10_000, backoff ? backoff * 2 : 250)
          const log = e.retriable ? logger.warn.bind(logger) : logger.error.bind(logger)
          log({ err: e.message, code: e.code, retriable: e.retriable, partition: batch.partition, retryInMs: backoff }, 'ClickHouse did not accept the batch: pausing, no offset committed')
          // Pause without leaving the group: heartbeat while waiting (a rebalance makes heartbeat throw).
          for (let waited = 0; waited < backoff && isRunning(); waited += 250) {
            await sleep(250)
            await heartbeat()
          }
        }
      }
      await heartbeat()
    }
  }

  const run = async (): Promise<void> => {
    let backoff = 0
    while (!stopped) {
      const c = kafka.consumer({
        groupId: config.processor.group,
        sessionTimeout: 10_000,
        rebalanceTimeout: 30_000,
        heartbeatInterval: 1000,
        allowAutoTopicCreation: false,
        maxBytesPerPartition: 4 * 1024 * 1024,
        maxWaitTimeInMs: 1000, // a fetch returns within 1 s, so SIGTERM's disconnect is quick
        retry: { retries: 10, initialRetryTime: 200, maxRetryTime: 5000 },
      })
      consumer = c
      try {
        const admin = kafka.admin()
        await admin.connect()
        try {
          await ensureTopic(admin, config)
        } finally {
          await admin.disconnect()
        }
        await c.connect()
        await c.subscribe({ topic, fromBeginning: true })
        const crashed = new Promise<Error>((resolve) => {
          c.on(c.events.CRASH, ({ payload }) => {
            if (!payload.restart) resolve(payload.error)
          })
        })
        // Every partition of a fetch at once: their batches are coalesced into one run (above).
        await c.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: Math.max(1, config.log.partitions), eachBatch })
        backoff = 0
        const err = await Promise.race([crashed, stopping])
        if (err) throw err
      } catch (e) {
        if (stopped) break
        lastError = e as Error
        backoff = Math.min(10_000, backoff ? backoff * 2 : 500)
        logger.warn({ err: (e as Error).message, retryInMs: backoff }, 'Kafka consumer stopped; reconnecting')
        await c.disconnect().catch(() => {})
        await sleep(backoff)
      }
    }
  }

  let signalStop: () => void = () => {}
  const stopping = new Promise<null>((resolve) => (signalStop = () => resolve(null)))
  const loop = run()

  return {
    get lastError() {
      return lastError
    },
    get committedBatches() {
      return committedBatches
    },
    // The consumer is pushed new records by the broker: nothing to wake.
    wake: () => {},
    /** Resolves once the group's committed offsets reach the topic's high watermarks as of the call. */
    drain: async () => {
      const admin = kafka.admin()
      await admin.connect()
      try {
        const head = await admin.fetchTopicOffsets(topic)
        for (;;) {
          const done = await admin.fetchOffsets({ groupId: config.processor.group, topics: [topic] })
          const committed = new Map(done[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? [])
          if (head.every((h) => Number(h.high) <= Number(h.low) || (committed.get(h.partition) ?? -1) >= Number(h.high))) return
          await sleep(100)
        }
      } finally {
        await admin.disconnect()
      }
    },
    stop: async () => {
      stopped = true
      signalStop()
      // disconnect waits for the batch in flight (commit included) and leaves the group at once.
      await consumer?.disconnect().catch(() => {})
      await loop
    },
  }
}
