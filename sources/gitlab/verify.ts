import { unauthorized } from '../../http/errors.ts'
import { signedHeaders, verifyStandardWebhook } from '../shared/standard-webhooks.ts'
import { tokenMatches } from '../shared/verify-token.ts'

export interface GitlabCredentials {
  token: string | undefined
  header: (name: string) => string | undefined
}

/**
 * A GitLab delivery is authentic when its Standard Webhooks signature matches a
 * `gitlab.signingTokens` entry, or (no signature, or no signing token configured)
 * its X-Gitlab-Token equals a `gitlab.webhookTokens` entry. Throws 401 saying why.
 */
export function verifyGitlab(raw: Buffer, c: GitlabCredentials, cfg: { webhookTokens: readonly string[]; signingTokens: readonly string[] }): true {
  const signed = signedHeaders(c.header)
  if (signed && cfg.signingTokens.length > 0) {
    const out = verifyStandardWebhook(raw, signed, cfg.signingTokens)
    if (out.ok) return true
    throw unauthorized(`${out.message} (gitlab.signingTokens)`)
  }
  if (c.token !== undefined && cfg.webhookTokens.length > 0) {
    if (tokenMatches(c.token, cfg.webhookTokens)) return true
    throw unauthorized('X-Gitlab-Token matches no configured gitlab.webhookTokens entry')
  }
  if (c.token !== undefined) throw unauthorized('X-Gitlab-Token was sent but gitlab.webhookTokens is empty (only signing tokens are configured): add the token, or sign the webhook')
  throw unauthorized('webhook-signature was sent but gitlab.signingTokens is empty: add the signing token, or set the X-Gitlab-Token secret')
}
