-- @report deployments_failed
-- @title Failed deployments and their causes
-- @description The failed deployments of the period (METRICS.md §5), newest first, with why each failed: an incident naming its sha (incident), an incident in the attribution window (window), or a rollback of it (rollback).
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @param limit UInt32 = 200 : at most this many rows
-- @column deployed_at DateTime64(3, 'UTC') : when it reached production
-- @column service String : service
-- @column team String : team
-- @column id String : deployment identity
-- @column version String : sha or artifact
-- @column cause_kinds Array(String) : distinct kinds of failure causes: incident, window, rollback
-- @column failure_causes Array(String) : each cause as kind:id (incident:<incident id>, window:<incident id>, rollback:<deployment id>)
-- @column incident_ids Array(String) : incidents linked or attributed to it
-- @column rolled_back_by Nullable(String) : the rollback deployment, if one
-- @column recovered_at Nullable(DateTime64(3, 'UTC')) : when it recovered (METRICS.md §6)
-- @column recovery_seconds Nullable(Float64) : recovered_at − deployed_at
-- @column change_count UInt32 : changes it shipped
-- @column url Nullable(String) : link to the deployment
SELECT
  deployed_at, service, team, id, version,
  arrayDistinct(arrayMap(c -> splitByChar(':', c)[1], failure_causes)) AS cause_kinds,
  failure_causes,
  incident_ids,
  nullIf(substring(arrayFirst(c -> startsWith(c, 'rollback:'), failure_causes), 10), '') AS rolled_back_by,
  recovered_at, recovery_seconds, change_count, url
FROM deployments
WHERE failed = 1
  AND deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
ORDER BY deployed_at DESC, id
LIMIT {limit:UInt32}
