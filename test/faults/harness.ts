/**
 * Real processes for the fault tests: doraflow `ingest` / `process` child
 * processes on a Kafka topic, a ClickHouse endpoint process, a private
 * broker for the test that stops the broker (so other suites on the shared
 * broker are not disturbed), and a load of signed or /events deliveries.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { createClient } from '@clickhouse/client'
import { doraflow, freePort, waitHealthy, type Child } from '../helpers/child.ts'
import { eventually, send } from '../helpers/payloads.ts'
import { GITHUB_SECRET, PAGERDUTY_SECRET, scenarioDeliveries } from '../helpers/scenario.ts'

const execFileP = promisify(execFile)
export const ROOT = resolve(import.meta.dirname, '../..')

export interface Endpoint {
  url: string
  port: number
  path: string
  proc: ChildProcess
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** The test-only ClickHouse HTTP endpoint (test/chdb-http/server.ts) on `port` (0: any) over `path`. */
export async function startEndpoint(path: string, port = 0): Promise<Endpoint> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'test/chdb-http/server.ts'), '--port', String(port), '--path', path, '--user', 'doraflow', '--password', 'secret'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const bound = await new Promise<number>((ok, fail) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on (\d+)/.exec(out)
      if (m) ok(Number(m[1]))
    })
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()))
    proc.on('exit', (code) => fail(new Error(`chdb-http exited ${code}: ${out}`)))
  })
  const exited = new Promise<void>((ok) => proc.on('exit', () => ok()))
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    path,
    proc,
    stop: async (signal = 'SIGKILL') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      await exited
    },
  }
}

export interface Broker {
  brokers: string[]
  stop(): Promise<void>
  start(): Promise<void>
}

/** A private single-node broker (same jars as the shared one) on its own ports and data dir. */
export async function privateBroker(): Promise<Broker> {
  const vendor = mkdtempSync(join(tmpdir(), 'doraflow-broker-'))
  mkdirSync(join(vendor, 'kafka'), { recursive: true })
  const libs = join(ROOT, '.vendor/kafka/libs')
  if (!existsSync(join(libs, '.stamp'))) throw new Error('broker jars missing: run bash scripts/services.sh up')
  symlinkSync(libs, join(vendor, 'kafka/libs'))
  const port = await freePort()
  const cport = await freePort()
  const env = { ...process.env, DORAFLOW_VENDOR_DIR: vendor, DORAFLOW_KAFKA_PORT: String(port), DORAFLOW_KAFKA_CONTROLLER_PORT: String(cport), KAFKA_HEAP_OPTS: '-Xmx384m -Xms128m' }
  const start = async () => void (await execFileP('bash', [join(ROOT, 'scripts/kafka/start.sh')], { env }))
  await start()
  return { brokers: [`localhost:${port}`], start, stop: async () => void (await execFileP('bash', [join(ROOT, 'scripts/kafka/stop.sh')], { env })) }
}

export interface Stack {
  dir: string
  topic: string
  group: string
  database: string
  endpoint: Endpoint
  brokers: string[]
  ingest: Node
  processors: Node[]
  /** Starts another `doraflow process` (own port and spool dir). */
  addProcessor(env?: NodeJS.ProcessEnv): Promise<Node>
  stopAll(): Promise<void>
}

export interface Node {
  child: Child
  url: string
}

function configYaml(o: { port: number; brokers: string[]; topic: string; group: string; chUrl: string; database: string; spool: string }): string {
  return `server: {port: ${o.port}, host: 127.0.0.1}
log: {kind: kafka, brokers: [${o.brokers.join(', ')}], topic: ${o.topic}, partitions: 4, replicationFactor: 1, spoolPath: ${o.spool}}
clickhouse: {kind: server, url: "${o.chUrl}", username: doraflow, password: secret, database: ${o.database}}
github: {webhookSecrets: [${GITHUB_SECRET}]}
pagerduty: {webhookSecrets: [${PAGERDUTY_SECRET}]}
processor: {batchSize: 200, pollIntervalMs: 50, group: ${o.group}}
services:
  - {name: checkout, team: payments, repositories: [acme/checkout], pagerdutyServices: [PCHECK]}
`
}

