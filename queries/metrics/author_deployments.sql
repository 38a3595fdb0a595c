-- groupBy=authorClass (METRICS.md §16): the deployments of the period that carry at least one
-- change of each author class, counted as deployments.sql counts them — so a class's change
-- failure rate is "their deployments' failure rate". A deployment with changes of two classes
-- counts in both rows.
SELECT
  '' AS g_service, '' AS g_team, c.author_class AS g_class,
  {{bucket(d.deployed_at)}} AS bucket,
  count() AS deployments,
  countIf(d.failed = 1) AS failed_deployments,
  countIf(d.rework = 1) AS rework_deployments,
  countIf(d.failed = 1 AND d.recovery_seconds IS NOT NULL) AS recovery_count,
  quantileExactInclusiveIf(0.5)(d.recovery_seconds, d.failed = 1 AND d.recovery_seconds IS NOT NULL) AS recovery_median,
  quantileExactInclusiveIf(0.9)(d.recovery_seconds, d.failed = 1 AND d.recovery_seconds IS NOT NULL) AS recovery_p90,
  avgIf(d.recovery_seconds, d.failed = 1 AND d.recovery_seconds IS NOT NULL) AS recovery_mean
FROM deployments AS d
INNER JOIN (SELECT DISTINCT service, deployment_id, author_class FROM changes) AS c
  ON c.service = d.service AND c.deployment_id = d.id
WHERE d.deployed_at >= {from:DateTime64(3, 'UTC')} AND d.deployed_at < {to:DateTime64(3, 'UTC')}
  AND (empty({services:Array(String)}) OR has({services:Array(String)}, d.service))
  AND (empty({teams:Array(String)}) OR has({teams:Array(String)}, d.team))
GROUP BY g_service, g_team, g_class, bucket
