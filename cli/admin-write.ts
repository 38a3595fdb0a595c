/**
 * State-changing commands (annotate, correct) write source data the way the API does: through
 * the running serve (with the configured admin token; loopback needs none when no token is set),
 * or, with no serve running, straight into the event log for the next `doraflow serve` to process.
 */
import type { Config } from '../config/schema.ts'
import type { Envelope } from '../contracts/envelope.ts'
import { openLog } from '../server/open.ts'
import { fetchFromServer, type RunningServer } from './discover.ts'

const adminHeaders = (config: Config): Record<string, string> => {
  const token = config.api.adminTokens?.[0]
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** A state-changing request to the running serve, with the admin token; the server's message on refusal. */
export async function sendToServer(server: RunningServer, config: Config, method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<Record<string, any>> {
  const init: RequestInit = {
    method,
    headers: { ...adminHeaders(config), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  }
  return JSON.parse(await fetchFromServer(server, path, init)) as Record<string, any>
}

/** With no serve running, straight into the event log: the next `doraflow serve` processes it. */
export async function appendToLog(config: Config, envelope: Envelope): Promise<{ duplicate: boolean }> {
  const log = await openLog(config)
  try {
    return await log.append(envelope)
  } finally {
    await log.close()
  }
}
