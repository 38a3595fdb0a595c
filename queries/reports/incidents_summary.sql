-- @report incidents_summary
-- @title Incidents per service or team
-- @description Incidents started in the period per group: how many, how many still open, reopened, acknowledged; time to acknowledge (MTTA) and to resolve (time to restore, METRICS.md §6); the share attributed to a deployment (METRICS.md §5: explicit link or attribution window); and incidents per 100 deployments of the same period and group.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service, per team, or one row
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column incidents UInt64 : incidents started in the period
-- @column open_incidents UInt64 : of those, not resolved now
-- @column reopened_incidents UInt64 : of those, reopened at least once
-- @column reopen_rate Nullable(Float64) : reopened_incidents / incidents
-- @column acknowledged UInt64 : of those, acknowledged
-- @column mtta_median_seconds Nullable(Float64) : median time to acknowledge (started → first acknowledgement)
-- @column mtta_mean_seconds Nullable(Float64) : mean time to acknowledge
-- @column time_to_restore_median_seconds Nullable(Float64) : median time to restore over the resolved ones
-- @column time_to_restore_mean_seconds Nullable(Float64) : mean time to restore over the resolved ones
-- @column deploy_correlated UInt64 : incidents linked to a deployment (explicit) or attributed to one (window)
-- @column deploy_correlated_share Nullable(Float64) : deploy_correlated / incidents
-- @column deployments UInt64 : deployments of the period in the same group
-- @column incidents_per_100_deployments Nullable(Float64) : 100 · incidents / deployments
SELECT
  if({group_by:String} = 'service', svc, '') AS service,
  if({group_by:String} = 'none', '', tm) AS team,
  countIf(src = 'incident') AS incidents,
  countIf(src = 'incident' AND status = 'open') AS open_incidents,
  countIf(src = 'incident' AND reopen_count > 0) AS reopened_incidents,
  if(incidents = 0, NULL, reopened_incidents / incidents) AS reopen_rate,
  countIf(src = 'incident' AND ack IS NOT NULL) AS acknowledged,
  quantileExactInclusiveIf(0.5)(ack, src = 'incident' AND ack IS NOT NULL) AS mtta_median_seconds,
  avgIf(ack, src = 'incident' AND ack IS NOT NULL) AS mtta_mean_seconds,
  quantileExactInclusiveIf(0.5)(restore, src = 'incident' AND restore IS NOT NULL) AS time_to_restore_median_seconds,
  avgIf(restore, src = 'incident' AND restore IS NOT NULL) AS time_to_restore_mean_seconds,
  countIf(src = 'incident' AND link_kind != 'none') AS deploy_correlated,
  if(incidents = 0, NULL, deploy_correlated / incidents) AS deploy_correlated_share,
  countIf(src = 'deployment') AS deployments,
  if(deployments = 0, NULL, 100 * incidents / deployments) AS incidents_per_100_deployments
FROM (
  SELECT service AS svc, team AS tm, started_at AS t, 'incident' AS src, toString(status) AS status, reopen_count,
         acknowledge_seconds AS ack, restore_seconds AS restore, toString(link_kind) AS link_kind
  FROM incidents
  UNION ALL
  SELECT service AS svc, team AS tm, deployed_at AS t, 'deployment' AS src, '' AS status, toUInt32(0) AS reopen_count,
         CAST(NULL, 'Nullable(Float64)') AS ack, CAST(NULL, 'Nullable(Float64)') AS restore, '' AS link_kind
  FROM deployments
)
WHERE t >= {from:DateTime64(3, 'UTC')} AND t < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, svc))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, tm))
GROUP BY service, team
ORDER BY service, team
