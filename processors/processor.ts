import type { Logger } from 'pino'
import type { Db } from '../clickhouse/client.ts'
import { DbError } from '../clickhouse/client.ts'
import type { Config } from '../config/schema.ts'
import type { LoggedEnvelope } from '../contracts/envelope.ts'
import type { EventLog } from '../log/types.ts'
import { LogError } from '../log/types.ts'
import { processIsolating } from './isolate.ts'
import { countByCode, parseBatch } from './parse-batch.ts'
import type { DeadLetterCode, DropCode } from '../contracts/events.ts'
import { correctionTargetRoutings } from './correction-targets.ts'
import { recompute } from './recompute.ts'
import { refreshFreezes, touchesFreezes } from './releases/store.ts'

export interface BatchResult {
  read: number
  facts: number
  dropped: number
  deadLettered: number
  /** Dead letters and drops by reason code (contracts/events.ts DEAD_LETTER_CODES, DROP_CODES). */
  deadLetterCodes: Partial<Record<DeadLetterCode, number>>
  dropCodes: Partial<Record<DropCode, number>>
  services: string[]
  committedOffset: number
}

export interface ProcessorHooks {
  /** Called after ClickHouse accepted a batch's writes and before its offset is committed (fault tests). */
  beforeCommit?: (r: BatchResult) => void | Promise<void>
  onBatch?: (r: BatchResult) => void
}

/**
 * Hands the event loop back (HTTP requests, group commits) between slices of
 * synchronous work: the processor shares the loop with ingest, and a whole
 * batch parsed or projected in one go held requests for 100–200 ms.
 */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Envelopes parsed (or read from the log) between two yields: ≈ 1 MB of JSON, a few ms. */
export const SLICE = 64

export interface EnvelopesResult {
  facts: number
  dropped: number
  deadLettered: number
  deadLetterCodes: Partial<Record<DeadLetterCode, number>>
  dropCodes: Partial<Record<DropCode, number>>
  services: string[]
}

/**
 * The processing steps for a batch, whatever log it came from: parse →
 * facts and dead letters into ClickHouse → recompute the services touched.
 * Idempotent: running it twice on the same envelopes changes nothing, so a
 * batch whose offsets were not committed can always be processed again.
 * An envelope whose rows ClickHouse refuses is found and dead-lettered
 * (isolate.ts); an unreachable ClickHouse fails the batch, to be retried.
 */
export async function processEnvelopes(batch: readonly LoggedEnvelope[], db: Db, config: Config, logger?: Logger): Promise<EnvelopesResult> {
  const { results, quarantined } = await processIsolating(batch, db, config, (part) => processEnvelopesOnce(part, db, config), logger)
  const services = new Set<string>()
  for (const r of results) for (const s of r.services) services.add(s)
  const deadLetterCodes: Partial<Record<DeadLetterCode, number>> = quarantined.length ? { refused_by_clickhouse: quarantined.length } : {}
  const dropCodes: Partial<Record<DropCode, number>> = {}
  for (const r of results) {
    addCounts(deadLetterCodes, r.deadLetterCodes)
    addCounts(dropCodes, r.dropCodes)
  }
  return {
    facts: results.reduce((n, r) => n + r.facts, 0),
    dropped: results.reduce((n, r) => n + r.dropped, 0),
    deadLettered: results.reduce((n, r) => n + r.deadLettered, 0) + quarantined.length,
    deadLetterCodes,
    dropCodes,
    services: [...services].sort(),
  }
}

function addCounts<K extends string>(into: Partial<Record<K, number>>, more: Partial<Record<K, number>>): void {
  for (const [k, n] of Object.entries(more) as [K, number][]) into[k] = (into[k] ?? 0) + n
}

