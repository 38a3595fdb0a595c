import { flaggerWebhook } from './flagger/route.ts'
import { flagsmithWebhook } from './flagsmith/route.ts'
import { launchdarklyWebhook } from './launchdarkly/route.ts'
import type { JsonWebhook } from './shared/json-webhook.ts'
import { unleashWebhook } from './unleash/route.ts'

/** The release-engineering webhook sources (METRICS.md §12, §15). */
export const RELEASE_WEBHOOKS: readonly JsonWebhook[] = [launchdarklyWebhook, unleashWebhook, flagsmithWebhook, flaggerWebhook]
