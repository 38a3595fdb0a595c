import { defineSource, type SourceRoute } from '../source.ts'
import { signedBy } from '../../http/openapi.ts'
import { parseFlagsmith } from '../flagsmith/parse.ts'
import { flagsmithWebhook } from '../flagsmith/route.ts'
import { parseLaunchdarkly } from '../launchdarkly/parse.ts'
import { launchdarklyWebhook } from '../launchdarkly/route.ts'
import { jsonWebhookHandler, type JsonWebhook } from '../shared/json-webhook.ts'
import { parseUnleash } from '../unleash/parse.ts'
import { unleashWebhook } from '../unleash/route.ts'
import { flagsConfig, flagsServiceFields } from './config.ts'

export const webhookRoute = (w: JsonWebhook, operationId: string, summary: string, scheme: string): SourceRoute => ({
  method: 'post',
  path: w.path,
  handler: jsonWebhookHandler(w),
  secured: (config) => w.secrets(config).length > 0,
  openapi: (secured) => ({ operationId, summary, security: signedBy(secured, scheme), requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } } }),
})

/**
 * Feature-flag providers (METRICS.md §12): one source, because the
 * configuration groups them under `flags:` (INTERFACE.md); each provider's
 * parser, verification and route live in its own folder (sources/launchdarkly,
 * sources/unleash, sources/flagsmith). A flag change is filed under
 * `flag:<key>`: no service claims a flag by routing, the `flags` globs decide
 * its service when it is projected (processors/releases/).
 */
export const flags = defineSource({
  name: 'flags',
  parsers: { launchdarkly: parseLaunchdarkly, unleash: parseUnleash, flagsmith: parseFlagsmith },
  routing: {
    ofSubject: (flagKey) => `flag:${flagKey}`,
    ofService: () => [],
  },
  config: flagsConfig,
  serviceFields: flagsServiceFields,
  routes: [
    webhookRoute(launchdarklyWebhook, 'launchdarklyWebhook', 'LaunchDarkly webhook: an audit-log entry (flag changes); dedupe on `_id`, ordered by `date`', 'launchdarklySignature'),
    webhookRoute(unleashWebhook, 'unleashWebhook', 'Unleash webhook: an event (feature-environment-enabled/disabled, feature-strategy-add/update/remove); dedupe on `id`', 'unleashAuthorization'),
    webhookRoute(flagsmithWebhook, 'flagsmithWebhook', 'Flagsmith environment webhook (FLAG_UPDATED)', 'flagsmithSignature'),
  ],
  securitySchemes: {
    launchdarklySignature: { type: 'apiKey', in: 'header', name: 'X-LD-Signature', description: 'hex HMAC-SHA256 of the raw body under one of flags.launchdarkly.webhookSecrets' },
    unleashAuthorization: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'the whole value set in the Unleash webhook integration: one of flags.unleash.tokens' },
    flagsmithSignature: { type: 'apiKey', in: 'header', name: 'X-Flagsmith-Signature', description: 'hex HMAC-SHA256 of the raw body under one of flags.flagsmith.webhookSecrets' },
  },
  secretHeaders: ['x-ld-signature', 'x-flagsmith-signature'],
  // LaunchDarkly retries once, Unleash once on a 5xx, Flagsmith not on an answer at all
  // (fixtures/webhooks/README.md): backpressure must treat them as senders that do not retry.
  neverRetries: true,
  unauthenticated: (c) => {
    const open = [c.launchdarkly.webhookSecrets.length === 0 && 'LaunchDarkly (flags.launchdarkly.webhookSecrets)', c.unleash.tokens.length === 0 && 'Unleash (flags.unleash.tokens)', c.flagsmith.webhookSecrets.length === 0 && 'Flagsmith (flags.flagsmith.webhookSecrets)'].filter(Boolean)
    return open.length ? open.join(', ') : null
  },
})
