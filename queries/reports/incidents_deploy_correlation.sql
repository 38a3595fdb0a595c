-- @report incidents_deploy_correlation
-- @title Deploy-correlated incidents
-- @description Incidents started in the period by how they are tied to a deployment (METRICS.md §5): explicit (their text or field names a deployed sha or artifact), window (started within the attribution window after a deployment), none. Every kind is listed.
-- @param from DateTime64(3, 'UTC') = -90d : start of the period, inclusive (UTC instant)
-- @param to DateTime64(3, 'UTC') = now : end of the period, exclusive (UTC instant)
-- @param services Array(String) = [] : only these services (empty: all)
-- @param teams Array(String) = [] : only these teams (empty: all)
-- @column link_kind String : explicit, window or none
-- @column label String : the kind in words
-- @column incidents UInt64 : incidents of that kind
-- @column share Nullable(Float64) : incidents / all incidents of the period
SELECT
  k.link_kind AS link_kind,
  multiIf(k.link_kind = 'explicit', 'names a deployed sha', k.link_kind = 'window', 'within the attribution window after a deploy', 'not tied to a deployment') AS label,
  i.incidents AS incidents,
  if(sum(i.incidents) OVER () = 0, NULL, i.incidents / sum(i.incidents) OVER ()) AS share
FROM (SELECT arrayJoin(['explicit', 'window', 'none']) AS link_kind) AS k
LEFT JOIN (
  SELECT toString(link_kind) AS link_kind, count() AS incidents
  FROM incidents
  WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
    AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
    AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
  GROUP BY link_kind
) AS i ON i.link_kind = k.link_kind
ORDER BY indexOf(['explicit', 'window', 'none'], link_kind)
