/**
 * The Kafka event log (scale-out mode).
 *
 * Write side (ingest): envelopes become CloudEvents in binary mode
 * (log/kafka-codec.ts), keyed by service group, sent by an idempotent
 * producer with acks=all (-1) and one request in flight. `append` resolves
 * only after the broker acknowledged — or, when the broker is unreachable or
 * slower than `appendTimeoutMs`, after the envelope is fsync'd into the local
 * spool (log/spool.ts). A forwarder drains the spool to Kafka in order when
 * the broker answers again; while the spool holds anything, new appends go
 * to the spool too, so the spool is drained before direct writes resume.
 * Delivery to Kafka is at-least-once (a timed-out send may still land);
 * duplicates collapse downstream (deterministic envelope ids, keyed facts).
 *
 * Read side: processors do not use `read`/`commit`; they are a consumer
 * group (processors/kafka-runner.ts). `read` + `commit` here serve
 * `replay`: a sequential snapshot of the topic from the earliest offset up
 * to the high watermarks at the first read, with synthetic global offsets;
 * committing the last one moves the processor group to those watermarks.
 * `headOffset` / `committedOffset` are sums over partitions, so
 * head - committed is the processor lag in events.
 */
import { randomUUID } from 'node:crypto'
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs'
import { Partitioners } from 'kafkajs'
import type { Logger } from 'pino'
import type { Config } from '../config/schema.ts'
import type { Envelope, LoggedEnvelope } from '../contracts/envelope.ts'
import { decodeEnvelope, encodeEnvelope, partitionKey } from './kafka-codec.ts'
import { ensureTopic, kafkaClient } from './kafka-client.ts'
import { openSpool, spoolExists, type Spool } from './spool.ts'
import { LogError, type AppendResult, type EventLog } from './types.ts'

export interface KafkaLogOptions {
  logger?: Logger
  /** How long an append waits for the broker's ack before spooling (ms). */
  appendTimeoutMs?: number
  /** Forwarder wake-up interval while the spool holds envelopes (ms). */
  forwardIntervalMs?: number
  /** Envelopes per producer request. */
  maxBatch?: number
  /**
   * false: this process never appends (a processor of its own), so it leaves the spool to the
   * ingest process that owns it (the two sharing a data folder, as a split serve does, must not
   * both forward it). Default true.
   */
  forwardSpool?: boolean
}

export interface KafkaLogState {
  /** direct: appends go to Kafka; spooling: to the local spool until it is drained. */
  mode: 'direct' | 'spooling'
  broker: 'up' | 'down' | 'unknown'
  spoolDepth: number
  forwardLagSeconds: number
  lastError: string | null
}

export interface KafkaLog extends EventLog {
  readonly kind: 'kafka'
  readonly kafka: Kafka
  state(): KafkaLogState
  /** Forwards what the spool holds now (tests, shutdown). Resolves when the spool is empty or the attempt failed. */
  forwardNow(): Promise<boolean>
}

interface Pending {
  envelope: Envelope
  resolve: (r: AppendResult) => void
  reject: (e: unknown) => void
}

class TimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${what}: no broker ack within ${ms} ms`)), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

export async function openKafkaLog(config: Config, opts: KafkaLogOptions = {}): Promise<KafkaLog> {
  const log = new KafkaEventLog(config, opts)
  await log.start()
  return log
}

class KafkaEventLog implements KafkaLog {
  readonly kind = 'kafka' as const
  readonly kafka: Kafka
  readonly #config: Config
  readonly #logger: Logger | undefined
  readonly #timeoutMs: number
  readonly #forwardMs: number
  readonly #maxBatch: number
  readonly #forwardSpool: boolean
  #producer: Producer | null = null
  #producerReady: Promise<Producer> | null = null
  #admin: Admin | null = null
  #adminReady: Promise<Admin> | null = null
  #topicReady = false
  #spool: Spool | null = null
  #mode: 'direct' | 'spooling' = 'direct'
  #broker: KafkaLogState['broker'] = 'unknown'
  #lastError: string | null = null
  #queue: Pending[] = []
  #sending = false
  #closed = false
  #forwarding: Promise<boolean> | null = null
  #timer: NodeJS.Timeout | null = null
  #snapshot: Snapshot | null = null

  constructor(config: Config, opts: KafkaLogOptions) {
    this.#config = config
    this.#logger = opts.logger
    this.#timeoutMs = opts.appendTimeoutMs ?? 3000
    this.#forwardMs = opts.forwardIntervalMs ?? 500
    this.#maxBatch = opts.maxBatch ?? 500
    this.#forwardSpool = opts.forwardSpool ?? true
    this.kafka = kafkaClient(config, { logger: opts.logger })
  }

  async start(): Promise<void> {
    if (!this.#forwardSpool) return
    // A spool left by a previous run (broker was down at shutdown) is forwarded first.
    if (spoolExists(this.#config.log.spoolPath)) {
      const spool = this.#openSpool()
      if (spool.depth() > 0) {
        this.#mode = 'spooling'
        this.#logger?.warn({ depth: spool.depth(), spool: spool.path }, 'forwarding envelopes spooled by a previous run')
      }
    }
    this.#schedule(0)
  }

  // ---- producer / admin, connected lazily so ingest starts while the broker is down

  #getProducer(): Promise<Producer> {
    if (!this.#producerReady) {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      })
      this.#producer = producer
      this.#producerReady = (async () => {
        await producer.connect()
        if (!this.#topicReady) {
          await ensureTopic(await this.#getAdmin(), this.#config)
          this.#topicReady = true
        }
        return producer
      })()
      this.#producerReady.catch(() => this.#resetProducer())
    }
    return this.#producerReady
  }

  /**
   * After a failed or timed-out send the idempotent producer's sequence
   * numbers may no longer match the broker's: start over with a new producer
   * id rather than risk OUT_OF_ORDER_SEQUENCE_NUMBER forever.
   */
  #resetProducer(): void {
    const old = this.#producer
    this.#producer = null
    this.#producerReady = null
    if (old) void old.disconnect().catch(() => {})
  }

  #getAdmin(): Promise<Admin> {
    if (!this.#adminReady) {
      const admin = this.kafka.admin()
      this.#admin = admin
      this.#adminReady = admin.connect().then(() => admin)
      this.#adminReady.catch(() => {
        this.#admin = null
        this.#adminReady = null
        void admin.disconnect().catch(() => {})
      })
    }
    return this.#adminReady
  }

  async #send(envelopes: readonly Envelope[]): Promise<AppendResult[]> {
    const producer = await this.#getProducer()
    const messages = envelopes.map((e) => encodeEnvelope(e, partitionKey(e, this.#config)))
    const meta = await producer.send({ topic: this.#config.log.topic, acks: -1, messages })
    this.#broker = 'up'
    this.#lastError = null
    // kafkajs reports one record per partition (base offset); the offset is informational for ingest.
    const offset = Number(meta[0]?.baseOffset ?? 0)
    return envelopes.map((e) => ({ id: e.id, duplicate: false, offset }))
  }

  #openSpool(): Spool {
    this.#spool ??= openSpool(this.#config.log.spoolPath)
    return this.#spool
  }

  // ---- append: group commit to Kafka, else the spool

  append(envelope: Envelope): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(new LogError('event log is closed', false))
    return new Promise((resolve, reject) => {
      this.#queue.push({ envelope, resolve, reject })
      this.#pump()
    })
  }

  #direct(): boolean {
    return this.#mode === 'direct' && (this.#spool?.depth() ?? 0) === 0
  }

  #pump(): void {
    if (this.#sending || this.#queue.length === 0) return
    this.#sending = true
    const batch = this.#queue.splice(0, this.#maxBatch)
    void this.#write(batch).finally(() => {
      this.#sending = false
      this.#pump()
    })
  }

  async #write(batch: Pending[]): Promise<void> {
    if (this.#direct()) {
      try {
        const results = await withTimeout(this.#send(batch.map((p) => p.envelope)), this.#timeoutMs, `append of ${batch.length}`)
        batch.forEach((p, i) => p.resolve(results[i]!))
        return
      } catch (e) {
        this.#enterSpooling(e)
      }
    }
    try {
      const spool = this.#openSpool()
      const results = await Promise.all(batch.map((p) => spool.append(p.envelope)))
      batch.forEach((p, i) => p.resolve(results[i]!))
      this.#schedule(this.#forwardMs)
    } catch (e) {
      const err = e instanceof LogError ? e : new LogError(`spool append failed: ${(e as Error).message}`, true, { cause: e })
      for (const p of batch) p.reject(err)
    }
  }

  #enterSpooling(e: unknown): void {
    this.#resetProducer()
    this.#broker = 'down'
    this.#lastError = (e as Error).message
    if (this.#mode !== 'spooling') this.#logger?.warn({ err: this.#lastError, spool: this.#config.log.spoolPath }, 'Kafka unreachable or slow: spooling deliveries locally until it answers')
    this.#mode = 'spooling'
  }

  // ---- forwarder

  #schedule(ms: number): void {
    if (this.#closed || this.#timer) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      void this.forwardNow().then((ok) => {
        if (this.#spool && (this.#spool.depth() > 0 || this.#mode === 'spooling')) this.#schedule(ok ? 0 : Math.max(this.#forwardMs, 1000))
      })
    }, ms)
    this.#timer.unref()
  }

  forwardNow(): Promise<boolean> {
    this.#forwarding ??= this.#forward().finally(() => (this.#forwarding = null))
    return this.#forwarding
  }

  async #forward(): Promise<boolean> {
    const spool = this.#spool
    if (!spool) return true
    try {
      for (;;) {
        const batch = await spool.pending(this.#maxBatch)
        if (batch.length === 0) break
        await withTimeout(this.#send(batch.map((b) => b.envelope)), Math.max(this.#timeoutMs, 10_000), `forward of ${batch.length}`)
        await spool.forwarded(batch[batch.length - 1]!.offset)
      }
      if (this.#mode === 'spooling') this.#logger?.info('spool drained: appending to Kafka directly again')
      this.#mode = 'direct'
      return true
    } catch (e) {
      this.#enterSpooling(e)
      return false
    }
  }

  state(): KafkaLogState {
    return {
      mode: this.#mode,
      broker: this.#broker,
      spoolDepth: this.#spool?.depth() ?? 0,
      forwardLagSeconds: this.#spool?.lagSeconds() ?? 0,
      lastError: this.#lastError,
    }
  }

  /** Ready to take an append: the broker acked recently, or the spool can be written. */
  async healthy(): Promise<boolean> {
    if (this.#closed) return false
    if (this.#direct() && this.#broker === 'up') return true
    try {
      return await this.#openSpool().healthy()
    } catch {
      return false
    }
  }

  // ---- offsets (admin), for the lag gauge and replay

  async #adminCall<T>(what: string, f: (admin: Admin) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        this.#getAdmin().then((a) => f(a)),
        10_000,
        what,
      )
    } catch (e) {
      throw new LogError(`${what} failed: ${(e as Error).message}`, true, { cause: e })
    }
  }

  async #watermarks(): Promise<{ partition: number; low: number; high: number }[]> {
    const offsets = await this.#adminCall('fetchTopicOffsets', (a) => a.fetchTopicOffsets(this.#config.log.topic))
    return offsets.map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }))
  }

  async headOffset(): Promise<number> {
    return (await this.#watermarks()).reduce((s, p) => s + p.high, 0)
  }

  async committedOffset(group: string): Promise<number> {
    const res = await this.#adminCall('fetchOffsets', (a) => a.fetchOffsets({ groupId: group, topics: [this.#config.log.topic] }))
    let sum = 0
    for (const t of res) for (const p of t.partitions) sum += Math.max(0, Number(p.offset))
    return sum
  }

  async read(afterOffset: number, limit: number): Promise<LoggedEnvelope[]> {
    if (afterOffset === 0 || !this.#snapshot) {
      await this.#snapshot?.close()
      this.#snapshot = new Snapshot(this.kafka, this.#config, await this.#watermarks())
      await this.#snapshot.start()
    }
    if (afterOffset !== this.#snapshot.position) {
      throw new LogError(`Kafka log: read after ${afterOffset} but the snapshot reader is at ${this.#snapshot.position}; read sequentially from 0`, false)
    }
    return this.#snapshot.next(limit)
  }

  /** Only at the end of a snapshot read (replay): moves the group to the snapshot's watermarks. */
  async commit(group: string, offset: number): Promise<void> {
    const snap = this.#snapshot
    if (!snap || offset !== snap.position || !snap.finished) {
      throw new LogError(`Kafka log: commit(${group}, ${offset}) is only valid at the end of a replay read; processors commit through their consumer group`, false)
    }
    const partitions = snap.ends.map((p) => ({ partition: p.partition, offset: String(p.high) }))
    await snap.close()
    this.#snapshot = null
    await this.#adminCall('setOffsets', (a) => a.setOffsets({ groupId: group, topic: this.#config.log.topic, partitions })).catch((e: LogError) => {
      throw new LogError(`${e.message} (stop every \`doraflow process\` replica before a replay: Kafka only moves the offsets of an empty group)`, false, { cause: e })
    })
  }

  async close(): Promise<void> {
    if (this.#closed) return
    // Flush: what callers already handed us still settles (to Kafka or the spool).
    while (this.#sending || this.#queue.length) await new Promise((r) => setTimeout(r, 10))
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#spool && this.#spool.depth() > 0 && this.#broker !== 'down') await withTimeout(this.forwardNow(), 3000, 'final forward').catch(() => false)
    else await this.#forwarding
    this.#closed = true
    await this.#snapshot?.close()
    if (this.#spool && this.#spool.depth() > 0) this.#logger?.warn({ depth: this.#spool.depth(), spool: this.#spool.path }, 'stopping with envelopes still spooled: they are forwarded at the next start')
    await this.#spool?.close()
    this.#spool = null
    const producer = this.#producer
    this.#producer = null
    await producer?.disconnect().catch(() => {})
    await this.#admin?.disconnect().catch(() => {})
  }
}

/**
 * Reads the whole topic once, from each partition's earliest offset up to
 * its high watermark at the start, through a throwaway consumer group.
 */
class Snapshot {
  position = 0
  readonly ends: { partition: number; low: number; high: number }[]
  #consumer: Consumer
  #buffer: LoggedEnvelope[] = []
  #open: Set<number>
  #wake: (() => void) | null = null
  #groupId: string
  #error: Error | null = null

  constructor(
    kafka: Kafka,
    private readonly config: Config,
    ends: { partition: number; low: number; high: number }[],
  ) {
    this.ends = ends
    this.#open = new Set(ends.filter((p) => p.high > p.low).map((p) => p.partition))
    this.#groupId = `${config.processor.group}-replay-${randomUUID()}`
    this.#consumer = kafka.consumer({ groupId: this.#groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000 })
  }

  get finished(): boolean {
    return this.#open.size === 0 && this.#buffer.length === 0
  }

  async start(): Promise<void> {
    if (this.#open.size === 0) return
    const end = new Map(this.ends.map((p) => [p.partition, p.high]))
    await this.#consumer.connect()
    await this.#consumer.subscribe({ topic: this.config.log.topic, fromBeginning: true })
    await this.#consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat, isRunning }) => {
        const stop = end.get(batch.partition) ?? 0
        for (const m of batch.messages) {
          const off = Number(m.offset)
          if (off >= stop) break
          let envelope: Envelope
          try {
            envelope = decodeEnvelope(m)
          } catch (e) {
            envelope = undecodable(this.config.log.topic, batch.partition, m.offset, m.value, (e as Error).message)
          }
          this.#buffer.push({ offset: 0, envelope })
        }
        const last = Number(batch.lastOffset())
        if (last + 1 >= stop) this.#open.delete(batch.partition)
        this.#wake?.()
        // Back-pressure: hold the fetch loop while the reader is behind.
        while (this.#buffer.length > 20_000 && isRunning()) {
          await new Promise((r) => setTimeout(r, 50))
          await heartbeat()
        }
      },
    })
  }

  async next(limit: number): Promise<LoggedEnvelope[]> {
    while (this.#buffer.length < limit && this.#open.size > 0) {
      if (this.#error) throw this.#error
      await new Promise<void>((resolve) => {
        this.#wake = resolve
        setTimeout(resolve, 200)
      })
      this.#wake = null
    }
    const out = this.#buffer.splice(0, limit)
    for (const e of out) e.offset = ++this.position
    return out
  }

  async close(): Promise<void> {
    await this.#consumer.disconnect().catch(() => {})
  }
}

/**
 * A message that is not one of our CloudEvents (written by another tool,
 * or corrupted): an envelope no parser accepts, so it becomes a dead letter
 * with its raw bytes instead of stopping the stream.
 */
export function undecodable(topic: string, partition: number, offset: string, value: Buffer | null, reason: string): Envelope {
  return {
    specversion: '1.0',
    id: `kafka:${topic}/${partition}/${offset}`,
    source: `kafka://${topic}/${partition}`,
    type: 'dev.doraflow.undecodable',
    time: new Date(0).toISOString(),
    subject: 'undecodable',
    datacontenttype: 'application/json',
    doraflowsource: 'undecodable' as Envelope['doraflowsource'],
    doraflowheaders: { 'x-doraflow-decode-error': reason },
    data: value ? value.toString('utf8') : '',
  }
}
