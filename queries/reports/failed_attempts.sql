-- @report failed_attempts
-- @title Failed deploy attempts
-- @description Failed attempts of the period (a failure or error status on a production deployment, each counted at its own time; METRICS.md §2) per service and state, with how many of the attempted deployments did reach production in the end.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column service String : service
-- @column team String : team
-- @column state LowCardinality(String) : failure or error
-- @column failed_attempts UInt64 : failed attempts
-- @column deployments_attempted UInt64 : distinct deployments they were attempts of
-- @column eventually_deployed UInt64 : of those, deployments that later succeeded
-- @column last_failed_at DateTime64(3, 'UTC') : the latest failed attempt
SELECT
  service, team, state,
  count() AS failed_attempts,
  uniqExact(deployment_id) AS deployments_attempted,
  uniqExactIf(deployment_id, deployment_id IN (SELECT id FROM deployments)) AS eventually_deployed,
  max(at) AS last_failed_at
FROM failed_attempts
WHERE at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY service, team, state
ORDER BY service, team, state
