import type { Db } from '../../clickhouse/client.ts'
import type { Config } from '../../config/schema.ts'
import { loadPostmortem } from './data.ts'
import { renderPostmortem } from './render.ts'

export { loadPostmortem, incidentEntity, type PostmortemData } from './data.ts'
export { renderPostmortem } from './render.ts'

/** The Markdown draft, or null when no incident has this id. */
export async function postmortemMarkdown(db: Db, config: Config, id: string, now: number = Date.now()): Promise<string | null> {
  const data = await loadPostmortem(db, config, id, now)
  return data === null ? null : renderPostmortem(data)
}
