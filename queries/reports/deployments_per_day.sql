-- @report deployments_per_day
-- @title Deployments per day
-- @description Deployments, failed deployments, rollbacks and failed attempts per local day in tz, every day of the period listed (zeros included).
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param tz String = config:timezone : IANA timezone of the days
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column day Date : local day in tz
-- @column deployments UInt64 : deployments that day
-- @column failed_deployments UInt64 : of those, failed (METRICS.md §5)
-- @column rollbacks UInt64 : of those, rollbacks
-- @column failed_attempts UInt64 : failed deployment attempts that day
SELECT
  toDate(t, {tz:String}) AS day,
  countIf(src = 'deployment') AS deployments,
  countIf(src = 'deployment' AND failed = 1) AS failed_deployments,
  countIf(src = 'deployment' AND is_rollback = 1) AS rollbacks,
  countIf(src = 'attempt') AS failed_attempts
FROM (
  SELECT service AS svc, team AS tm, deployed_at AS t, 'deployment' AS src, failed, is_rollback FROM deployments
  UNION ALL
  SELECT service AS svc, team AS tm, at AS t, 'attempt' AS src, 0 AS failed, 0 AS is_rollback FROM failed_attempts
)
WHERE t >= {from:DateTime64(3, 'UTC')} AND t < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, svc))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, tm))
GROUP BY day
ORDER BY day WITH FILL
  FROM toDate({from:DateTime64(3, 'UTC')}, {tz:String})
  TO toDate({to:DateTime64(3, 'UTC')} - toIntervalMillisecond(1), {tz:String}) + 1