export async function startStack(o: { brokers: string[]; processors?: number; processorEnv?: NodeJS.ProcessEnv[] }): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'doraflow-fault-'))
  const topic = `doraflow-fault-${randomUUID().slice(0, 8)}`
  const group = `doraflow-fault-${randomUUID().slice(0, 8)}`
  const database = `fault_${randomUUID().slice(0, 8)}`
  const endpoint = await startEndpoint(join(dir, 'clickhouse'))
  let n = 0
  const node = async (role: 'ingest' | 'process', env: NodeJS.ProcessEnv = {}): Promise<Node> => {
    const port = await freePort()
    const name = `${role}-${n++}`
    const file = join(dir, `${name}.yaml`)
    writeFileSync(file, configYaml({ port, brokers: o.brokers, topic, group, chUrl: endpoint.url, database, spool: join(dir, `${name}-spool`) }))
    const child = doraflow(['--config', file, role], dir, { DORAFLOW_LOG_LEVEL: 'warn', ...env })
    const url = `http://127.0.0.1:${port}`
    await waitHealthy(url, child)
    return { child, url }
  }
  const ingest = await node('ingest')
  const processors: Node[] = []
  for (let i = 0; i < (o.processors ?? 1); i++) processors.push(await node('process', o.processorEnv?.[i]))
  const stack: Stack = {
    dir,
    topic,
    group,
    database,
    endpoint,
    brokers: o.brokers,
    ingest,
    processors,
    addProcessor: async (env) => {
      const p = await node('process', env)
      processors.push(p)
      return p
    },
    stopAll: async () => {
      for (const p of [ingest, ...processors]) {
        if (p.child.proc.exitCode === null) p.child.proc.kill('SIGKILL')
      }
      await stack.endpoint.stop() // the current one: a test may have restarted it
    },
  }
  return stack
}

/** Generic deployments for services load-0..load-3, dated outside the scenario's week. */
export function loadEvent(i: number): string {
  return JSON.stringify({ kind: 'deployment', id: `load-${i}`, service: `load-${i % 4}`, environment: 'production', sha: i.toString(16).padStart(40, 'a'), deployedAt: new Date(Date.UTC(2026, 7, 1) + i * 60_000).toISOString() })
}

/** Sends `total` deliveries (the signed scenario first, then /events load) with 4 workers; returns what was acknowledged. */
export async function sendLoad(url: string, total: number, during?: (acked: number) => void | Promise<void>): Promise<{ acked: Set<string>; scenarioAcked: number; failed: number }> {
  const acked = new Set<string>()
  let scenarioAcked = 0
  for (const d of scenarioDeliveries()) if ((await send(url, d)).status === 202) scenarioAcked++
  let next = 0
  let failed = 0
  const worker = async () => {
    while (next < total) {
      const i = next++
      const res = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loadEvent(i) }).catch(() => null)
      if (res?.status === 202) acked.add(`generic:load-${i}`)
      else failed++
      await during?.(acked.size)
    }
  }
  await Promise.all(Array.from({ length: 4 }, worker))
  return { acked, scenarioAcked, failed }
}

/** Reads the endpoint directly: every load deployment id (with repeats, if any). */
export async function loadDeploymentIds(stack: Stack): Promise<string[]> {
  const client = createClient({ url: stack.endpoint.url, username: 'doraflow', password: 'secret', database: stack.database })
  try {
    const rs = await client.query({ query: "SELECT id FROM deployments WHERE startsWith(service, 'load-')", format: 'JSONEachRow' })
    return ((await rs.json()) as { id: string }[]).map((r) => r.id)
  } finally {
    await client.close()
  }
}

export async function count(stack: Stack, sql: string): Promise<number> {
  const client = createClient({ url: stack.endpoint.url, username: 'doraflow', password: 'secret', database: stack.database })
  try {
    const rs = await client.query({ query: sql, format: 'JSONEachRow' })
    const rows = (await rs.json()) as { n: string | number }[]
    return Number(rows[0]?.n ?? 0)
  } finally {
    await client.close()
  }
}

/** Waits until every acknowledged load delivery is a deployment row; returns the ids found. */
export async function waitAllProcessed(stack: Stack, acked: Set<string>, timeoutMs = 120_000): Promise<string[]> {
  return eventually(async () => {
    const ids = await loadDeploymentIds(stack)
    const have = new Set(ids)
    return [...acked].every((id) => have.has(id)) ? ids : undefined
  }, timeoutMs, `all ${acked.size} acknowledged deliveries in ClickHouse`)
}

/** The checkout row of the metrics answer, from a processor's API. */
export async function checkoutRow(node: Node): Promise<Record<string, unknown> | undefined> {
  const body = (await (await fetch(`${node.url}/api/v1/metrics?from=2026-07-01&to=2026-07-08`)).json()) as { rows: Record<string, unknown>[] }
  return body.rows.find((r) => r.service === 'checkout')
}
