/**
 * The running side: stores, last delivery per source, dead letters, processor lag.
 * With a serve answering on the configured port, it is asked over HTTP (the embedded
 * ClickHouse allows one process per data folder); otherwise the stores are opened here.
 */
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Config } from '../config/schema.ts'
import { findRunningServer, type RunningServer } from '../cli/discover.ts'
import { inspectEmbeddedLog, type LogSnapshot } from '../log/embedded-inspect.ts'
import { listDeadLetters } from '../queries/dead-letters.ts'
import { readBacklog } from '../server/lag.ts'
import { openClickHouse } from '../clickhouse/client.ts'
import { migrate } from '../clickhouse/migrations.ts'
import { check, guarded, type Check } from './check.ts'
import { deadLetterCheck, deliveryChecks, lagCheck, summarise, type DeadLetters } from './findings.ts'

/** doraflow's schema needs DateTime64, query parameters and lightweight DELETE (on by default since 23.3). */
const MIN_CLICKHOUSE = [23, 3]

function nearestExisting(path: string): string {
  let p = resolve(path)
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p)
  return p
}

function logStoreCheck(config: Config): Check {
  if (config.log.kind === 'kafka') return check('log', 'skip', `Kafka (${config.log.brokers.join(', ')}): checked through the running serve's /readyz only`)
  const at = nearestExisting(config.log.path)
  try {
    accessSync(at, constants.W_OK)
  } catch {
    return check('log', 'fail', `the embedded log folder ${config.log.path} is not writable (${at})`, `give the user running doraflow write access to ${at}, or set log.path`)
  }
  return check('log', 'ok', `embedded log at ${config.log.path}: writable`)
}

function versionCheck(version: string, kind: string): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  const old = major < MIN_CLICKHOUSE[0]! || (major === MIN_CLICKHOUSE[0] && minor < MIN_CLICKHOUSE[1]!)
  return old
    ? check('clickhouse', 'fail', `ClickHouse ${kind} ${version} is older than ${MIN_CLICKHOUSE.join('.')}: doraflow's tables need DateTime64, query parameters and lightweight DELETE`, 'upgrade the ClickHouse server (or use clickhouse.kind: embedded)')
    : check('clickhouse', 'ok', `ClickHouse ${kind} ${version} opens and answers`)
}

async function viaServer(config: Config, server: RunningServer, snapshot: LogSnapshot | null, now: number): Promise<Check[]> {
  const ready = (await (await fetch(`${server.url}/readyz`, { headers: server.headers })).json()) as { checks: { log: boolean; clickhouse: boolean | null } }
  const out: Check[] = [check('serve', 'ok', `a doraflow serve answers at ${server.url}: its stores were checked through /readyz`)]
  out.push(ready.checks.log ? logStoreCheck(config) : check('log', 'fail', 'the running serve cannot write its log', 'see the serve\'s log output'))
  out.push(ready.checks.clickhouse ? check('clickhouse', 'ok', `ClickHouse (${config.clickhouse.kind}) reachable from the running serve`) : check('clickhouse', 'fail', 'the running serve cannot reach ClickHouse', 'check clickhouse.url / credentials, or the embedded data folder'))
  const res = await fetch(`${server.url}/api/v1/dead-letters?limit=5000`, { headers: server.headers })
  const dead = res.ok ? ((await res.json()) as { total: number; byReason: Record<string, number>; deadLetters: { envelopeId: string }[] }) : null
  const summary = dead ? summarise(dead) : null
  const backlog = await readBacklog(server.url, server.headers).catch(() => null)
  const deliveries = config.log.kind === 'kafka' ? [check('deliveries', 'skip', 'last delivery per source: not read from Kafka (doraflow_ingest_requests_total on /metrics counts them)')] : deliveryChecks(snapshot, summary, now)
  return [...out, ...deliveries, deadLetterCheck(summary), lagCheck(backlog?.lag ?? null)]
}

async function direct(config: Config, snapshot: LogSnapshot | null, now: number): Promise<Check[]> {
  const out: Check[] = [check('serve', 'skip', `no doraflow serve answers on port ${config.server.port}: the stores are opened here`), logStoreCheck(config)]
  let summary: DeadLetters | null = null
  out.push(
    ...(await guarded('clickhouse', async () => {
      // Not created yet (serve creates it): the engine is tried in a throw-away folder instead of leaving one behind.
      const fresh = config.clickhouse.kind === 'embedded' && !existsSync(config.clickhouse.path)
      const scratch = fresh ? mkdtempSync(join(tmpdir(), 'doraflow-doctor-')) : null
      // The version first, before the schema: an old server cannot even take doraflow's tables.
      const db = await openClickHouse(scratch ? { ...config.clickhouse, path: scratch } : config.clickhouse)
      try {
        const [v] = await db.query<{ v: string }>('SELECT version() AS v')
        const result = versionCheck(v?.v ?? '0', config.clickhouse.kind === 'embedded' ? 'engine (embedded)' : `server at ${config.clickhouse.url}`)
        if (result.status === 'ok') {
          await migrate(db, config.clickhouse.cluster)
          summary = summarise(await listDeadLetters(db, { limit: 5000 }))
        }
        return result
      } finally {
        await db.close()
        if (scratch) rmSync(scratch, { recursive: true, force: true })
      }
    })),
  )
  const lag = snapshot ? snapshot.head - snapshot.committed : config.log.kind === 'embedded' ? 0 : null
  return [...out, ...deliveryChecks(snapshot, summary, now), deadLetterCheck(summary), lagCheck(lag)]
}

/** Kafka without a serve to ask: the brokers answer and the topic exists. */
async function kafkaCheck(config: Config): Promise<Check> {
  const { kafkaClient } = await import('../log/kafka-client.ts')
  const admin = kafkaClient(config, { suffix: 'doctor' }).admin()
  try {
    await admin.connect()
    const topics = await admin.listTopics()
    return topics.includes(config.log.topic)
      ? check('log', 'ok', `Kafka at ${config.log.brokers.join(', ')}: reachable, topic ${config.log.topic} exists`)
      : check('log', 'warn', `Kafka at ${config.log.brokers.join(', ')}: reachable, no topic ${config.log.topic} yet`, 'serve creates it at start (log.partitions, log.replicationFactor)')
  } catch (e) {
    return check('log', 'fail', `Kafka at ${config.log.brokers.join(', ')} cannot be reached: ${(e as Error).message}`, 'check log.brokers and that the brokers are up')
  } finally {
    await admin.disconnect().catch(() => {})
  }
}

export async function pipelineChecks(config: Config, now = Date.now()): Promise<Check[]> {
  const snapshot = config.log.kind === 'embedded' ? inspectEmbeddedLog(config.log.path, config.processor.group) : null
  const server = await findRunningServer(config)
  if (config.log.kind === 'kafka' && !server) return [await kafkaCheck(config), check('deliveries', 'skip', 'last deliveries: read from the running serve in Kafka mode (none answers)')]
  return server ? viaServer(config, server, snapshot, now) : direct(config, snapshot, now)
}
