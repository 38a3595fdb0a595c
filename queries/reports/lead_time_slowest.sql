-- @report lead_time_slowest
-- @title Slowest changes
-- @description The changes deployed in the period with the longest lead times (commit → production), slowest first.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (deployment time), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @param limit UInt32 = 20 : how many changes
-- @column lead_time_seconds Float64 : deployed_at − committed_at (negative counts as 0)
-- @column service String : service
-- @column team String : team
-- @column repo String : repository
-- @column sha String : commit
-- @column message String : first line of the commit message
-- @column author Nullable(String) : commit author
-- @column committed_at DateTime64(3, 'UTC') : commit time
-- @column deployed_at DateTime64(3, 'UTC') : when its deployment reached production
-- @column deployment_id String : the deployment that shipped it
-- @column url Nullable(String) : link to the commit
SELECT
  greatest(lead_time_seconds, 0) AS lead_time_seconds,
  service, team, repo, sha,
  splitByChar('\n', message)[1] AS message,
  author, committed_at, deployed_at, deployment_id, url
FROM changes
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
ORDER BY lead_time_seconds DESC, deployed_at, sha
LIMIT {limit:UInt32}
