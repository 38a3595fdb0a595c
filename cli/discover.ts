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
