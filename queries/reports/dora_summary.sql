-- @report dora_summary
-- @title DORA figures per group
-- @description The figures of METRICS.md §6 over [from, to), one row per service, team or overall: the same definitions as queries/metrics/*.sql (GET /api/v1/metrics), in one statement. Tiers are applied by the caller (queries/tiers.ts, dashboard thresholds).
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service, per team, or one row
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column deployments UInt64 : deployments with deployed_at in the period
-- @column deployments_per_day Float64 : deployments / length of the period in days
-- @column failed_attempts UInt64 : failed deployment attempts in the period
-- @column lead_time_count UInt64 : changes deployed in the period
-- @column lead_time_median_seconds Nullable(Float64) : median lead time (commit → production)
-- @column lead_time_p90_seconds Nullable(Float64) : 90th percentile lead time
-- @column lead_time_mean_seconds Nullable(Float64) : mean lead time
-- @column failed_deployments UInt64 : deployments of the period that failed (METRICS.md §5)
-- @column change_failure_rate Nullable(Float64) : failed_deployments / deployments
-- @column incidents UInt64 : incidents started in the period
-- @column time_to_restore_count UInt64 : of those, resolved
-- @column time_to_restore_median_seconds Nullable(Float64) : median time to restore (started → resolved)
-- @column time_to_restore_p90_seconds Nullable(Float64) : 90th percentile time to restore
-- @column time_to_restore_mean_seconds Nullable(Float64) : mean time to restore
-- @column recovery_count UInt64 : failed deployments of the period that recovered
-- @column recovery_median_seconds Nullable(Float64) : median failed deployment recovery time
-- @column recovery_p90_seconds Nullable(Float64) : 90th percentile failed deployment recovery time
-- @column recovery_mean_seconds Nullable(Float64) : mean failed deployment recovery time
-- @column rework_deployments UInt64 : rollbacks and deployments made while an incident was open
-- @column rework_rate Nullable(Float64) : rework_deployments / deployments
--
-- The rows of the four tables in one view (metric_rows, clickhouse/migrations.ts:
-- each row tagged by src), filtered once by period and group, then aggregated
-- with -If combinators: the same filters, columns and quantile function as
-- queries/metrics/*.sql.
SELECT
  if({group_by:String} = 'service', svc, '') AS service,
  if({group_by:String} = 'none', '', tm) AS team,
  countIf(src = 'deployment') AS deployments,
  deployments * 86400000 / (toUnixTimestamp64Milli({to:DateTime64(3, 'UTC')}) - toUnixTimestamp64Milli({from:DateTime64(3, 'UTC')})) AS deployments_per_day,
  countIf(src = 'attempt') AS failed_attempts,
  countIf(src = 'change') AS lead_time_count,
  quantileExactInclusiveIf(0.5)(v, src = 'change') AS lead_time_median_seconds,
  quantileExactInclusiveIf(0.9)(v, src = 'change') AS lead_time_p90_seconds,
  avgIf(v, src = 'change') AS lead_time_mean_seconds,
  countIf(src = 'deployment' AND failed = 1) AS failed_deployments,
  if(deployments = 0, NULL, failed_deployments / deployments) AS change_failure_rate,
  countIf(src = 'incident') AS incidents,
  countIf(src = 'incident' AND v IS NOT NULL) AS time_to_restore_count,
  quantileExactInclusiveIf(0.5)(v, src = 'incident' AND v IS NOT NULL) AS time_to_restore_median_seconds,
  quantileExactInclusiveIf(0.9)(v, src = 'incident' AND v IS NOT NULL) AS time_to_restore_p90_seconds,
  avgIf(v, src = 'incident' AND v IS NOT NULL) AS time_to_restore_mean_seconds,
  countIf(src = 'deployment' AND failed = 1 AND v IS NOT NULL) AS recovery_count,
  quantileExactInclusiveIf(0.5)(v, src = 'deployment' AND failed = 1 AND v IS NOT NULL) AS recovery_median_seconds,
  quantileExactInclusiveIf(0.9)(v, src = 'deployment' AND failed = 1 AND v IS NOT NULL) AS recovery_p90_seconds,
  avgIf(v, src = 'deployment' AND failed = 1 AND v IS NOT NULL) AS recovery_mean_seconds,
  countIf(src = 'deployment' AND rework = 1) AS rework_deployments,
  if(deployments = 0, NULL, rework_deployments / deployments) AS rework_rate
FROM metric_rows
WHERE t >= {from:DateTime64(3, 'UTC')} AND t < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, svc))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, tm))
GROUP BY service, team
ORDER BY service, team
