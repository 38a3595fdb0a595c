import { z } from 'zod'
import { secretList } from '../../config/fields.ts'
import { defineSource } from '../source.ts'
import { webhookRoute } from '../flags/index.ts'
import { parseFlagger } from './parse.ts'
import { flaggerWebhook } from './route.ts'

/** `flagger:` in the configuration: the tokens a Flagger webhook may carry (it signs nothing). */
export const flaggerConfig = z.object({ tokens: secretList }).prefault({})

/** Flagger webhooks and event webhooks (progressive delivery, METRICS.md §15): rollout steps of the service named like the canary. */
export const flagger = defineSource({
  name: 'flagger',
  parsers: { flagger: parseFlagger },
  routing: {
    ofSubject: (canary) => `named:${canary}`,
    ofService: (s) => [`named:${s.name}`],
  },
  config: flaggerConfig,
  routes: [webhookRoute(flaggerWebhook, 'flaggerWebhook', 'Flagger webhook or event webhook `{name, namespace, phase, metadata}`; weights are read from metadata.eventMessage', 'flaggerToken')],
  securitySchemes: {
    flaggerToken: { type: 'apiKey', in: 'query', name: 'token', description: 'one of flagger.tokens (also accepted as metadata.token in the body, or a bearer token)' },
  },
  // A webhook's `retries` defaults to 0 (pkg/controller/webhook.go): a refused delivery is lost.
  neverRetries: true,
  unauthenticated: (c) => (c.tokens.length === 0 ? 'Flagger (flagger.tokens)' : null),
})
