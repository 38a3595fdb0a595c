-- @report rollbacks_summary
-- @title Rollbacks per group
-- @description How many rollbacks were deployed in the period and how long after the bad deployment they came (same definitions as the rollbacks report).
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (rollback deployed_at), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service, per team, or one row
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column deployments UInt64 : deployments in the period (rollbacks included)
-- @column rollbacks UInt64 : of those, rollbacks
-- @column rollback_rate Nullable(Float64) : rollbacks / deployments
-- @column time_to_rollback_median_seconds Nullable(Float64) : median time from the bad deploy to its rollback
-- @column time_to_rollback_p90_seconds Nullable(Float64) : 90th percentile
-- @column time_to_rollback_max_seconds Nullable(Float64) : slowest
SELECT
  if({group_by:String} = 'service', r.service, '') AS service,
  if({group_by:String} = 'none', '', r.team) AS team,
  count() AS deployments,
  countIf(r.is_rollback = 1) AS rollbacks,
  if(deployments = 0, NULL, rollbacks / deployments) AS rollback_rate,
  quantileExactInclusiveIf(0.5)((toUnixTimestamp64Milli(r.deployed_at) - toUnixTimestamp64Milli(b.deployed_at)) / 1000, r.is_rollback = 1 AND b.id IS NOT NULL) AS time_to_rollback_median_seconds,
  quantileExactInclusiveIf(0.9)((toUnixTimestamp64Milli(r.deployed_at) - toUnixTimestamp64Milli(b.deployed_at)) / 1000, r.is_rollback = 1 AND b.id IS NOT NULL) AS time_to_rollback_p90_seconds,
  maxIf((toUnixTimestamp64Milli(r.deployed_at) - toUnixTimestamp64Milli(b.deployed_at)) / 1000, r.is_rollback = 1 AND b.id IS NOT NULL) AS time_to_rollback_max_seconds
FROM (
  SELECT id, service, team, deployed_at, previous_id, is_rollback FROM deployments
  WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
) AS r
LEFT JOIN (SELECT id, service, deployed_at FROM deployments) AS b
  ON b.id = r.previous_id AND b.service = r.service
GROUP BY service, team
ORDER BY service, team
SETTINGS join_use_nulls = 1
