import { describe, expect, it } from 'vitest'
import { openApiDocument } from '../../api/openapi.ts'
import { configSchema } from '../../config/schema.ts'

describe('OpenAPI: the release sources, kinds and routes', () => {
  const doc = openApiDocument() as any

  it('POST /events documents the flag and rollout kinds with their required fields and ranges', () => {
    const kinds = doc.paths['/events'].post.requestBody.content['application/json'].schema.anyOf[0].oneOf
    const flag = kinds.find((s: any) => s.properties.kind.const === 'flag')
    const rollout = kinds.find((s: any) => s.properties.kind.const === 'rollout')
    expect(flag.required).toEqual(expect.arrayContaining(['id', 'flag', 'environment', 'exposure', 'changedAt']))
    expect(flag.properties.exposure).toMatchObject({ minimum: 0, maximum: 100 })
    expect(rollout.properties.phase.enum).toEqual(['progressing', 'paused', 'completed', 'aborted', 'failed'])
  })

  it('the four webhooks, their security under a config, and the three read routes', () => {
    for (const p of ['/webhooks/launchdarkly', '/webhooks/unleash', '/webhooks/flagsmith', '/webhooks/flagger']) expect(doc.paths[p].post.responses['401'], p).toBeDefined()
    for (const p of ['/api/v1/releases', '/api/v1/flags', '/api/v1/freezes']) expect(doc.paths[p].get.parameters.length, p).toBeGreaterThan(0)
    const secured = openApiDocument({ config: configSchema.parse({ flags: { launchdarkly: { webhookSecrets: ['s'] } } }) }) as any
    expect(secured.paths['/webhooks/launchdarkly'].post.security).toEqual([{ launchdarklySignature: [] }])
    // Unconfigured providers are loopback-only, not signed.
    expect(secured.paths['/webhooks/unleash'].post.security).toEqual([])
    expect(secured.components.securitySchemes.launchdarklySignature).toMatchObject({ in: 'header', name: 'X-LD-Signature' })
    expect(doc.components.schemas ?? {}).toBeDefined()
  })
})
