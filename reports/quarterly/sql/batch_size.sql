-- Batch size (changes per deployment) against failure, per team, over the
-- deployments of [from, to) that are not rollbacks (rollbacks carry no changes).
-- Params: from, to DateTime64(3,'UTC'); team String ('' = all).
SELECT
  team,
  multiIf(change_count = 0, 0, change_count = 1, 1, change_count <= 3, 2, change_count <= 7, 4, 8) AS batchMin,
  count() AS deployments,
  countIf(failed = 1) AS failed
FROM deployments
WHERE deployed_at >= {from:DateTime64(3, 'UTC')} AND deployed_at < {to:DateTime64(3, 'UTC')}
  AND is_rollback = 0
  AND ({team:String} = '' OR team = {team:String})
GROUP BY team, batchMin
ORDER BY team, batchMin
