/**
 * Jira admin webhooks saved with a secret send `X-Hub-Signature: sha256=<hex HMAC-SHA256
 * of the raw body>` — the WebSub form GitHub uses under `X-Hub-Signature-256`, so the
 * same check (@octokit/webhooks-methods, with our own HMAC for non-UTF-8 bodies) applies.
 */
export { verifyGithubSignature as verifyJiraSignature } from '../github/verify.ts'
