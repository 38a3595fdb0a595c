import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { openApiDocument, ROUTES } from '../../api/openapi.ts'
import { configSchema } from '../../config/schema.ts'
import { genericIncidentSchema } from '../../sources/events/generic-schema.ts'
import { recordsQuerySchema } from '../../queries/records.ts'

/** The OpenAPI document is built from the validating zod schemas (issue 6 §1); schemathesis fuzzes it in CI. */
describe('OpenAPI 3.1 description', () => {
  const doc = openApiDocument() as any

  it('describes every route the server answers, with their methods', () => {
    expect(doc.openapi).toBe('3.1.0')
    for (const [path, methods] of ROUTES) {
      expect(doc.paths[path], path).toBeDefined()
      expect(Object.keys(doc.paths[path]).map((m) => m.toUpperCase())).toEqual(methods)
    }
  })

  it('request parts come from the zod schemas the routes validate with', () => {
    const events = doc.paths['/events'].post.requestBody.content['application/json'].schema.anyOf[0]
    const incident = events.oneOf.find((s: any) => s.properties.kind.const === 'incident')
    const fromZod = z.toJSONSchema(genericIncidentSchema, { io: 'input' }) as any
    expect(incident.required).toEqual(fromZod.required)
    expect(incident.properties.status).toEqual(fromZod.properties.status)
    const limit = doc.paths['/api/v1/deployments'].get.parameters.find((p: any) => p.name === 'limit')
    expect(limit.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 5000 })
    expect(recordsQuerySchema.safeParse({ limit: '5001' }).success).toBe(false)
    const gh = doc.paths['/webhooks/github'].post.parameters.map((p: any) => [p.name, p.required])
    expect(gh).toEqual(expect.arrayContaining([['x-github-event', true], ['x-github-delivery', false]]))
    // The .refine() "sha or artifact" is spelled out.
    const deployment = events.oneOf.find((s: any) => s.properties.kind.const === 'deployment')
    expect(deployment.anyOf).toEqual([{ required: ['sha'] }, { required: ['artifact'] }])
  })

  it('security follows the config: signed webhooks and bearer API when secrets are set, open (loopback) when not', () => {
    const secured = openApiDocument({ config: configSchema.parse({ api: { tokens: ['t'] }, github: { webhookSecrets: ['s'] } }) }) as any
    expect(secured.paths['/api/v1/metrics'].get.security).toEqual([{ apiToken: [] }])
    expect(secured.paths['/webhooks/github'].post.security).toEqual([{ githubSignature: [] }])
    expect(secured.paths['/webhooks/pagerduty'].post.security).toEqual([])
    const open = openApiDocument({ config: configSchema.parse({}) }) as any
    expect(open.paths['/api/v1/metrics'].get.security).toEqual([])
  })

  it('every operation documents its error answers as JSON {error, message}', () => {
    for (const [path, ops] of Object.entries<any>(doc.paths)) {
      for (const op of Object.values<any>(ops)) {
        for (const [code, r] of Object.entries<any>(op.responses)) {
          if (Number(code) >= 400 && path !== '/readyz') expect(r.content['application/json'].schema.required, `${path} ${code}`).toEqual(['error', 'message'])
        }
      }
    }
  })
})
