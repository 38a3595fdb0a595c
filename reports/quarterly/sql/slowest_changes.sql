-- The changes with the longest lead time (commit → production) among the
-- deployments of [from, to), per team. A negative lead time (clock skew) is 0.
-- Params: from, to DateTime64(3,'UTC'); team String ('' = all); limit UInt32 (per team).
SELECT
  c.service AS service, c.team AS team, c.repo AS repo, c.sha AS sha, c.message AS message, c.url AS url, c.author AS author,
  c.deployment_id AS deploymentId,
  toUnixTimestamp64Milli(c.committed_at) AS committedAtMs,
  toUnixTimestamp64Milli(c.deployed_at) AS deployedAtMs,
  greatest(c.lead_time_seconds, 0) AS leadTimeSeconds,
  p.number AS prNumber, p.title AS prTitle, p.url AS prUrl
FROM changes AS c
LEFT JOIN (
  SELECT repo, merge_commit_sha, any(number) AS number, any(title) AS title, any(url) AS url
  FROM pull_requests WHERE merge_commit_sha IS NOT NULL GROUP BY repo, merge_commit_sha
) AS p ON p.repo = c.repo AND p.merge_commit_sha = c.sha
WHERE c.deployed_at >= {from:DateTime64(3, 'UTC')} AND c.deployed_at < {to:DateTime64(3, 'UTC')}
  AND ({team:String} = '' OR c.team = {team:String})
ORDER BY team, leadTimeSeconds DESC, c.committed_at, c.sha
LIMIT {limit:UInt32} BY team
SETTINGS join_use_nulls = 1
