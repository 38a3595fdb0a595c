import { chTime, chTimeOrNull, type Db } from '../clickhouse/client.ts'
import type { Projection } from '../domain/records.ts'

export interface ReplaceOptions {
  /** The tables are known to hold no rows of these services (replay after TRUNCATE): no delete. */
  skipDelete?: boolean
  /**
   * The tables are known to hold rows only of these services (replay: those
   * written earlier in the run): only they are deleted first.
   */
  onlyDelete?: ReadonlySet<string>
}

const DERIVED = ['deployments', 'changes', 'pull_requests', 'failed_attempts', 'incidents', 'incident_events'] as const

/**
 * Replaces the derived rows of some services with a fresh projection.
 * Delete then insert is not atomic, but it is idempotent: after a crash
 * in between, the batch is read again (its offsets were not committed) and
 * the same services are recomputed from their facts.
 *
 * A lightweight DELETE is a mutation over every part of the table (10–100 ms
 * each): one cheap count per table first, and DELETE only where the services
 * have rows.
 */
export async function replaceServices(db: Db, services: string[], p: Projection, opts: ReplaceOptions = {}): Promise<void> {
  if (services.length === 0) return
  const keep = new Set(services)
  const stale = opts.skipDelete ? [] : opts.onlyDelete ? services.filter((s) => opts.onlyDelete!.has(s)) : services
  if (stale.length > 0) {
    const counts = await db.query<{ t: string; n: string | number }>(
      DERIVED.map((t) => `SELECT '${t}' AS t, count() AS n FROM ${t} WHERE service IN {services:Array(String)}`).join(' UNION ALL '),
      { services: stale },
    )
    const present = new Set(counts.filter((c) => Number(c.n) > 0).map((c) => c.t))
    for (const table of DERIVED) {
      if (present.has(table)) await db.command(`DELETE FROM ${table} WHERE service IN {services:Array(String)}`, { services: stale })
    }
  }
  const mine = <T extends { service: string }>(rows: T[]) => rows.filter((r) => keep.has(r.service))
  await db.insert(
    'deployments',
    mine(p.deployments).map((d) => ({
      id: d.id,
      service: d.service,
      team: d.team,
      origin: d.origin,
      repo: d.repo,
      environment: d.environment,
      version: d.version,
      sha: d.sha,
      artifact: d.artifact,
      deployed_at: chTime(d.deployedAt),
      url: d.url,
      previous_id: d.previousId,
      is_rollback: d.isRollback ? 1 : 0,
      failed: d.failed ? 1 : 0,
      failure_causes: d.failureCauses,
      rework: d.rework ? 1 : 0,
      rework_causes: d.reworkCauses,
      recovered_at: chTimeOrNull(d.recoveredAt),
      recovery_seconds: d.recoverySeconds,
      change_count: d.changeCount,
      incident_ids: d.incidentIds,
    })),
  )
  await db.insert(
    'changes',
    mine(p.changes).map((c) => ({
      service: c.service,
      team: c.team,
      deployment_id: c.deploymentId,
      deployed_at: chTime(c.deployedAt),
      repo: c.repo,
      sha: c.sha,
      committed_at: chTime(c.committedAt),
      lead_time_seconds: c.leadTimeSeconds,
      message: c.message,
      url: c.url,
      author: c.author,
    })),
  )
  await db.insert(
    'pull_requests',
    mine(p.pullRequests).map((r) => ({
      service: r.service,
      team: r.team,
      repo: r.repo,
      number: r.number,
      title: r.title,
      url: r.url,
      created_at: chTime(r.createdAt),
      merged_at: chTime(r.mergedAt),
      merge_commit_sha: r.mergeCommitSha,
      deployment_id: r.deploymentId,
      deployed_at: chTimeOrNull(r.deployedAt),
      opened_to_merged_seconds: r.openedToMergedSeconds,
      merged_to_deployed_seconds: r.mergedToDeployedSeconds,
      opened_to_deployed_seconds: r.openedToDeployedSeconds,
    })),
  )
  await db.insert(
    'failed_attempts',
    mine(p.failedAttempts).map((f) => ({ id: f.id, service: f.service, team: f.team, deployment_id: f.deploymentId, environment: f.environment, state: f.state, at: chTime(f.at) })),
  )
  await db.insert(
    'incidents',
    mine(p.incidents).map((i) => ({
      id: i.id,
      service: i.service,
      team: i.team,
      origin: i.origin,
      title: i.title,
      url: i.url,
      started_at: chTime(i.startedAt),
      acknowledged_at: chTimeOrNull(i.acknowledgedAt),
      resolved_at: chTimeOrNull(i.resolvedAt),
      restore_seconds: i.restoreSeconds,
      acknowledge_seconds: i.acknowledgeSeconds,
      urgency: i.urgency,
      priority: i.priority,
      status: i.status,
      reopen_count: i.reopenCount,
      link_kind: i.linkKind,
      deployment_ids: i.deploymentIds,
    })),
  )
  await db.insert(
    'incident_events',
    mine(p.incidentEvents).map((e) => ({ incident_id: e.incidentId, service: e.service, team: e.team, transition: e.transition, at: chTime(e.at), agent: e.agent, detail: e.detail })),
  )
}
