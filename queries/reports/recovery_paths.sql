-- @report recovery_paths
-- @title Rollback vs hotfix: how failed deployments recovered
-- @description Failed, recovered deployments of the period by recovery path (METRICS.md §13): rollback, kill switch, fix-forward, other, with their recovery times.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (deployed_at of the failed deployment), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param group_by String = service [service|team|none] : one row per service and path, per team and path, or per path
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : the service ('' unless group_by = service)
-- @column team String : the team ('' when group_by = none)
-- @column path String : rollback | kill_switch | fix_forward | other
-- @column failed_deployments UInt64 : failed deployments recovered by this path
-- @column recovery_median_seconds Float64 : median time from the deployment to its recovery
-- @column recovery_p90_seconds Float64 : 90th percentile
-- @column recovery_mean_seconds Float64 : mean
SELECT
  if({group_by:String} = 'service', p.service, '') AS service,
  if({group_by:String} = 'none', '', p.team) AS team,
  CAST(path, 'String') AS path,
  count() AS failed_deployments,
  quantileExactInclusive(0.5)(recovery_seconds) AS recovery_median_seconds,
  quantileExactInclusive(0.9)(recovery_seconds) AS recovery_p90_seconds,
  avg(recovery_seconds) AS recovery_mean_seconds
FROM recovery_paths AS p
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, p.service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, p.team))
GROUP BY service, team, path
ORDER BY service, team, indexOf(['rollback', 'kill_switch', 'fix_forward', 'other'], path)
