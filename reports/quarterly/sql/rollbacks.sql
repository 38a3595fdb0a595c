-- Rollbacks deployed in [from, to) and the deployment each one undid (its
-- previous deployment, METRICS.md §5 rule 3): how fast after the bad deploy.
-- Params: from, to DateTime64(3,'UTC'); team String ('' = all).
SELECT
  r.id AS id, r.service AS service, r.team AS team, r.version AS version, r.url AS url,
  toUnixTimestamp64Milli(r.deployed_at) AS deployedAtMs,
  r.previous_id AS undoneId,
  b.version AS undoneVersion,
  if(isNull(b.deployed_at), NULL, toUnixTimestamp64Milli(assumeNotNull(b.deployed_at))) AS undoneDeployedAtMs,
  if(isNull(b.deployed_at), NULL, dateDiff('millisecond', assumeNotNull(b.deployed_at), r.deployed_at) / 1000) AS secondsAfterBadDeploy
FROM deployments AS r
LEFT JOIN (SELECT id, service, version, deployed_at FROM deployments) AS b ON b.id = r.previous_id AND b.service = r.service
WHERE r.is_rollback = 1
  AND r.deployed_at >= {from:DateTime64(3, 'UTC')} AND r.deployed_at < {to:DateTime64(3, 'UTC')}
  AND ({team:String} = '' OR r.team = {team:String})
ORDER BY team, r.deployed_at, r.id
SETTINGS join_use_nulls = 1
