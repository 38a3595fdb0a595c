import { describe, expect, it } from 'vitest'
import { parseEnvelope } from '../../sources/parse.ts'
import { cdeventsEnvelope, genericEnvelope } from '../helpers/envelope.ts'
import { expectDlq, fixture, single } from './fixtures.ts'

const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('generic JSON', () => {
  const deployment = { kind: 'deployment', id: 'dep-1', service: 'checkout', team: 'payments', environment: 'production', sha: SHA, deployedAt: '2026-07-01T12:00:00.123Z' }
  const incident = { kind: 'incident', id: 'inc-1', service: 'checkout', status: 'detected', at: '2026-07-01T13:00:00Z' }

  it('deployment → DeploymentReported (status defaults to success)', () => {
    expect(single(parseEnvelope(genericEnvelope(deployment)), 'DeploymentReported')).toEqual({
      type: 'DeploymentReported',
      key: 'deployment:generic:dep-1:generic:generic:deployment:dep-1:success',
      routing: 'named:checkout',
      origin: 'generic',
      deploymentId: 'dep-1',
      reportId: 'generic:generic:deployment:dep-1:success',
      serviceName: 'checkout',
      team: 'payments',
      repo: null,
      environment: 'production',
      productionEnvironment: null,
      sha: SHA,
      artifact: null,
      at: '2026-07-01T12:00:00.123Z',
      status: 'success',
      rollback: false,
      url: null,
    })
  })

  it.each(['failure', 'error'])('deployment status %s → a failed attempt (status failure)', (status) => {
    const e = single(parseEnvelope(genericEnvelope({ ...deployment, status, rollback: true })), 'DeploymentReported')
    expect(e.status).toBe('failure')
    expect(e.rollback).toBe(true)
  })

  it('incident detected → triggered, createdAt = at, explicit links', () => {
    const e = single(parseEnvelope(genericEnvelope({ ...incident, sha: SHA, artifact: 'app:1.2.3', title: 'down', description: 'since deploy', urgency: 'high' })), 'IncidentTransitioned')
    expect(e).toEqual({
      type: 'IncidentTransitioned',
      key: 'incident:generic:inc-1:detected:2026-07-01T13:00:00Z',
      routing: 'named:checkout',
      origin: 'generic',
      incidentId: 'inc-1',
      serviceRef: 'checkout',
      serviceName: 'checkout',
      team: null,
      transition: 'triggered',
      at: '2026-07-01T13:00:00Z',
      createdAt: '2026-07-01T13:00:00Z',
      title: 'down',
      text: 'since deploy',
      urgency: 'high',
      priority: undefined,
      links: [SHA, 'app:1.2.3'],
      number: null,
      url: null,
      agent: null,
    })
  })

  it.each([
    ['acknowledged', 'acknowledged'],
    ['resolved', 'resolved'],
    ['reopened', 'reopened'],
  ])('incident %s → %s, createdAt from startedAt only', (status, transition) => {
    const plain = single(parseEnvelope(genericEnvelope({ ...incident, status })), 'IncidentTransitioned')
    expect(plain.transition).toBe(transition)
    expect(plain.createdAt).toBeNull()
    const started = single(parseEnvelope(genericEnvelope({ ...incident, status, startedAt: '2026-07-01T12:30:00Z' })), 'IncidentTransitioned')
    expect(started.createdAt).toBe('2026-07-01T12:30:00Z')
  })

  it('deterministic', () => {
    const env = genericEnvelope(incident)
    expect(parseEnvelope(env)).toEqual(parseEnvelope(env))
  })

  it.each<[string, unknown, string]>([
    ['invalid JSON', '{"kind":', 'not valid JSON'],
    ['missing service', { ...deployment, service: undefined }, 'service'],
    ['bad deployedAt', { ...deployment, deployedAt: 'yesterday' }, 'deployedAt'],
    ['neither sha nor artifact', { ...deployment, sha: undefined }, 'sha'],
    ['unknown kind', { ...deployment, kind: 'build' }, 'kind'],
    ['bad status', { ...incident, status: 'closed' }, 'status'],
  ])('malformed: %s → dlq', (_, body, field) => {
    expectDlq(parseEnvelope(genericEnvelope(body)), field)
  })
})

