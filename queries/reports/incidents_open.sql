-- @report incidents_open
-- @title Open incidents now
-- @description Every incident not resolved now (never resolved, or reopened after its last resolution; METRICS.md §4), whenever it started, oldest first, with its age at the time of the query.
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column started_at DateTime64(3, 'UTC') : when it started
-- @column age_seconds Float64 : now − started_at
-- @column service String : service
-- @column team String : team
-- @column id String : incident identity
-- @column title String : title
-- @column priority Nullable(String) : priority
-- @column urgency Nullable(String) : urgency
-- @column acknowledged_at Nullable(DateTime64(3, 'UTC')) : first acknowledgement, if any
-- @column reopen_count UInt32 : times reopened
-- @column link_kind LowCardinality(String) : explicit, window or none: how it is tied to a deployment
-- @column deployment_ids Array(String) : deployments it is linked or attributed to
-- @column url Nullable(String) : link to the incident
SELECT
  started_at,
  (toUnixTimestamp64Milli(now64(3)) - toUnixTimestamp64Milli(started_at)) / 1000 AS age_seconds,
  service, team, id, title, priority, urgency, acknowledged_at, reopen_count,
  link_kind, deployment_ids, url
FROM incidents
WHERE status = 'open'
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
ORDER BY started_at, id
