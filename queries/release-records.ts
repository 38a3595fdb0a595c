import type { Db } from '../clickhouse/client.ts'

/**
 * What the release tables add to a deployment record: the freeze it was made
 * in (METRICS.md §14) and, when failed and recovered, its recovery path (§13).
 */
export async function releaseNotesOf(db: Db, ids: string[]): Promise<Map<string, { freeze: { id: string; name: string } | null; recoveryPath: string | null }>> {
  const out = new Map<string, { freeze: { id: string; name: string } | null; recoveryPath: string | null }>()
  if (ids.length === 0) return out
  const freezes = await db.query<{ id: string; freeze: string; name: string }>('SELECT deployment_id AS id, freeze, freeze_name AS name FROM freeze_deployments WHERE deployment_id IN {ids:Array(String)}', { ids })
  const paths = await db.query<{ id: string; path: string }>('SELECT deployment_id AS id, path FROM recovery_paths WHERE deployment_id IN {ids:Array(String)}', { ids })
  for (const id of ids) out.set(id, { freeze: null, recoveryPath: null })
  for (const f of freezes) out.get(f.id)!.freeze = { id: f.freeze, name: f.name }
  for (const p of paths) out.get(p.id)!.recoveryPath = p.path
  return out
}