describe('CDEvents fixtures', () => {
  const cd = (file: string) => parseEnvelope(cdeventsEnvelope(fixture(`cdevents/${file}`)))
  const json = (file: string): Record<string, any> => JSON.parse(fixture(`cdevents/${file}`))
  const ARTIFACT = 'pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427'

  it('service.deployed.json → DeploymentReported; a sha256 digest is not a git sha', () => {
    expect(single(cd('service.deployed.json'), 'DeploymentReported')).toEqual({
      type: 'DeploymentReported',
      key: 'deployment:cdevents:271069a8-fc18-44f1-b38f-9d70a1695819:cdevents:271069a8-fc18-44f1-b38f-9d70a1695819:dev.cdevents.service.deployed.0.3.0',
      routing: 'named:mySubject123',
      origin: 'cdevents',
      deploymentId: '271069a8-fc18-44f1-b38f-9d70a1695819',
      reportId: 'cdevents:271069a8-fc18-44f1-b38f-9d70a1695819:dev.cdevents.service.deployed.0.3.0',
      serviceName: 'mySubject123',
      team: null,
      repo: null,
      environment: 'test123',
      productionEnvironment: null,
      sha: null,
      artifact: ARTIFACT,
      at: '2023-03-20T14:27:05.315384Z',
      status: 'success',
      rollback: false,
      url: null,
    })
  })

  it('incident.detected.json → triggered', () => {
    expect(single(cd('incident.detected.json'), 'IncidentTransitioned')).toEqual({
      type: 'IncidentTransitioned',
      key: 'incident:cdevents:incident-123:incident.detected:2022-11-11T13:52:20.079Z',
      routing: 'named:myApp',
      origin: 'cdevents',
      incidentId: 'incident-123',
      serviceRef: 'myApp',
      serviceName: 'myApp',
      team: null,
      transition: 'triggered',
      at: '2022-11-11T13:52:20.079Z',
      createdAt: '2022-11-11T13:52:20.079Z',
      title: null,
      text: 'Response time above threshold of 100ms',
      urgency: undefined,
      priority: undefined,
      links: [ARTIFACT],
      number: null,
      url: null,
      agent: null,
    })
  })

  it('incident.resolved.json → resolved; same context.id as detected, yet a distinct key', () => {
    const e = single(cd('incident.resolved.json'), 'IncidentTransitioned')
    expect(e).toMatchObject({
      key: 'incident:cdevents:incident-123:incident.resolved:2022-11-11T13:52:20.079Z',
      incidentId: 'incident-123',
      transition: 'resolved',
      at: '2022-11-11T13:52:20.079Z',
      createdAt: null,
      text: 'Response time restored below 100ms',
      links: ['pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93439'],
    })
    expect(e.key).not.toBe(single(cd('incident.detected.json'), 'IncidentTransitioned').key)
  })

  it('change.merged.json → drop', () => {
    expect(cd('change.merged.json').kind).toBe('drop')
  })

  it('service.rolledback / service.upgraded', () => {
    const p = json('service.deployed.json')
    p.context.type = 'dev.cdevents.service.rolledback.0.2.0'
    expect(single(parseEnvelope(cdeventsEnvelope(p)), 'DeploymentReported')).toMatchObject({ rollback: true, status: 'success' })
    p.context.type = 'dev.cdevents.service.upgraded.0.2.0'
    expect(single(parseEnvelope(cdeventsEnvelope(p)), 'DeploymentReported')).toMatchObject({ rollback: false, status: 'success' })
  })

  it('incident.reported → triggered', () => {
    const p = json('incident.detected.json')
    p.context.type = 'dev.cdevents.incident.reported.0.3.0'
    expect(single(parseEnvelope(cdeventsEnvelope(p)), 'IncidentTransitioned').transition).toBe('triggered')
  })

  it('a 40-hex sha in the artifact or customData is extracted', () => {
    const p = json('service.deployed.json')
    p.subject.content.artifactId = `pkg:generic/myapp@1.0?vcs_url=git%2Bhttps://example.org/r@${SHA.toUpperCase()}`
    expect(single(parseEnvelope(cdeventsEnvelope(p)), 'DeploymentReported').sha).toBe(SHA)
    const q = json('service.deployed.json')
    q.customData = { commit: SHA }
    expect(single(parseEnvelope(cdeventsEnvelope(q)), 'DeploymentReported').sha).toBe(SHA)
  })

  it('binary mode (ce-* headers) and structured CloudEvent give the same events', () => {
    const raw = fixture('cdevents/service.deployed.json')
    const bare = parseEnvelope(cdeventsEnvelope(raw, { 'ce-id': '271069a8-fc18-44f1-b38f-9d70a1695819', 'ce-type': 'dev.cdevents.service.deployed.0.3.0', 'ce-specversion': '1.0' }))
    const structured = { specversion: '1.0', id: 'ce-1', source: '/event/source/123', type: 'dev.cdevents.service.deployed.0.3.0', datacontenttype: 'application/json', data: JSON.parse(raw) }
    expect(parseEnvelope(cdeventsEnvelope(structured))).toEqual(bare)
    expect(bare).toEqual(cd('service.deployed.json'))
  })

  it('deterministic', () => {
    const env = cdeventsEnvelope(fixture('cdevents/incident.detected.json'))
    expect(parseEnvelope(env)).toEqual(parseEnvelope(env))
  })

  it.each<[string, (p: Record<string, any>) => void, string]>([
    ['no context.type', (p) => delete p.context.type, 'context.type'],
    ['no environment', (p) => delete p.subject.content.environment, 'subject.content.environment.id'],
    ['bad timestamp', (p) => (p.context.timestamp = 'now'), 'context.timestamp'],
    ['artifactId a number', (p) => (p.subject.content.artifactId = 7), 'subject.content.artifactId'],
  ])('malformed service.deployed: %s → dlq', (_, edit, field) => {
    const p = json('service.deployed.json')
    edit(p)
    expectDlq(parseEnvelope(cdeventsEnvelope(p)), field)
  })

  it('malformed incident without service → dlq', () => {
    const p = json('incident.detected.json')
    delete p.subject.content.service
    expectDlq(parseEnvelope(cdeventsEnvelope(p)), 'subject.content.service.id')
  })

  it('structured CloudEvent: fields named under data.', () => {
    const p = json('service.deployed.json')
    delete p.subject
    expectDlq(parseEnvelope(cdeventsEnvelope({ specversion: '1.0', id: 'x', source: '/s', type: 't', data: p })), 'data.subject.id')
    expectDlq(parseEnvelope(cdeventsEnvelope({ specversion: '1.0', id: 'x', source: '/s', type: 't', data: 'text' })), 'CDEvent must be a JSON object')
  })

  it('invalid JSON → dlq', () => {
    expectDlq(parseEnvelope(cdeventsEnvelope('{')), 'not valid JSON')
  })
})
