import { createClient, type ClickHouseClient } from '@clickhouse/client'
import type { Config } from '../config/schema.ts'

/**
 * The one module that talks to ClickHouse. Embedded (chdb in-process, through
 * @clickhouse/client's pluggable connection) and server (HTTP) look the same
 * from outside. Values are always bound as server-side parameters
 * (`{name:Type}`); no caller pastes input into SQL.
 */
export type Params = Record<string, unknown>

export interface Db {
  readonly kind: 'embedded' | 'server'
  readonly database: string
  query<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>
  command(sql: string, params?: Params): Promise<void>
  insert(table: string, rows: readonly object[]): Promise<void>
  ping(): Promise<boolean>
  close(): Promise<void>
}

/** The single error type of this module. `retriable`: worth trying again later (server down, timeout, lock). */
export class DbError extends Error {
  constructor(message: string, readonly retriable: boolean, readonly code: string | null, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DbError'
  }
}

// ClickHouse error codes that mean "the query is wrong", never worth a retry.
// 192-195 and 516: unknown user, wrong/required password, address not allowed, authentication failed (old and new servers).
// 6, 25, 26, 321: the data cannot be read into its column (text, escape sequence, quoted string, value out of range).
const PERMANENT_CODES = new Set(['6', '25', '26', '321', '27', '36', '38', '41', '43', '44', '46', '47', '53', '60', '62', '69', '70', '72', '81', '107', '117', '130', '131', '153', '158', '190', '192', '193', '194', '195', '386', '457', '516'])

export function mapDbError(e: unknown): DbError {
  if (e instanceof DbError) return e
  const err = e as { message?: string; code?: string | number; type?: string }
  const msg = err?.message ?? String(e)
  // Servers before ~20.x answer "Code: 60, e.displayText() = …", which @clickhouse/client does not parse into a code.
  const code = err?.code !== undefined ? String(err.code) : (/^Code: (\d+)[.,]/.exec(msg)?.[1] ?? null)
  if (/Cannot lock file|status.*lock/i.test(msg)) {
    return new DbError(`the embedded ClickHouse data directory is in use by another process (is \`doraflow serve\` running?): ${msg}`, true, code, { cause: e })
  }
  const network = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|socket hang up|Timeout|timed out|fetch failed/i.test(msg)
  const retriable = network || code === null || !PERMANENT_CODES.has(code)
  return new DbError(msg, retriable && !(code && PERMANENT_CODES.has(code)), code, { cause: e })
}

async function wrap<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f()
  } catch (e) {
    throw mapDbError(e)
  }
}

function clientApi(client: ClickHouseClient, kind: Db['kind'], database: string): Db {
  return {
    kind,
    database,
    query: <T>(sql: string, params?: Params) =>
      wrap(async () => {
        const rs = await client.query({ query: sql, query_params: params, format: 'JSONEachRow' })
        return (await rs.json()) as T[]
      }),
    command: (sql: string, params?: Params) =>
      wrap(async () => {
        await client.command({ query: sql, query_params: params })
      }),
    insert: (table: string, rows: readonly object[]) =>
      wrap(async () => {
        if (rows.length === 0) return
        await client.insert({ table, values: rows as object[], format: 'JSONEachRow' })
      }),
    ping: async () => {
      try {
        const r = await client.query({ query: 'SELECT 1', format: 'JSONEachRow' })
        await r.json()
        return true
      } catch {
        return false
      }
    },
    close: () => client.close(),
  }
}

export async function openClickHouse(cfg: Config['clickhouse']): Promise<Db> {
  const database = cfg.database
  if (cfg.kind === 'embedded') {
    const { createChdbConnection } = await import('chdb/connection')
    const { mkdirSync } = await import('node:fs')
    mkdirSync(cfg.path, { recursive: true })
    // chdb types its Connection against its own copy of @clickhouse/client-common; the runtime shapes agree.
    type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection']
    let connection: ClientConnection
    try {
      connection = createChdbConnection({ path: cfg.path }) as unknown as ClientConnection
    } catch (e) {
      throw new DbError(
        `cannot open the embedded ClickHouse data in ${cfg.path}: another process holds it (a running \`doraflow serve\` or \`process\`?). ` +
          'Stop it, or point this command at the same config so it can ask the running server.',
        true,
        null,
        { cause: e },
      )
    }
    const client = createClient({ connection })
    const db = clientApi(client, 'embedded', database)
    // chdb has no `database` option: the session keeps `USE` for every later query.
    await db.command(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}`)
    await db.command(`USE ${quoteIdent(database)}`)
    return db
  }
  const common = {
    url: cfg.url,
    username: cfg.username,
    password: cfg.password ?? '',
    request_timeout: 30_000,
    clickhouse_settings: {},
  }
  const admin = createClient(common)
  try {
    await wrap(() => admin.command({ query: `CREATE DATABASE IF NOT EXISTS ${quoteIdent(database)}${cfg.cluster ? ` ON CLUSTER ${quoteIdent(cfg.cluster)}` : ''}` }))
  } finally {
    await admin.close()
  }
  return clientApi(createClient({ ...common, database }), 'server', database)
}

/** Identifiers come from validated config only (letters, digits, _), never from requests. */
export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new DbError(`bad identifier ${JSON.stringify(name)}`, false, null)
  return `\`${name}\``
}

/** Epoch ms → the text form DateTime64(3, 'UTC') columns take in JSONEachRow. */
export function chTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}
export function chTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : chTime(ms)
}
