/**
 * Real external services for the scale-out tests (Kafka broker, ClickHouse
 * server), started by `bash scripts/services.sh up`.
 *
 * Usage in a test file:
 *
 *   import { describe } from 'vitest'
 *   import { kafkaAvailable, requireOrSkip, KAFKA_BROKERS } from '../helpers/services.ts'
 *
 *   const hasKafka = requireOrSkip('kafka', await kafkaAvailable())
 *   describe.runIf(hasKafka)('my kafka suite', () => { ... })
 *
 * Outside CI a missing service skips the suite with a loud reason on stderr;
 * with CI=true it throws, so the test file fails instead of silently passing.
 */
import net from 'node:net'

export interface KafkaTestConfig {
  /** host:port list, from DORAFLOW_TEST_KAFKA_BROKERS (comma separated). */
  brokers: string[]
}

export interface ClickHouseTestConfig {
  /** Base URL of the HTTP interface, from DORAFLOW_TEST_CLICKHOUSE_URL. */
  url: string
  username: string
  password: string
}

export const DEFAULT_KAFKA_BROKERS = 'localhost:19092'
export const DEFAULT_CLICKHOUSE_URL = 'http://localhost:18123'

export function kafkaConfig(env: NodeJS.ProcessEnv = process.env): KafkaTestConfig {
  const raw = env.DORAFLOW_TEST_KAFKA_BROKERS?.trim() || DEFAULT_KAFKA_BROKERS
  const brokers = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  return { brokers }
}

export function clickhouseConfig(env: NodeJS.ProcessEnv = process.env): ClickHouseTestConfig {
  return {
    url: (env.DORAFLOW_TEST_CLICKHOUSE_URL?.trim() || DEFAULT_CLICKHOUSE_URL).replace(/\/+$/, ''),
    username: env.DORAFLOW_TEST_CLICKHOUSE_USER ?? 'doraflow',
    password: env.DORAFLOW_TEST_CLICKHOUSE_PASSWORD ?? 'doraflow-test',
  }
}

export const KAFKA_BROKERS: readonly string[] = kafkaConfig().brokers
export const CLICKHOUSE_URL: string = clickhouseConfig().url

/** True when running under CI (CI=true / CI=1 / any value but false/0). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI?.trim().toLowerCase()
  return v !== undefined && v !== '' && v !== 'false' && v !== '0'
}

function parseHostPort(hostPort: string): { host: string; port: number } {
  // [::1]:9092, host:9092
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(hostPort) ?? /^([^:]+):(\d+)$/.exec(hostPort)
  if (!m || m[1] === undefined || m[2] === undefined) throw new Error(`bad host:port '${hostPort}'`)
  return { host: m[1], port: Number(m[2]) }
}

/**
 * Sends a Kafka ApiVersions request (v0, understood by every broker version)
 * and resolves true when a framed response with our correlation id comes back.
 * Stronger than "the port is open": something that speaks Kafka answers.
 */
function kafkaApiVersionsProbe(hostPort: string, timeoutMs: number): Promise<boolean> {
  let target: { host: string; port: number }
  try {
    target = parseHostPort(hostPort)
  } catch {
    return Promise.resolve(false)
  }
  return new Promise((resolve) => {
    const correlationId = 0x0d0af10 // arbitrary
    const clientId = Buffer.from('doraflow-probe')
    const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length)
    body.writeInt16BE(18, 0) // api_key ApiVersions
    body.writeInt16BE(0, 2) // api_version 0
    body.writeInt32BE(correlationId, 4)
    body.writeInt16BE(clientId.length, 8)
    clientId.copy(body, 10)
    const frame = Buffer.alloc(4 + body.length)
    frame.writeInt32BE(body.length, 0)
    body.copy(frame, 4)

    let buf = Buffer.alloc(0)
    let done = false
    const socket = net.connect({ host: target.host, port: target.port })
    const finish = (ok: boolean) => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(ok)
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.once('connect', () => socket.write(frame))
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      if (buf.length >= 8) finish(buf.readInt32BE(4) === correlationId)
    })
    socket.once('error', () => finish(false))
    socket.once('close', () => finish(false))
  })
}

/** True when the first reachable broker in DORAFLOW_TEST_KAFKA_BROKERS answers ApiVersions. */
export async function kafkaAvailable(timeoutMs = 3000): Promise<boolean> {
  for (const b of kafkaConfig().brokers) {
    if (await kafkaApiVersionsProbe(b, timeoutMs)) return true
  }
  return false
}

/** True when `GET <DORAFLOW_TEST_CLICKHOUSE_URL>/ping` answers "Ok.". */
export async function clickhouseServerAvailable(timeoutMs = 3000): Promise<boolean> {
  try {
    const res = await fetch(`${clickhouseConfig().url}/ping`, { signal: AbortSignal.timeout(timeoutMs) })
    const text = await res.text()
    return res.ok && text.startsWith('Ok.')
  } catch {
    return false
  }
}

const START_HINT = 'start them with: bash scripts/services.sh up   (status: bash scripts/services.sh status)'

/**
 * Gate a suite on a service. Returns `available` when it is true. When it is
 * false: under CI throws (the test file fails — CI must have started the
 * services); elsewhere prints a loud banner to stderr and returns false so
 * the caller can `describe.runIf(...)` / `describe.skipIf(...)`.
 */
export function requireOrSkip(name: string, available: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (available) return true
  const where =
    name.toLowerCase().includes('kafka')
      ? `Kafka at ${kafkaConfig(env).brokers.join(',')} (DORAFLOW_TEST_KAFKA_BROKERS)`
      : name.toLowerCase().includes('clickhouse')
        ? `ClickHouse at ${clickhouseConfig(env).url} (DORAFLOW_TEST_CLICKHOUSE_URL)`
        : name
  const msg = `required service '${name}' is not reachable: ${where}; ${START_HINT}`
  if (isCI(env)) {
    throw new Error(`[services] CI=true and ${msg}`)
  }
  const bar = '!'.repeat(100)
  process.stderr.write(`\n${bar}\n!!! SKIPPING suite: ${msg}\n${bar}\n\n`)
  return false
}
