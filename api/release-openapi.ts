import { z } from 'zod'
import type { Config } from '../config/schema.ts'
import { flagsQuerySchema, releasesQuerySchema } from '../queries/releases.ts'

type Json = Record<string, unknown>

/** The helpers of api/openapi.ts this part of the document is built with. */
export interface DocParts {
  cfg: Partial<Pick<Config, 'flags'>> | undefined
  json: (schema: z.ZodType, description: string) => Json
  parameters: (schema: z.ZodType, where: 'query' | 'header', descriptions?: Record<string, string>) => Json[]
  signed: (configured: boolean | undefined, name: string) => Json[]
  accepted: Json
  ingestErrors: Json
  apiErrors: Json
  apiSecurity: Json[]
}

export const RELEASE_ROUTES: [string, string[]][] = [
  ['/webhooks/launchdarkly', ['POST']],
  ['/webhooks/unleash', ['POST']],
  ['/webhooks/flagsmith', ['POST']],
  ['/webhooks/flagger', ['POST']],
  ['/api/v1/releases', ['GET']],
  ['/api/v1/flags', ['GET']],
]

export const RELEASE_SECURITY_SCHEMES = {
  launchdarklySignature: { type: 'apiKey', in: 'header', name: 'X-LD-Signature', description: 'hex HMAC-SHA256 of the raw body under one of flags.launchdarkly.webhookSecrets' },
  unleashAuthorization: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'the whole value set in the Unleash webhook integration: one of flags.unleash.tokens' },
  flagsmithSignature: { type: 'apiKey', in: 'header', name: 'X-Flagsmith-Signature', description: 'hex HMAC-SHA256 of the raw body under one of flags.flagsmith.webhookSecrets' },
  flaggerToken: { type: 'apiKey', in: 'query', name: 'token', description: 'one of flags.flagger.tokens (also accepted as metadata.token in the body, or a bearer token)' },
}

const anyJson = z.looseObject({})
const stats = z.object({ count: z.number().int(), median: z.number().nullable(), p90: z.number().nullable(), mean: z.number().nullable() })
/** The fields METRICS.md §12–§15 add to every metrics row. */
export const releaseRowFields = {
  release: z.object({ releases: z.number(), fullReleases: z.number(), rolloutSeconds: stats, killSwitches: z.number(), timeToKillSeconds: stats, staleFlags: z.number() }),
  recoveryByPath: z.object({ rollback: stats, kill_switch: stats, fix_forward: stats, other: stats }),
  freezeDeployments: z.number(),
  freezeFailedDeployments: z.number(),
  canaryAborts: z.number(),
  blastRadiusPercent: stats,
}

const releasesAnswer = z.object({ releases: z.array(anyJson), killSwitches: z.array(anyJson), rollouts: z.array(anyJson) })
const flagsAnswer = z.object({
  at: z.string(),
  staleFlagDays: z.number(),
  flags: z.array(z.object({ flag: z.string(), service: z.string(), team: z.string(), provider: z.string(), environment: z.string(), exposure: z.number(), since: z.string(), daysAtExposure: z.number(), stale: z.boolean() })),
})

export function releasePaths(d: DocParts): Json {
  const webhook = (operationId: string, summary: string, configured: boolean | undefined, scheme: string) => ({
    post: {
      operationId,
      summary,
      security: d.signed(configured, scheme),
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
      responses: { ...d.accepted, ...d.ingestErrors },
    },
  })
  const flags = d.cfg?.flags
  return {
    '/webhooks/launchdarkly': webhook('launchdarklyWebhook', 'LaunchDarkly webhook: an audit-log entry (flag changes, METRICS.md §12); dedupe on `_id`', flags ? flags.launchdarkly.webhookSecrets.length > 0 : undefined, 'launchdarklySignature'),
    '/webhooks/unleash': webhook('unleashWebhook', 'Unleash webhook: an event (feature-environment-enabled/disabled, feature-strategy-add/update/remove); dedupe on `id`', flags ? flags.unleash.tokens.length > 0 : undefined, 'unleashAuthorization'),
    '/webhooks/flagsmith': webhook('flagsmithWebhook', 'Flagsmith environment webhook (FLAG_UPDATED)', flags ? flags.flagsmith.webhookSecrets.length > 0 : undefined, 'flagsmithSignature'),
    '/webhooks/flagger': webhook('flaggerWebhook', 'Flagger webhook or event webhook `{name, namespace, phase, metadata}` (progressive delivery, METRICS.md §15)', flags ? flags.flagger.tokens.length > 0 : undefined, 'flaggerToken'),
    '/api/v1/releases': {
      get: {
        operationId: 'listReleases',
        summary: 'Flag releases with their full release, kill switches with their incident, canary attempts (METRICS.md §12, §15)',
        security: d.apiSecurity,
        parameters: d.parameters(releasesQuerySchema, 'query'),
        responses: { '200': d.json(releasesAnswer, 'newest first'), ...d.apiErrors },
      },
    },
    '/api/v1/flags': {
      get: {
        operationId: 'listFlags',
        summary: 'Production flags with their exposure at `at` (default now), since when, and whether stale (100 % for more than metrics.staleFlagDays)',
        security: d.apiSecurity,
        parameters: d.parameters(flagsQuerySchema, 'query'),
        responses: { '200': d.json(flagsAnswer, 'flags by service'), ...d.apiErrors },
      },
    },
  }
}
