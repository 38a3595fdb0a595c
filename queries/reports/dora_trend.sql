-- @report dora_trend
-- @title DORA figures per day, week, month or quarter
-- @description The figures of dora_summary per calendar bucket in tz (weeks start on Monday); a bucket cut by the period counts only its part inside [from, to), and deployments_per_day uses that part's length (METRICS.md §9). Buckets with nothing in them are omitted.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param tz String = config:timezone : IANA timezone of the calendar buckets
-- @param bucket String = week [day|week|month|quarter] : bucket size
-- @param group_by String = none [service|team|none] : one series per service, per team, or one series
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column bucket_start DateTime64(3, 'UTC') : start of the bucket (local midnight in tz, or from when the period cuts the bucket)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column deployments UInt64 : deployments in the bucket
-- @column deployments_per_day Float64 : deployments / length of the bucket's part inside the period, in days
-- @column failed_attempts UInt64 : failed deployment attempts
-- @column lead_time_count UInt64 : changes deployed
-- @column lead_time_median_seconds Nullable(Float64) : median lead time
-- @column lead_time_p90_seconds Nullable(Float64) : 90th percentile lead time
-- @column failed_deployments UInt64 : failed deployments
-- @column change_failure_rate Nullable(Float64) : failed_deployments / deployments
-- @column incidents UInt64 : incidents started
-- @column time_to_restore_count UInt64 : of those, resolved
-- @column time_to_restore_median_seconds Nullable(Float64) : median time to restore
-- @column time_to_restore_p90_seconds Nullable(Float64) : 90th percentile time to restore
-- @column recovery_count UInt64 : failed deployments that recovered
-- @column recovery_median_seconds Nullable(Float64) : median failed deployment recovery time
-- @column rework_deployments UInt64 : rework deployments
-- @column rework_rate Nullable(Float64) : rework_deployments / deployments
SELECT
  greatest(toTimeZone(toDateTime64(day, 3, {tz:String}), 'UTC'), {from:DateTime64(3, 'UTC')}) AS bucket_start,
  if({group_by:String} = 'service', svc, '') AS service,
  if({group_by:String} = 'none', '', tm) AS team,
  countIf(src = 'deployment') AS deployments,
  deployments * 86400000 / (
    toUnixTimestamp64Milli(least(toDateTime64(multiIf({bucket:String} = 'day', addDays(day, 1), {bucket:String} = 'week', addDays(day, 7), {bucket:String} = 'month', addMonths(day, 1), addMonths(day, 3)), 3, {tz:String}), {to:DateTime64(3, 'UTC')}))
    - toUnixTimestamp64Milli(bucket_start)) AS deployments_per_day,
  countIf(src = 'attempt') AS failed_attempts,
  countIf(src = 'change') AS lead_time_count,
  quantileExactInclusiveIf(0.5)(v, src = 'change') AS lead_time_median_seconds,
  quantileExactInclusiveIf(0.9)(v, src = 'change') AS lead_time_p90_seconds,
  countIf(src = 'deployment' AND failed = 1) AS failed_deployments,
  if(deployments = 0, NULL, failed_deployments / deployments) AS change_failure_rate,
  countIf(src = 'incident') AS incidents,
  countIf(src = 'incident' AND v IS NOT NULL) AS time_to_restore_count,
  quantileExactInclusiveIf(0.5)(v, src = 'incident' AND v IS NOT NULL) AS time_to_restore_median_seconds,
  quantileExactInclusiveIf(0.9)(v, src = 'incident' AND v IS NOT NULL) AS time_to_restore_p90_seconds,
  countIf(src = 'deployment' AND failed = 1 AND v IS NOT NULL) AS recovery_count,
  quantileExactInclusiveIf(0.5)(v, src = 'deployment' AND failed = 1 AND v IS NOT NULL) AS recovery_median_seconds,
  countIf(src = 'deployment' AND rework = 1) AS rework_deployments,
  if(deployments = 0, NULL, rework_deployments / deployments) AS rework_rate
FROM (
  SELECT *,
    -- the local date the bucket begins on (Date), as in queries/metrics.ts
    multiIf({bucket:String} = 'day', toDate(t, {tz:String}), {bucket:String} = 'week', toMonday(t, {tz:String}),
            {bucket:String} = 'month', toStartOfMonth(t, {tz:String}), toStartOfQuarter(t, {tz:String})) AS day
  FROM metric_rows -- clickhouse/migrations.ts: the rows of the figures, tagged by src
  WHERE t >= {from:DateTime64(3, 'UTC')} AND t < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, svc))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, tm))
)
GROUP BY day, service, team
ORDER BY bucket_start, service, team
