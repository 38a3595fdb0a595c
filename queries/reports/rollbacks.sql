-- @report rollbacks
-- @title Rollbacks and how fast they came
-- @description Each rollback deployed in the period (METRICS.md §5 rule 3: it redeploys an earlier sha, or is declared one), with the bad deployment it undid (the one right before it) and the time from that bad deploy to the rollback. Newest first.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period (rollback deployed_at), inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @param limit UInt32 = 200 : at most this many rows
-- @column rolled_back_at DateTime64(3, 'UTC') : when the rollback reached production
-- @column service String : service
-- @column team String : team
-- @column rollback_id String : the rollback deployment
-- @column rollback_version String : the sha or artifact it went back to
-- @column bad_deployment_id Nullable(String) : the deployment it undid
-- @column bad_version Nullable(String) : that deployment's sha or artifact
-- @column bad_deployed_at Nullable(DateTime64(3, 'UTC')) : when the bad deployment reached production
-- @column time_to_rollback_seconds Nullable(Float64) : rolled_back_at − bad_deployed_at
-- @column bad_incident_ids Array(String) : incidents linked or attributed to the bad deployment
SELECT
  r.deployed_at AS rolled_back_at,
  r.service AS service,
  r.team AS team,
  r.id AS rollback_id,
  r.version AS rollback_version,
  b.id AS bad_deployment_id,
  b.version AS bad_version,
  b.deployed_at AS bad_deployed_at,
  if(b.id IS NULL, NULL, (toUnixTimestamp64Milli(r.deployed_at) - toUnixTimestamp64Milli(b.deployed_at)) / 1000) AS time_to_rollback_seconds,
  ifNull(b.incident_ids, []) AS bad_incident_ids
FROM (
  SELECT id, service, team, version, deployed_at, previous_id FROM deployments
  WHERE is_rollback = 1
    AND deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
) AS r
LEFT JOIN (SELECT id, service, version, deployed_at, incident_ids FROM deployments) AS b
  ON b.id = r.previous_id AND b.service = r.service
ORDER BY rolled_back_at DESC, rollback_id
LIMIT {limit:UInt32}
SETTINGS join_use_nulls = 1
