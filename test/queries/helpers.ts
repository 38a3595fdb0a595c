import { chTime, type Db } from '../../clickhouse/client.ts'
import { DERIVED_TABLES } from '../../clickhouse/migrations.ts'
import { openTestDb as openSharedTestDb, truncateTables } from '../helpers/clickhouse.ts'
import { parseConfig } from '../../config/load.ts'
import type { Config } from '../../config/schema.ts'

/** One embedded ClickHouse per test file (test/helpers/clickhouse.ts). */
export const openTestDb = (): Promise<Db> => openSharedTestDb({ prefix: 'doraflow-metrics-', database: 'doraflow_test' })

export const truncateDerived = (db: Db): Promise<void> => truncateTables(db, DERIVED_TABLES)

export const config = (raw: Record<string, unknown> = {}): Config => parseConfig(raw)

/** ISO instant (a `Z` is added when missing) → DateTime64(3,'UTC') text. */
const t = (iso: string) => chTime(Date.parse(iso.endsWith('Z') ? iso : `${iso}Z`))
let n = 0

export function deployment(o: {
  at: string
  service?: string
  team?: string
  id?: string
  failed?: boolean
  rework?: boolean
  recoverySeconds?: number | null
}) {
  const id = o.id ?? `d${++n}`
  return {
    id,
    service: o.service ?? 'checkout',
    team: o.team ?? 'payments',
    origin: 'generic',
    repo: null,
    environment: 'production',
    version: id,
    sha: null,
    artifact: null,
    deployed_at: t(o.at),
    url: null,
    previous_id: null,
    is_rollback: 0,
    failed: o.failed ? 1 : 0,
    failure_causes: [],
    rework: o.rework ? 1 : 0,
    rework_causes: [],
    recovered_at: null,
    recovery_seconds: o.recoverySeconds ?? null,
    change_count: 0,
    incident_ids: [],
  }
}

export function change(o: { deployedAt: string; leadTimeSeconds: number; service?: string; team?: string; deploymentId?: string; authorClass?: 'bot' | 'ai_assisted' | 'human'; inLeadTime?: boolean }) {
  const sha = `c${++n}`
  return {
    service: o.service ?? 'checkout',
    team: o.team ?? 'payments',
    deployment_id: o.deploymentId ?? 'd',
    deployed_at: t(o.deployedAt),
    repo: 'acme/checkout',
    sha,
    committed_at: chTime(Date.parse(`${o.deployedAt.replace(/Z$/, '')}Z`) - o.leadTimeSeconds * 1000),
    lead_time_seconds: o.leadTimeSeconds,
    message: 'change',
    url: null,
    author: null,
    author_class: o.authorClass ?? 'human',
    in_lead_time: o.inLeadTime === false ? 0 : 1,
  }
}

export function failedAttempt(o: { at: string; service?: string; team?: string }) {
  return {
    id: `fa${++n}`,
    service: o.service ?? 'checkout',
    team: o.team ?? 'payments',
    deployment_id: 'd',
    environment: 'production',
    state: 'failure',
    at: t(o.at),
  }
}

export function incident(o: { startedAt: string; restoreSeconds?: number | null; service?: string; team?: string }) {
  const started = Date.parse(`${o.startedAt.replace(/Z$/, '')}Z`)
  const restore = o.restoreSeconds ?? null
  return {
    id: `i${++n}`,
    service: o.service ?? 'checkout',
    team: o.team ?? 'payments',
    origin: 'generic',
    title: 'down',
    url: null,
    started_at: chTime(started),
    acknowledged_at: null,
    resolved_at: restore === null ? null : chTime(started + restore * 1000),
    restore_seconds: restore,
    acknowledge_seconds: null,
    urgency: null,
    priority: null,
    status: restore === null ? 'open' : 'resolved',
    reopen_count: 0,
    link_kind: 'none',
    deployment_ids: [],
  }
}
