import { DateTime } from 'luxon'
import { parseInstant } from '../../contracts/instant.ts'
import { at, time } from '../fields.ts'

/**
 * GitLab writes times three ways: ISO 8601 (issues, commits), `2025-05-02 11:55:16 +0000`
 * (Deployment Hook `status_changed_at`) and `2017-12-10 17:01:11 UTC` (merge requests,
 * pipelines). Every one becomes an ISO instant in UTC; GitLab always writes the zone, and
 * a time without one is UTC (never the host's TZ).
 */
const FORMATS = ['yyyy-MM-dd HH:mm:ss ZZZ', 'yyyy-MM-dd HH:mm:ss z'] as const

export function gitlabTime(root: unknown, path: string): string {
  const v = at(root, path)
  if (typeof v !== 'string') return time(root, path) // the shared reader names the path and the type
  for (const f of FORMATS) {
    const d = DateTime.fromFormat(v, f, { setZone: true })
    if (d.isValid) return d.toUTC().toISO()!
  }
  // ISO 8601; without a zone it is UTC, as everywhere (contracts/instant.ts), never the host's TZ.
  return new Date(parseInstant(time(root, path))).toISOString()
}

export function optGitlabTime(root: unknown, path: string): string | null {
  const v = at(root, path)
  return v === undefined || v === null ? null : gitlabTime(root, path)
}
