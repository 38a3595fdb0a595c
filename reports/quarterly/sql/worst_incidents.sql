-- The longest incidents of each team started in [from, to): resolved ones by
-- time to restore, open ones by how long they have been open at {asOf}.
-- Params: from, to, asOf DateTime64(3,'UTC'); team String ('' = all); limit UInt32 (per team).
SELECT
  id, service, team, title, url, priority, urgency, status, link_kind AS linkKind, deployment_ids AS deploymentIds,
  toUnixTimestamp64Milli(started_at) AS startedAtMs,
  if(isNull(resolved_at), NULL, toUnixTimestamp64Milli(assumeNotNull(resolved_at))) AS resolvedAtMs,
  acknowledge_seconds AS acknowledgeSeconds,
  restore_seconds AS restoreSeconds,
  ifNull(restore_seconds, greatest(0, dateDiff('millisecond', started_at, {asOf:DateTime64(3, 'UTC')}) / 1000)) AS durationSeconds
FROM incidents
WHERE started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}
  AND ({team:String} = '' OR team = {team:String})
ORDER BY team, durationSeconds DESC, started_at, id
LIMIT {limit:UInt32} BY team
