-- Failed attempts (failure/error statuses on production deployments), each
-- counted once at its own time.
SELECT
  {{group}},
  {{bucket(at)}} AS bucket,
  count() AS failed_attempts
FROM failed_attempts
WHERE at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, team))
GROUP BY g_service, g_team, g_class, bucket
