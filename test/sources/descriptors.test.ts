import { describe, expect, it } from 'vitest'
import { openApiDocument, ROUTES } from '../../api/openapi.ts'
import { configSchema } from '../../config/schema.ts'
import { REDACT_PATHS } from '../../server/logger.ts'
import { ENVELOPE_KINDS, unauthenticatedSources } from '../../sources/index.ts'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

/** What the SOURCES list gives the three new sources, without code outside their folders. */
describe('gitlab, incidentio and jira in the SOURCES list', () => {
  it('envelope kinds and routes (405 table)', () => {
    expect(ENVELOPE_KINDS).toEqual(expect.arrayContaining(['gitlab', 'incidentio', 'jira']))
    for (const p of ['/webhooks/gitlab', '/webhooks/incidentio', '/webhooks/jira']) expect(ROUTES.get(p)).toEqual(['POST'])
  })
  it('OpenAPI: the routes with their security schemes, open (loopback) when unconfigured', () => {
    const secured = openApiDocument({ config: configSchema.parse({ gitlab: { webhookTokens: ['t'] }, incidentio: { webhookSecrets: [SECRET] }, jira: { webhookSecrets: ['j'] } }) }) as any
    expect(secured.paths['/webhooks/gitlab'].post.security).toEqual([{ gitlabToken: [] }, { gitlabSignature: [] }])
    expect(secured.paths['/webhooks/incidentio'].post.security).toEqual([{ incidentioSignature: [] }])
    expect(secured.paths['/webhooks/jira'].post.security).toEqual([{ jiraSignature: [] }])
    expect(Object.keys(secured.components.securitySchemes)).toEqual(expect.arrayContaining(['gitlabToken', 'gitlabSignature', 'incidentioSignature', 'jiraSignature']))
    expect(secured.paths['/webhooks/gitlab'].post.requestBody.content['application/json'].schema.required).toEqual(['object_kind'])
    const open = openApiDocument({ config: configSchema.parse({}) }) as any
    for (const p of ['/webhooks/gitlab', '/webhooks/incidentio', '/webhooks/jira']) expect(open.paths[p].post.security).toEqual([])
  })
  it('the start-up warning names each unconfigured source and its key; configured ones drop out', () => {
    expect(unauthenticatedSources(configSchema.parse({}))).toEqual(expect.arrayContaining(['GitLab (gitlab.webhookTokens or gitlab.signingTokens)', 'incident.io (incidentio.webhookSecrets)', 'Jira (jira.webhookSecrets)']))
    const some = unauthenticatedSources(configSchema.parse({ gitlab: { signingTokens: [SECRET] }, jira: { webhookSecrets: ['j'] } }))
    expect(some.filter((l) => /GitLab|Jira/.test(l))).toEqual([])
    expect(some).toContain('incident.io (incidentio.webhookSecrets)')
  })
  it('log redaction covers X-Gitlab-Token and the signature headers', () => {
    for (const h of ['x-gitlab-token', 'webhook-signature', 'svix-signature', 'x-hub-signature']) expect(REDACT_PATHS).toContain(`req.headers["${h}"]`)
  })
})
