import type { Db } from '../clickhouse/client.ts'
import { openDb } from '../server/open.ts'
import type { Config } from '../config/schema.ts'

export interface RunningServer {
  url: string
  headers: Record<string, string>
}

/** A doraflow with the query API listening on the configured port of this machine, if any. */
export async function findRunningServer(config: Config): Promise<RunningServer | null> {
  const url = `http://127.0.0.1:${config.server.port}`
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1500) })
    const body = (await res.json()) as { service?: string; roles?: { process?: boolean } }
    if (body.service !== 'doraflow' || !body.roles?.process) return null
    const token = config.api.tokens[0]
    return { url, headers: token ? { authorization: `Bearer ${token}` } : {} }
  } catch {
    return null
  }
}

/**
 * A request to the running server (GET with the read token by default); a non-2xx
 * answer throws with the server's JSON message. `init` replaces method, headers and body.
 */
export async function fetchFromServer(server: RunningServer, path: string, init?: RequestInit): Promise<string> {
  const res = await fetch(`${server.url}${path}`, init ?? { headers: server.headers })
  const text = await res.text()
  if (res.ok) return text
  let message = `the server answered ${res.status}`
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message
  } catch {
    // not JSON: keep the status
  }
  throw new Error(message)
}

/**
 * The embedded engine allows one process per data directory: while `serve`
 * runs, ask it over HTTP; otherwise open ClickHouse directly. Says which on stderr.
 */
export async function viaServerOrDb<T>(config: Config, remote: (server: RunningServer) => Promise<T>, local: (db: Db) => Promise<T>): Promise<T> {
  const server = await findRunningServer(config)
  if (server) {
    process.stderr.write(`doraflow: asking the running doraflow at ${server.url}\n`)
    return remote(server)
  }
  process.stderr.write(`doraflow: no doraflow serve answering on port ${config.server.port}; reading ClickHouse (${config.clickhouse.kind}) directly\n`)
  const db = await openDb(config)
  try {
    return await local(db)
  } finally {
    await db.close()
  }
}