/** One try at the steps, without isolation (a failure fails the whole batch). */
async function processEnvelopesOnce(batch: readonly LoggedEnvelope[], db: Db, config: Config): Promise<EnvelopesResult> {
  const { facts, dead, annotations, routings, dropped, dropCodes } = await parseBatch(batch, { every: SLICE, run: yieldToLoop })
  await db.insert('facts', facts)
  await db.insert('dead_letters', dead)
  await db.insert('annotations', annotations)
  const services = await recompute(db, config, [...routings, ...(await correctionTargetRoutings(db, facts))])
  if (touchesFreezes(annotations)) await refreshFreezes(db, config)
  return { facts: facts.length, dropped, deadLettered: dead.length, deadLetterCodes: countByCode(dead), dropCodes, services }
}

/**
 * One step on an offset-ordered log (embedded): read a batch after the
 * committed offset, process it, then commit. The offset moves only after
 * ClickHouse accepted every write, so a crash anywhere replays the batch.
 */
export async function processBatch(log: EventLog, db: Db, config: Config, hooks: ProcessorHooks = {}, logger?: Logger): Promise<BatchResult> {
  const group = config.processor.group
  const after = await log.committedOffset(group)
  // Read in slices, yielding between them: the embedded log parses every row it returns synchronously.
  const batch: LoggedEnvelope[] = []
  for (let from = after; batch.length < config.processor.batchSize; ) {
    const slice = await log.read(from, Math.min(SLICE, config.processor.batchSize - batch.length))
    for (const e of slice) batch.push(e)
    if (slice.length < SLICE) break
    from = slice[slice.length - 1]!.offset
    await yieldToLoop()
  }
  if (batch.length === 0) return { read: 0, facts: 0, dropped: 0, deadLettered: 0, deadLetterCodes: {}, dropCodes: {}, services: [], committedOffset: after }
  const r = await processEnvelopes(batch, db, config, logger)
  const result: BatchResult = { read: batch.length, ...r, committedOffset: batch[batch.length - 1]!.offset }
  await hooks.beforeCommit?.(result)
  await log.commit(group, result.committedOffset)
  hooks.onBatch?.(result)
  return result
}

export interface RunningProcessor {
  /** Resolves once everything in the log at call time is processed (tests, CLI). */
  drain(): Promise<void>
  /** Another process appended: read now instead of at the next poll. */
  wake(): void
  stop(): Promise<void>
  readonly lastError: Error | null
}

const isRetriable = (e: unknown) => (e instanceof DbError || e instanceof LogError ? e.retriable : false)

/**
 * Runs processBatch in a loop: woken by appends in this process, or polling
 * (another process may append). Infrastructure errors pause with backoff and
 * retry the same batch; nothing is committed meanwhile.
 */
export function startProcessor(deps: { log: EventLog & { onAppend?: (l: () => void) => () => void }; db: Db; config: Config; logger: Logger; hooks?: ProcessorHooks }): RunningProcessor {
  const { log, db, config, logger } = deps
  let stopped = false
  let wake: (() => void) | null = null
  let lastError: Error | null = null
  let backoff = 0
  const waiters: (() => void)[] = []
  const unsubscribe = log.onAppend?.(() => wake?.())

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms)
      function done() {
        clearTimeout(t)
        wake = null
        resolve()
      }
      wake = done
    })

  const loop = (async () => {
    while (!stopped) {
      try {
        const r = await processBatch(log, db, config, deps.hooks, logger)
        lastError = null
        backoff = 0
        if (r.read > 0) {
          logger.debug({ read: r.read, facts: r.facts, dead: r.deadLettered, services: r.services.length, offset: r.committedOffset }, 'batch processed')
          continue
        }
        while (waiters.length) waiters.shift()!()
        await sleep(config.processor.pollIntervalMs)
      } catch (e) {
        lastError = e as Error
        backoff = Math.min(30_000, backoff ? backoff * 2 : 250)
        logger.warn({ err: (e as Error).message, retriable: isRetriable(e), retryInMs: backoff }, 'processing paused; the batch will be retried, no offset committed')
        await sleep(backoff)
      }
    }
  })()

  return {
    get lastError() {
      return lastError
    },
    wake: () => wake?.(),
    drain: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve)
        wake?.()
      }),
    stop: async () => {
      stopped = true
      unsubscribe?.()
      wake?.()
      await loop
      while (waiters.length) waiters.shift()!()
    },
  }
}
