import { chTime, chTimeOrNull } from '../clickhouse/client.ts'
import type { DERIVED_TABLES } from '../clickhouse/migrations.ts'
import type { ChangeRecord, DeploymentRecord, FailedAttemptRecord, IncidentEventRecord, IncidentRecord, Projection, PullRequestRecord } from '../contracts/records.ts'

/**
 * Each derived table's columns, once: every field of its record type
 * (contracts/records.ts; the compiler insists on each, and on no other) is the
 * column of the same name in snake_case (clickhouse/migrations.ts; a test
 * compares them with the migrated tables), stored as its kind says. The sink
 * builds rows and reads them back from this, so a column is not spelled again.
 */
type Kind = 'value' | 'time' | 'time?' | 'flag' | 'json?'
type Columns<R> = { [K in keyof R]-?: Kind }

export type DerivedTable = (typeof DERIVED_TABLES)[number]

interface TableColumns<R> {
  /** Where the projection keeps this table's records. */
  records: keyof Projection
  columns: Columns<R>
}

const V = 'value' as const
const T = 'time' as const
const T0 = 'time?' as const
const F = 'flag' as const
/** An object stored as JSON text, or NULL (METRICS.md §18 corrections). */
const J0 = 'json?' as const

const deployments: TableColumns<DeploymentRecord> = {
  records: 'deployments',
  columns: {
    id: V, service: V, team: V, origin: V, repo: V, environment: V, version: V, sha: V, artifact: V, deployedAt: T, url: V, previousId: V,
    isRollback: F, failed: F, failureCauses: V, rework: F, reworkCauses: V, recoveredAt: T0, recoverySeconds: V, changeCount: V, incidentIds: V, correction: J0,
  },
}
const changes: TableColumns<ChangeRecord> = {
  records: 'changes',
  columns: { service: V, team: V, deploymentId: V, deployedAt: T, repo: V, sha: V, committedAt: T, leadTimeSeconds: V, message: V, url: V, author: V, authorClass: V, inLeadTime: F },
}
const pullRequests: TableColumns<PullRequestRecord> = {
  records: 'pullRequests',
  columns: {
    service: V, team: V, repo: V, number: V, title: V, url: V, createdAt: T, mergedAt: T, mergeCommitSha: V, deploymentId: V, deployedAt: T0,
    openedToMergedSeconds: V, mergedToDeployedSeconds: V, openedToDeployedSeconds: V,
  },
}
const failedAttempts: TableColumns<FailedAttemptRecord> = {
  records: 'failedAttempts',
  columns: { id: V, service: V, team: V, deploymentId: V, environment: V, state: V, at: T },
}
const incidents: TableColumns<IncidentRecord> = {
  records: 'incidents',
  columns: {
    id: V, service: V, team: V, origin: V, title: V, url: V, startedAt: T, acknowledgedAt: T0, resolvedAt: T0, restoreSeconds: V, acknowledgeSeconds: V,
    urgency: V, priority: V, status: V, reopenCount: V, linkKind: V, deploymentIds: V, correction: J0,
  },
}
const incidentEvents: TableColumns<IncidentEventRecord> = {
  records: 'incidentEvents',
  columns: { incidentId: V, service: V, team: V, transition: V, at: T, agent: V, detail: V },
}

const TABLES: Record<DerivedTable, TableColumns<object>> = {
  deployments: deployments as TableColumns<object>,
  changes: changes as TableColumns<object>,
  pull_requests: pullRequests as TableColumns<object>,
  failed_attempts: failedAttempts as TableColumns<object>,
  incidents: incidents as TableColumns<object>,
  incident_events: incidentEvents as TableColumns<object>,
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

function store(kind: Kind, v: unknown): unknown {
  switch (kind) {
    case 'value':
      return v
    case 'time':
      return chTime(v as number)
    case 'time?':
      return chTimeOrNull(v as number | null)
    case 'flag':
      return v ? 1 : 0
    case 'json?':
      return v === null || v === undefined ? null : JSON.stringify(v)
    default: {
      const never: never = kind
      throw new Error(`unknown column kind ${String(never)}`)
    }
  }
}

/** The table's column names, in table order. */
export function columnsOf(table: DerivedTable): string[] {
  return Object.keys(TABLES[table].columns).map(snake)
}

/** Per table: each column's record field, column name and kind, worked out once (rowsOf runs per record of every replay). */
const LAYOUT = Object.fromEntries(
  (Object.keys(TABLES) as DerivedTable[]).map((t) => [t, (Object.entries(TABLES[t].columns) as [string, Kind][]).map(([field, kind]) => ({ field, column: snake(field), kind }))]),
) as Record<DerivedTable, { field: string; column: string; kind: Kind }[]>

/** The rows of a table for the projection's records that `keep` accepts. */
export function rowsOf(table: DerivedTable, p: Projection, keep: (r: { service: string }) => boolean): Record<string, unknown>[] {
  const layout = LAYOUT[table]
  const out: Record<string, unknown>[] = []
  for (const r of p[TABLES[table].records] as unknown as Record<string, unknown>[]) {
    if (!keep(r as { service: string })) continue
    const row: Record<string, unknown> = {}
    for (const c of layout) row[c.column] = store(c.kind, r[c.field])
    out.push(row)
  }
  return out
}
