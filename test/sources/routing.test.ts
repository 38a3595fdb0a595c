import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../config/load.ts'
import { decodeEnvelope, encodeEnvelope } from '../../log/kafka-codec.ts'
import { closeRoutings, partitionKey, routingOfSubject } from '../../sources/routing.ts'
import { sourceEnvelope } from './helpers.ts'

const config = parseConfig({
  services: [
    { name: 'api', repositories: ['acme/api-client'], gitlabProjects: ['acme/platform/api'], incidentioServices: ['API Gateway'], jiraProjects: ['OPS'], pagerdutyServices: ['PAPI'] },
    { name: 'web', repositories: ['acme/web'] },
  ],
})

describe('routing of the new sources', () => {
  it('subjects become routings: GitLab project and incident.io service lowercase, Jira key uppercase', () => {
    expect(routingOfSubject('gitlab', 'Acme/Platform/API')).toBe('gitlab:acme/platform/api')
    expect(routingOfSubject('incidentio', 'API Gateway')).toBe('incidentio:api gateway')
    expect(routingOfSubject('jira', 'ops')).toBe('jira:OPS')
  })
  it('a service reached through GitLab, incident.io or Jira brings all its sources (and only its own)', () => {
    const { routings, services } = closeRoutings(['jira:OPS'], config)
    expect([...services]).toEqual(['api'])
    expect([...routings].sort()).toEqual(['github:acme/api-client', 'gitlab:acme/platform/api', 'incidentio:api', 'incidentio:api gateway', 'jira:OPS', 'named:api', 'pagerduty:PAPI'])
  })
  it('Kafka: every source of one service shares a partition key; an unlisted project keeps its own', () => {
    const keys = [
      partitionKey({ doraflowsource: 'gitlab', subject: 'acme/platform/api' }, config),
      partitionKey({ doraflowsource: 'incidentio', subject: 'api gateway' }, config),
      partitionKey({ doraflowsource: 'jira', subject: 'OPS' }, config),
      partitionKey({ doraflowsource: 'github', subject: 'acme/api-client' }, config),
    ]
    expect(new Set(keys)).toEqual(new Set(['service:api']))
    expect(partitionKey({ doraflowsource: 'gitlab', subject: 'other/project' }, config)).toBe('gitlab:other/project')
  })
  it('Kafka codec: an envelope of each new kind round-trips exactly', () => {
    for (const kind of ['gitlab', 'incidentio', 'jira'] as const) {
      const env = sourceEnvelope(kind, { some: 'body' }, 'd-9', { 'x-test': '1' })
      const out = encodeEnvelope(env, 'k')
      expect(decodeEnvelope({ key: Buffer.from(out.key), value: out.value, headers: out.headers })).toEqual(env)
    }
  })
})
